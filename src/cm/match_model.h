// cm/match_model.h — predicts the next bit from the longest earlier repeat of the recent bytes.
//
// At each byte boundary the hash of the last `min_len` bytes looks up where they last
// occurred; if the bytes there still agree, the byte that followed is the prediction, and
// its bits feed the mixer with a confidence learned per (match length, expected bit).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cm/big_table.h"
#include "cm/state_map.h"

namespace nzip::cm {

// How many bytes before buf[a] equal those before buf[b], going back from a - 1 and b - 1,
// counting at most `limit` and at most a (a < b). Compares eight bytes at a time;
// equal_bytes_before_reference is the byte-by-byte definition.
uint32_t equal_bytes_before(const uint8_t* buf, uint64_t a, uint64_t b, uint32_t limit);
uint32_t equal_bytes_before_reference(const uint8_t* buf, uint64_t a, uint64_t b, uint32_t limit);

class MatchModel {
 public:
  MatchModel(int log2_entries, int min_len);

  // Called at each byte boundary, before update_byte(): hashes the last min_len bytes.
  // buf[0..pos) are the bytes so far. (Prefetching the entry here, a few hundred
  // instructions before update_byte() reads it, measured no faster, so it is not done.)
  void hash_last_bytes(const uint8_t* buf, uint64_t pos);
  // Called at each byte boundary after hash_last_bytes() with the same arguments.
  void update_byte(const uint8_t* buf, uint64_t pos);
  // Adds two inputs to `inputs` for the next bit given the partial byte c0 (1..255).
  void predict(int c0, int bit_pos, int* inputs);
  void update_bit(int bit);

  // Length bucket 0..15 of the current match (0 = none): a gate context for the mixer.
  int length_bucket() const { return bucket_; }

 private:
  BigTable<uint32_t> table_;  // hash of last min_len bytes → position after them
  uint32_t mask_;
  uint32_t slot_ = 0;  // table entry of the current hash (from hash_last_bytes)
  int min_len_;
  uint64_t ptr_ = 0;  // position of the predicted byte
  uint32_t len_ = 0;
  int expected_ = 0;
  int bucket_ = 0;
  bool miss_ = false;
  int expected_bit_ = 0;
  bool active_ = false;
  StateMap sm_;
};

}  // namespace nzip::cm
