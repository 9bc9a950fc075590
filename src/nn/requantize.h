// nn/requantize.h — int32 accumulators back to int8 or int16 with a fixed-point scale.
//
// For each i:   p = (int64) x[i] · multiplier              (|p| < 2^62: no overflow)
//               q = round_half_even(p / 2^shift)
//               y[i] = clamp(q, T_min, T_max)              (T = int8_t or int16_t)
// round_half_even for shift ≥ 1, with floor division (arithmetic shift):
//               f = p >> shift,  r = p − f·2^shift ∈ [0, 2^shift),  h = 2^(shift−1)
//               q = f + 1 if r > h, or if r == h and f is odd;  q = f otherwise
// (equivalently q = f + [r + (f & 1) > h]); shift = 0 gives q = p.
// multiplier ∈ [0, 2^31 − 1], shift ∈ [0, 62]; a real scale s ≈ multiplier / 2^shift
// (choose shift so the multiplier has ~31 significant bits).
//
// requantize_* are dispatched to the current SIMD target (NZIP_SIMD honoured) and equal
// requantize_*_reference bit for bit (tests/nn_kernels_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

constexpr int kRequantizeMaxShift = 62;

// The rounding step alone: round_half_even(p / 2^shift) for 0 ≤ shift ≤ 62, as above.
inline int64_t round_shift_half_even(int64_t p, int shift) {
  if (shift == 0) return p;
  const int64_t f = p >> shift;  // arithmetic shift: floor (C++20 defines it)
  const int64_t r = p - f * (int64_t{1} << shift);
  const int64_t h = int64_t{1} << (shift - 1);
  return f + ((r + (f & 1)) > h ? 1 : 0);
}

// Reference and fast versions; x is (n) int32, y is (n). Throw nzip::Error(invalid_argument)
// for a multiplier < 0 or a shift outside [0, 62].
void requantize_i8_reference(const int32_t* x, size_t n, int32_t multiplier, int shift, int8_t* y);
void requantize_i16_reference(const int32_t* x, size_t n, int32_t multiplier, int shift, int16_t* y);
void requantize_i8(const int32_t* x, size_t n, int32_t multiplier, int shift, int8_t* y);
void requantize_i16(const int32_t* x, size_t n, int32_t multiplier, int shift, int16_t* y);

// The residual stream's update: x[i] = clamp(x[i] + y[i], −32768, 32767) for n values.
// add_saturated_i16 (dispatched) equals the reference bit for bit.
void add_saturated_i16_reference(int16_t* x, const int16_t* y, size_t n);
void add_saturated_i16(int16_t* x, const int16_t* y, size_t n);

}  // namespace nzip::nn
