// nn/softmax.h — integer softmax through a table of 2^(−j/256).
//
// Logits z are int32. A fixed-point multiplier/shift turns logit differences into 1/256ths
// of a power of two (for a real scale s per logit unit: multiplier/2^shift ≈ 256·s·log2(e)):
//   m    = max_i z_i
//   x_i  = min(round_half_even((m − z_i) · multiplier, shift), 8191)      (int64 math)
//   e_i  = kExp2Q30[x_i & 255] >> (x_i >> 8)      (≈ 2^30 · 2^(−x_i/256); e_i ≤ 2^30, and
//                                                  e_i = 2^30 at the maximum, so E ≥ 2^30)
//   E    = Σ e_i                                  (uint64)
// multiplier ∈ [0, 2^30 − 1] keeps (m − z)·multiplier < 2^62; shift ∈ [0, 62]; x is capped
// at 8191 (2^(−32), where every e_i is already 0). kExp2Q30 comes from
// tools/gen_nn_tables.py (src/nn/nn_tables.h).
//
// (a) Attention weights, Q15:   R = floor(2^61 / E),  w_i = (e_i · R) >> 46      (≤ 2^15)
// (b) Coder frequencies over 256 symbols summing to exactly 2^16, each ≥ 1:
//       T = 2^16 − 256,  R = floor(T · 2^32 / E),  f_i = 1 + ((e_i · R) >> 32);
//       the remainder 2^16 − Σ f_i (≥ 0, < 2^9) goes to the first symbol of largest e_i.
// All steps are integer, so every machine gets the same numbers. The exp pass is vectorised
// per target (64-bit lanes, table gathers), and so are the weight and frequency steps.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

constexpr int32_t kSoftmaxMaxMultiplier = (int32_t{1} << 30) - 1;
constexpr uint32_t kFrequencyTotal = uint32_t{1} << 16;

// e_i as above into e (n values); returns E. Throws nzip::Error(invalid_argument) for
// n = 0, a multiplier outside [0, 2^30 − 1] or a shift outside [0, 62].
// softmax_exp_reference is the plain loop of the formulas above; softmax_exp the same
// arithmetic vectorised per SIMD target (dispatched, NZIP_SIMD honoured), bit-identical.
uint64_t softmax_exp_reference(const int32_t* z, size_t n, int32_t multiplier, int shift, uint32_t* e);
uint64_t softmax_exp(const int32_t* z, size_t n, int32_t multiplier, int shift, uint32_t* e);

// (a): n weights in Q15 (each ≤ 32768; their sum is ≤ 32768 and within n of it). The
// reference uses softmax_exp_reference and a plain loop; both are bit-identical.
void softmax_weights_q15_reference(const int32_t* z, size_t n, int32_t multiplier, int shift, uint16_t* w);
void softmax_weights_q15(const int32_t* z, size_t n, int32_t multiplier, int shift, uint16_t* w);

// (b): 256 frequencies, each ≥ 1, summing to kFrequencyTotal. The reference is the plain
// loop; softmax_frequencies the vectorised, dispatched one, bit-identical.
void softmax_frequencies_reference(const int32_t* z256, int32_t multiplier, int shift, uint16_t* freq);
void softmax_frequencies(const int32_t* z256, int32_t multiplier, int shift, uint16_t* freq);

}  // namespace nzip::nn
