// cm/predictor.h — the default predictor: adaptive context mixing, integer arithmetic only.
//
// For each bit it gives P(1) in 16 bits from: order-0 and order-1 direct contexts; hashed
// contexts of higher orders, words, text columns, sparse bytes and records (bit-history
// states in a shared slot table, each mapped to a probability by its own adaptive map); a
// match model; a gated two-layer mixer; and APM stages. What a level contains is in
// level_config.h. Encoder and decoder drive it identically: p(), then update(bit).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cm/apm.h"
#include "cm/level_config.h"
#include "cm/match_model.h"
#include "cm/mixer.h"
#include "cm/slot_table.h"
#include "cm/state_map.h"
#include "cm/record_detector.h"

namespace nzip::cm {

class Predictor {
 public:
  // buf: the chunk's `length` bytes; the predictor reads buf[0..n) only after n bytes were
  // coded. A decoder passes its output buffer as `sink` too: each byte is stored there as
  // soon as its last bit is known, before the contexts of the next byte are computed from it.
  // Large tables are sized for the level, or smaller for a short chunk (both sides know the
  // length), so small inputs do not pay for clearing memory they cannot fill.
  Predictor(int level, const uint8_t* buf, uint64_t length, uint8_t* sink = nullptr);
  // The same with an explicit configuration (level_config(level, profile)); it must outlive
  // the predictor.
  Predictor(const LevelConfig& config, const uint8_t* buf, uint64_t length, uint8_t* sink = nullptr);

  // P(next bit = 1), 16 bits, in [1, 65535].
  int p();
  void update(int bit);

 private:
  // Takes the completed byte c: updates the byte-level state and hashes the next contexts.
  void begin_byte(uint8_t c);
  void find_slots(bool second_nibble);
  void prefetch_second_nibble();
  uint64_t context_value(ContextKind kind) const;
  // Numeric profile: reads element k (most significant byte first); 0 before the chunk.
  uint64_t element_at(uint64_t k) const;
  // Called when a new element begins: caches the column's elements and its extrapolation.
  void begin_element();

  const LevelConfig& cfg_;
  const uint8_t* buf_;
  uint8_t* sink_;
  uint64_t pos_ = 0;     // bytes completed
  int c0_ = 1;           // partial byte with a leading 1
  int bit_pos_ = 0;      // 0..7
  int node_ = 1;         // node of the current nibble tree (1..15)
  uint64_t c8_ = 0;      // last 8 bytes, most recent in the low byte
  uint64_t word_[3] = {};
  uint64_t line_start_ = 0, prev_line_start_ = 0;
  // Numeric profile state (elem_bytes_ == 0 otherwise).
  uint32_t elem_pos_ = 0;   // byte index in the current element
  uint32_t field_ = 0;      // element index in its record
  uint64_t prev1_ = 0, prev2_ = 0, col1_ = 0, col2_ = 0, extrap_ = 0;

  // Direct low-order contexts.
  std::vector<uint8_t> order0_, order1_;
  // Hashed contexts.
  SlotTable slots_;
  static constexpr size_t kMaxContexts = 27;  // the mixer's 32 inputs less 5 fixed ones
  uint32_t hashes_[kMaxContexts] = {};
  // The second nibble's hashes for each value of the nibble's last bit (set at bit 3).
  uint32_t next_hashes_[2][kMaxContexts] = {};
  uint8_t* slot_[kMaxContexts] = {};
  // Bit-history state → probability, one block of 256 per context:
  // [0] order 0, [1] order 1, [2+i] hashed context i.
  StateMap maps_;
  const StateTable& states_;
  size_t n_contexts_;
  const uint32_t elem_bytes_;  // the config's element_bytes
  const uint32_t rec_elems_;   // its record_elements, at least 1
  uint8_t* state_ptr_[kMaxContexts + 2] = {};
  uint32_t map_index_[kMaxContexts + 2] = {};
  MatchModel match_;
  RecordDetector record_;
  std::vector<uint16_t> indirect_;
  // Whether a configured context reads the record detector or the indirect table; when none
  // does, neither is kept up to date (they cost time on every byte and change no prediction).
  bool uses_record_ = false, uses_indirect_ = false;
  Mixer mixer_;
  Apm apm_order0_, apm_order1_, apm_order2_;
  bool apm0_, apm1_, apm2_;
};

}  // namespace nzip::cm
