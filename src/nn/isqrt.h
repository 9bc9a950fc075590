// nn/isqrt.h — exact integer square root.
#pragma once

#include <cmath>
#include <cstdint>

namespace nzip::nn {

// floor(sqrt(v)) for every uint64 v, by the digit-by-digit (bitwise) method: 32 steps of
// integer compare/subtract/shift, no floating point (the slow, obvious reference).
constexpr uint32_t isqrt64_bitwise(uint64_t v) {
  uint64_t rem = v, root = 0;
  uint64_t bit = uint64_t{1} << 62;  // highest power of four ≤ 2^63
  while (bit > rem) bit >>= 2;
  while (bit != 0) {
    if (rem >= root + bit) {
      rem -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return static_cast<uint32_t>(root);
}

// floor(sqrt(v)) for every uint64 v, fast: a floating-point guess (within one of the root),
// then exact integer steps to the r with r² ≤ v < (r+1)². The result does not depend on how
// the guess was rounded, so every machine gets the same number. rmsnorm takes one per row;
// the bitwise loop's unpredictable branches made it 2% of decoding. tests/nn_ops_test.cpp
// checks it exhaustively below 2^20, at perfect squares ±1 of random roots, at 2^64 − 1 and
// against isqrt64_bitwise.
inline uint32_t isqrt64(uint64_t v) {
  constexpr uint64_t kMaxRoot = 0xFFFFFFFF;  // floor(sqrt(2^64 − 1))
  uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(v)));
  if (r > kMaxRoot) r = kMaxRoot;
  while (r * r > v) --r;                                   // r ≤ 2^32 − 1: r² cannot overflow
  while (r < kMaxRoot && (r + 1) * (r + 1) <= v) ++r;     // nor (r+1)² while r + 1 ≤ 2^32 − 1
  return static_cast<uint32_t>(r);
}

}  // namespace nzip::nn
