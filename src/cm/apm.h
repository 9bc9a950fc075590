// cm/apm.h — adaptive probability map (secondary symbol estimation).
//
// Refines a probability p given a context: 33 buckets over stretch(p) per context hold
// learned probabilities; the output interpolates between the two nearest buckets and the
// nearer one is trained toward the coded bit.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "cm/big_table.h"
#include "cm/logistic.h"

namespace nzip::cm {

class Apm {
 public:
  // n contexts; rate: adaptation shift (larger = slower).
  Apm(size_t n, int rate) : t_(n * 33), rate_(rate) {
    uint16_t row[33];
    for (int j = 0; j < 33; ++j) row[j] = static_cast<uint16_t>(squash((j - 16) * 128));
    for (size_t i = 0; i < n; ++i) std::copy(row, row + 33, t_.data() + i * 33);
  }

  // Starts loading the buckets of context cx; refine() with the same cx follows soon.
  void prefetch(size_t cx) const {
    const uint16_t* row = &t_[cx * 33];
    __builtin_prefetch(row);
    __builtin_prefetch(row + 32);
  }

  // Refined P(1) (16 bits) of p16 in context cx.
  int refine(int p16, size_t cx) {
    const int s = stretch(p16) + 2048;  // 1..4095
    const int lo = s >> 7;
    const int w = s & 127;
    const size_t base = cx * 33 + static_cast<size_t>(lo);
    index_ = base + static_cast<size_t>(w >> 6);
    int p = (t_[base] * (128 - w) + t_[base + 1] * w) >> 7;
    if (p < 1) p = 1;
    if (p > 65535) p = 65535;
    return p;
  }

  void update(int bit) {
    const int target = bit ? 65535 : 0;
    int v = t_[index_];
    v += (target - v) >> rate_;
    t_[index_] = static_cast<uint16_t>(v);
  }

 private:
  BigTable<uint16_t> t_;
  size_t index_ = 0;
  int rate_;
};

}  // namespace nzip::cm
