// cm/state_table.h — bit-history states: one byte that summarises the bits seen in a context.
//
// A state stands for a pair of counts (n0, n1) of zeros and ones seen. On a new bit its own
// count grows and a large opposite count is roughly halved, so the state favours recent
// history without forgetting a long run at once. States are numbered breadth-first from
// (0,0) = state 0 ("never seen"); the table is built by integer code at start-up and is the
// same everywhere.
#pragma once

#include <array>
#include <cstdint>

namespace nzip::cm {

class StateTable {
 public:
  static const StateTable& get();
  // State after observing `bit` in state `s`.
  uint8_t next(uint8_t s, int bit) const { return next_[s][bit]; }
  int n0(uint8_t s) const { return n0_[s]; }
  int n1(uint8_t s) const { return n1_[s]; }
  int count() const { return count_; }

 private:
  StateTable();
  std::array<std::array<uint8_t, 2>, 256> next_{};
  std::array<uint8_t, 256> n0_{};
  std::array<uint8_t, 256> n1_{};
  int count_ = 0;
};

}  // namespace nzip::cm
