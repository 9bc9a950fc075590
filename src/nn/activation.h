// nn/activation.h — SiLU and SwiGLU gating on int8 through 256-entry tables.
//
// An int8 input q stands for x = q·s_in. The table is built from integers only (the exp2
// table of softmax.h), so it is the same on every machine:
//   u    = min(round_half_even(|q| · in_mult, in_shift), 8191)  (|x|·log2(e) in 1/256ths:
//                                                                 in_mult/2^in_shift ≈ 256·s_in·log2 e)
//   E    = kExp2Q30[u & 255] >> (u >> 8)                         (≈ 2^30·e^(−|x|))
//   σ    = floor(2^60 / (2^30 + E))         for q ≥ 0            (sigmoid(x) in Q30)
//          floor(E · 2^30 / (2^30 + E))     for q < 0
//   silu[q] = clamp(round_half_even(q · σ · out_mult, out_shift), −128, 127)
//                                             (out_mult/2^out_shift ≈ s_in / (s_out·2^30))
// Limits: in_mult ∈ [0, 2^30 − 1], out_mult ∈ [0, 2^24], shifts ∈ [0, 62].
// SwiGLU: y_i = clamp(round_half_even(silu[a_i] · b_i · mult, shift), −128, 127) with
// mult ∈ [0, 2^30 − 1]. Lookups are one shared implementation for every target.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nzip::nn {

// table[uint8_t(q)] = f(q).
using ActivationTable = std::array<int8_t, 256>;

// Builds the SiLU table above; throws nzip::Error(invalid_argument) for parameters out of range.
ActivationTable make_silu_table(int32_t in_mult, int in_shift, int32_t out_mult, int out_shift);

// y_i = table[uint8_t(x_i)] (y may be x).
void apply_activation(const ActivationTable& table, const int8_t* x, size_t n, int8_t* y);

// SwiGLU gating as above (y may alias a or b).
void swiglu(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t mult,
            int shift, int8_t* y);

// The same y as swiglu, fast: SwiGLU's output depends on a and b only through the int32
// product p = silu[a]·b (|p| ≤ 2^14), and clamp8(rhe(p·mult, shift)) is requantize_i8 of
// p, whose vector kernels form the 64-bit products; the products come from silu_products
// (both dispatched, NZIP_SIMD honoured).
void swiglu_fast(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t mult, int shift,
                 int8_t* y);

}  // namespace nzip::nn
