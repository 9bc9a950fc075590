// nn/rope.h — rotary position embedding in fixed point.
//
// A head vector x of int16, dimension d (even), is rotated in "rotate-half" pairs
// (x_j, x_{j+d/2}), j < d/2, by the angle pos·ω_j. Frequencies come as Q32 turns per
// position, inv_freq_q32[j] = round(2^32 · base^(−2j/d) / 2π), stored with the model
// (tools/gen_nn_tables.py --rope-inv-freq D BASE prints them); no libm at run time:
//   a     = (uint32)(pos · inv_freq_q32[j])         (mod 2^32 = mod one turn; uint64 product)
//   i     = ((a + 2^19) >> 20) mod 4096             (nearest of 4096 steps per turn)
//   sin   = sin4096(i), cos = sin4096(i + 1024)     (Q15, from kSinQuarterQ15 by symmetry:
//           quadrant q = i >> 10, k = i & 1023: q0 S[k], q1 S[1024−k], q2 −S[k], q3 −S[1024−k])
//   x_j'      = sat16(round_half_even(x_j·cos − x_{j+d/2}·sin, 15))
//   x_{j+d/2}' = sat16(round_half_even(x_j·sin + x_{j+d/2}·cos, 15))
// The angles are found once per run of rows at one position (scalar table lookups); the
// rotation is vectorised in int32 lanes (dispatched, NZIP_SIMD honoured; rope.cpp says why
// int32 is exact), rope_apply_reference is the int64 formula above.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

// sin(2π·i/4096) in Q15 for any i (taken mod 4096).
int32_t sin4096_q15(uint32_t i);

// Rotates x (lanes, d) in place, lane l at position pos[l]. Throws nzip::Error
// (invalid_argument) when d is 0 or odd.
void rope_apply_reference(int16_t* x, size_t lanes, size_t d, const uint32_t* pos, const uint32_t* inv_freq_q32);
void rope_apply(int16_t* x, size_t lanes, size_t d, const uint32_t* pos, const uint32_t* inv_freq_q32);

}  // namespace nzip::nn
