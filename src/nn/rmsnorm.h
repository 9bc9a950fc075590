// nn/rmsnorm.h — fixed-point RMSNorm of int16 activations to int8.
//
//   x    is (lanes, d) int16, gain is (d) int16, y is (lanes, d) int8. Per lane:
//   ss   = Σ_i x_i²                                   (int64; ≤ 2^46 as d ≤ 2^16)
//   ms   = floor(ss · 2^16 / d) + eps                 (mean square, Q16; eps ≥ 1)
//   r    = isqrt64(ms)                                (rms · 2^8, ≥ 1)
//   inv  = floor(2^40 / r)                            (2^32 / rms)
//   t_i  = round_half_even(x_i · inv, 16)             (x_i / rms in Q16; |t_i| ≤ 2^24)
//   y_i  = clamp(round_half_even(t_i · gain_i, out_shift), −128, 127)
// so y_i ≈ x_i / sqrt(mean(x²) + eps/2^16) · gain_i / 2^(out_shift − 16). round_half_even
// is round_shift_half_even of requantize.h; all products fit in int64 (|x·inv| ≤ 2^55,
// |t·gain| ≤ 2^39).
//
// Both stages are vectorised (dispatched, NZIP_SIMD honoured); every target gives the
// reference's bytes (tests/nn_ops_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

constexpr size_t kRmsNormMaxD = size_t{1} << 16;
constexpr int64_t kRmsNormMaxEps = int64_t{1} << 46;

// Σ x_i² over n int16 values: reference and dispatched fast version (n ≤ 2^33 keeps it
// inside int64; rmsnorm uses n ≤ 2^16).
int64_t sum_squares_reference(const int16_t* x, size_t n);
int64_t sum_squares(const int16_t* x, size_t n);

// RMSNorm as defined above; reference uses sum_squares_reference, rmsnorm the fast one.
// Throws nzip::Error(invalid_argument) for d ∉ [1, 2^16], eps ∉ [1, 2^46] or
// out_shift ∉ [0, 62].
void rmsnorm_reference(const int16_t* x, size_t lanes, size_t d, const int16_t* gain,
                       int64_t eps, int out_shift, int8_t* y);
void rmsnorm(const int16_t* x, size_t lanes, size_t d, const int16_t* gain, int64_t eps,
             int out_shift, int8_t* y);

}  // namespace nzip::nn
