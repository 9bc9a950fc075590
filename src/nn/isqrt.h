// nn/isqrt.h — exact integer square root.
#pragma once

#include <cstdint>

namespace nzip::nn {

// floor(sqrt(v)) for every uint64 v, by the digit-by-digit (bitwise) method: 32 steps of
// integer compare/subtract/shift, no floating point, the same on every machine.
// tests/nn_norm_test.cpp checks it exhaustively below 2^20, at every perfect square ±1 of
// random roots, and at 2^64 − 1.
constexpr uint32_t isqrt64(uint64_t v) {
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

}  // namespace nzip::nn
