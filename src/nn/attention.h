// nn/attention.h — the two inner loops of integer attention for one query head, over
// `count` cached positions whose keys/values are given by pointer (a ring buffer need not
// be contiguous):
//
//   scores:  z_j = sat32(round_half_even(Σ_i q_i·k_j[i], shift))   (exact int64 sum; each
//            product fits int32, |q·k| ≤ 2^30, but their sum may not)
//   values:  o_i = clamp8(round_half_even(Σ_j w_j·v_j[i], 15))      (int32: |Σ| ≤ 2^15·128
//            because Σ w_j ≤ 2^15, the softmax's Q15 weights)
//
// The fast versions are the same integer loops compiled once per Highway target (dispatched,
// NZIP_SIMD honoured) so the compiler vectorises them with each target's instructions;
// integer sums do not depend on the order of addition, so every target gives the
// reference's numbers (tests/nn_attention_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

// z (count) from q (hd) and keys[j] (hd each); 0 ≤ shift ≤ 62.
void attention_scores_reference(const int16_t* q, const int16_t* const* keys, size_t count, size_t hd, int shift,
                                int32_t* z);
void attention_scores(const int16_t* q, const int16_t* const* keys, size_t count, size_t hd, int shift, int32_t* z);

// The same scores for `heads` query heads q (heads, hd) sharing one key ring (multi-query
// attention) kept for this kernel: keys transposed with pairs of components interleaved,
// kt[(p·window + s)·2 + e] = key_s[2p + e] for p < hd/2 (hd even), slots s < count ≤ window;
// z (heads, count): z[h·count + s] for head h and slot s. Vectorised across slots (PMADDWD
// on x86), so no per-key horizontal sum. Slot order is not time order; softmax and the
// weighted sum are order-free integer sums, so attention may run in slot order.
void attention_scores_ring_reference(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count,
                                     size_t hd, int shift, int32_t* z);
// key_bound, when not null, is at least max |kt| over the slots in use (a caller keeps it
// as it stores keys, sparing the kernel a pass over the ring); the kernel may replace it
// with the exact maximum. The scores never depend on it.
void attention_scores_ring(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count, size_t hd,
                           int shift, int32_t* z, int32_t* key_bound = nullptr);

// o (hd) from w (count, Q15 with Σ w ≤ 2^15) and values[j] (hd each); acc is scratch of hd.
void attention_values_reference(const uint16_t* w, const int8_t* const* values, size_t count, size_t hd,
                                int32_t* acc, int8_t* o);
void attention_values(const uint16_t* w, const int8_t* const* values, size_t count, size_t hd, int32_t* acc,
                      int8_t* o);

// The same values for `heads` query heads sharing one V ring (multi-query attention) kept
// for this kernel: int16, pairs of slots interleaved, vp[((s/2)·hd + i)·2 + s%2] = value_s[i],
// for slots s < count (the ring holds an even number of slots; a slot past count may hold
// anything, its weight is taken as 0). w is (heads, count), acc is (heads, hd) scratch, o is
// (heads, hd). Vectorised as PMADDWD of weight pairs with value pairs, each value vector
// loaded once for up to four heads.
void attention_values_ring_reference(const uint16_t* w, size_t heads, const int16_t* vp, size_t count, size_t hd,
                                     int32_t* acc, int8_t* o);
void attention_values_ring(const uint16_t* w, size_t heads, const int16_t* vp, size_t count, size_t hd, int32_t* acc,
                           int8_t* o);

}  // namespace nzip::nn
