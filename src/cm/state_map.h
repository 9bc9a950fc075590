// cm/state_map.h — adaptive map from a small context (often a bit-history state) to P(1).
//
// Each entry holds a 22-bit probability and a 10-bit hit count; the probability moves toward
// each observed bit by 1/(count + 1.5), so a fresh entry learns fast and an old one is
// stable, down to a floor rate of 1/(limit + 1.5). Integer arithmetic only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nzip::cm {

class StateMap {
 public:
  // n contexts; limit (≤ 1023) bounds the count and so the slowest adaptation rate.
  StateMap(size_t n, int limit);

  // Starts every context that is a bit-history state (index % 256) at that state's
  // (n1 + 1/2) / (n0 + n1 + 1) instead of 1/2.
  void init_from_states();

  // P(1) in 16 bits for context cx; remembers cx for update().
  int p(size_t cx) {
    cur_ = &t_[cx];
    return static_cast<int>(*cur_ >> 16);
  }

  void update(int bit) { update_entry(cur_, bit); }

  // Stateless variants for callers that track several contexts of one map at once.
  int p_at(size_t cx) const { return static_cast<int>(t_[cx] >> 16); }
  void update_at(size_t cx, int bit) { update_entry(&t_[cx], bit); }

 private:
  // Moves the entry's probability toward `bit` by 1/(count + 1.5). The step is a fraction
  // below one of the distance, so the probability stays below 2^22; rounding of the
  // shifted distance can overshoot zero by a little, hence the floor. Every intermediate
  // fits in 32 bits.
  void update_entry(uint32_t* entry, int bit) {
    const uint32_t e = *entry;
    const uint32_t n = e & 1023u;
    const int32_t p22 = static_cast<int32_t>(e >> 10);
    const int32_t distance = (bit << 22) - p22;  // ±2^22
    const int32_t step = ((distance >> 7) * kRecip[n]) >> 9;  // |·| < 2^15 · 2^15.5
    const int32_t np = p22 + step;
    *entry = (static_cast<uint32_t>(np < 0 ? 0 : np) << 10) | (n < limit_ ? n + 1 : n);
  }

  static const int32_t* const kRecip;  // kRecip[n] = 2^16 / (n + 1.5)
  std::vector<uint32_t> t_;
  uint32_t* cur_;
  uint32_t limit_;
};

}  // namespace nzip::cm
