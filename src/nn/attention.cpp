// nn/attention.cpp — attention's inner loops (see attention.h), compiled once per Highway
// target: plain integer loops that the compiler vectorises for each target's instruction
// set (int16 products summed in int32 when a bound proves that exact, else in int64;
// uint16 × int8 products summed in int32).
#include "nn/attention.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "nn/requantize.h"
#include "nn/simd_target.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/attention.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {

// Two adjacent 16-bit values as one int32 lane (the first in the low half, as PMADDWD pairs
// them on a little-endian machine; Highway's targets are all little-endian).
template <class T>
int32_t Pair(const T* x) {
  static_assert(sizeof(T) == 2);
  int32_t v;
  std::memcpy(&v, x, 4);
  return v;
}

int32_t MaxAbs(const int16_t* x, size_t n) {
  int32_t m = 0;
  for (size_t i = 0; i < n; ++i) m = std::max(m, x[i] < 0 ? -int32_t{x[i]} : int32_t{x[i]});
  return m;
}

void AttentionScoresImpl(const int16_t* q, const int16_t* const* keys, size_t count, size_t hd, int shift,
                         int32_t* z) {
  // When hd · max|q| · max|k| < 2^31 no partial sum can leave int32, and int32 sums of
  // int16 products are what the vector units do best (PMADDWD): the same integers, faster.
  // Otherwise every product is widened to int64.
  int64_t kmax = 0;
  for (size_t j = 0; j < count; ++j) kmax = std::max<int64_t>(kmax, MaxAbs(keys[j], hd));
  const bool fits32 = static_cast<int64_t>(hd) * MaxAbs(q, hd) * kmax < (int64_t{1} << 31);
  for (size_t j = 0; j < count; ++j) {
    const int16_t* k = keys[j];
    int64_t dot = 0;
    if (fits32) {
      int32_t d32 = 0;
      for (size_t i = 0; i < hd; ++i) d32 += int32_t{q[i]} * int32_t{k[i]};
      dot = d32;
    } else {
      for (size_t i = 0; i < hd; ++i) dot += int32_t{q[i]} * int32_t{k[i]};
    }
    const int64_t s = round_shift_half_even(dot, shift);
    z[j] = static_cast<int32_t>(
        std::clamp<int64_t>(s, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  }
}

int32_t Score(int64_t dot, int shift) {
  const int64_t s = round_shift_half_even(dot, shift);
  return static_cast<int32_t>(
      std::clamp<int64_t>(s, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
}

int64_t RingDot64(const int16_t* q, const int16_t* kt, size_t window, size_t s, size_t hd) {
  int64_t dot = 0;
  for (size_t p = 0; p < hd / 2; ++p) {
    const int16_t* k = kt + (p * window + s) * 2;
    dot += int64_t{q[2 * p]} * k[0] + int64_t{q[2 * p + 1]} * k[1];
  }
  return dot;
}

void AttentionScoresRingImpl(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count,
                             size_t hd, int shift, int32_t* z) {
#if HWY_TARGET != HWY_SCALAR
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<int32_t> d32;
  const hn::Repartition<int16_t, decltype(d32)> d16;
  const size_t L = hn::Lanes(d32);
  // The keys' bound is found once for all query heads (multi-query: they share the keys).
  int64_t kmax = 0;
  for (size_t p = 0; p < hd / 2; ++p) kmax = std::max<int64_t>(kmax, MaxAbs(kt + p * window * 2, 2 * count));
  // z = round_half_even(dot, shift) on int32 lanes, exact for shift ≤ 30 (|dot| < 2^31,
  // so the rounded value fits and r + 1 ≤ 2^shift does not overflow).
  const bool round_in_lanes = shift <= 30;
  const auto rmask = hn::Set(d32, shift == 0 || !round_in_lanes ? 0 : static_cast<int32_t>((int64_t{1} << shift) - 1));
  const auto half = hn::Set(d32, shift == 0 || !round_in_lanes ? 0 : int32_t{1} << (shift - 1));
  const auto one = hn::Set(d32, 1);
#endif
  for (size_t h = 0; h < heads; ++h) {
    const int16_t* qh = q + h * hd;
    int32_t* zh = z + h * count;
    size_t s0 = 0;
#if HWY_TARGET != HWY_SCALAR
    if (static_cast<int64_t>(hd) * MaxAbs(qh, hd) * kmax < (int64_t{1} << 31)) {
      // One int32 lane per slot: PMADDWD of (q[2p], q[2p+1]) with the slot's pair, summed
      // over p; exact because no partial sum can reach 2^31 (the bound above).
      for (; s0 + L <= count; s0 += L) {
        auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
        for (size_t p = 0; p < hd / 2; ++p) {
          const auto qv = hn::BitCast(d16, hn::Set(d32, Pair(qh + 2 * p)));
          const auto kv = hn::LoadU(d16, kt + (p * window + s0) * 2);
          sum0 = hn::ReorderWidenMulAccumulate(d32, qv, kv, sum0, sum1);
        }
        const auto dot = hn::RearrangeToOddPlusEven(sum0, sum1);
        if (round_in_lanes) {
          auto r = dot;
          if (shift != 0) {
            const auto f = hn::ShiftRightSame(dot, shift);
            const auto up = hn::Gt(hn::Add(hn::And(dot, rmask), hn::And(f, one)), half);
            r = hn::Sub(f, hn::VecFromMask(d32, up));  // the mask is −1 where rounding up
          }
          hn::StoreU(r, d32, zh + s0);
        } else {
          HWY_ALIGN int32_t lanes[hn::MaxLanes(d32)];
          hn::Store(dot, d32, lanes);
          for (size_t i = 0; i < L; ++i) zh[s0 + i] = Score(lanes[i], shift);
        }
      }
    }
#endif
    for (size_t s = s0; s < count; ++s) zh[s] = Score(RingDot64(qh, kt, window, s, hd), shift);
  }
}

void AttentionValuesImpl(const uint16_t* w, const int8_t* const* values, size_t count, size_t hd, int32_t* acc,
                         int8_t* o) {
  std::fill(acc, acc + hd, 0);
  for (size_t j = 0; j < count; ++j) {
    const int8_t* v = values[j];
    const int32_t wj = w[j];
    for (size_t i = 0; i < hd; ++i) acc[i] += wj * v[i];
  }
  for (size_t i = 0; i < hd; ++i)
    o[i] = static_cast<int8_t>(std::clamp<int64_t>(round_shift_half_even(acc[i], 15), -128, 127));
}

int8_t ValueOut(int64_t acc) {
  return static_cast<int8_t>(std::clamp<int64_t>(round_shift_half_even(acc, 15), -128, 127));
}

void AttentionValuesRingImpl(const uint16_t* w, const int16_t* vp, size_t count, size_t hd, int32_t* acc,
                             int8_t* o) {
  size_t i0 = 0;
#if HWY_TARGET != HWY_SCALAR
  // PMADDWD needs the weights as int16: a weight of 2^15 (all attention on one position)
  // takes the plain loop below.
  if (*std::max_element(w, w + count) < 32768) {
    namespace hn = hwy::HWY_NAMESPACE;
    const hn::ScalableTag<int32_t> d32;
    const hn::Repartition<int16_t, decltype(d32)> d16;
    const size_t L = hn::Lanes(d32);
    for (; i0 + L <= hd; i0 += L) {
      auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
      const size_t even = count & ~size_t{1};
      for (size_t s = 0; s < even; s += 2) {
        const auto wv = hn::BitCast(d16, hn::Set(d32, Pair(w + s)));
        sum0 = hn::ReorderWidenMulAccumulate(d32, wv, hn::LoadU(d16, vp + ((s / 2) * hd + i0) * 2), sum0, sum1);
      }
      if (even < count) {  // the last pair's second slot is past count: weight 0
        const auto wv = hn::BitCast(d16, hn::Set(d32, static_cast<int32_t>(w[even])));
        sum0 = hn::ReorderWidenMulAccumulate(d32, wv, hn::LoadU(d16, vp + ((even / 2) * hd + i0) * 2), sum0, sum1);
      }
      hn::StoreU(hn::RearrangeToOddPlusEven(sum0, sum1), d32, acc + i0);
    }
  }
#endif
  for (size_t i = i0; i < hd; ++i) {
    int32_t sum = 0;  // |Σ| ≤ 2^15·128
    for (size_t s = 0; s < count; ++s) sum += int32_t{w[s]} * vp[((s / 2) * hd + i) * 2 + s % 2];
    acc[i] = sum;
  }
  for (size_t i = 0; i < hd; ++i) o[i] = ValueOut(acc[i]);
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(AttentionScoresImpl);
HWY_EXPORT(AttentionValuesImpl);
HWY_EXPORT(AttentionScoresRingImpl);
HWY_EXPORT(AttentionValuesRingImpl);

void attention_values_ring_reference(const uint16_t* w, const int16_t* vp, size_t count, size_t hd, int32_t* acc,
                                     int8_t* o) {
  for (size_t i = 0; i < hd; ++i) {
    int64_t sum = 0;
    for (size_t s = 0; s < count; ++s) sum += int64_t{w[s]} * vp[((s / 2) * hd + i) * 2 + s % 2];
    acc[i] = static_cast<int32_t>(sum);
    o[i] = static_cast<int8_t>(std::clamp<int64_t>(round_shift_half_even(sum, 15), -128, 127));
  }
}

void attention_values_ring(const uint16_t* w, const int16_t* vp, size_t count, size_t hd, int32_t* acc, int8_t* o) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionValuesRingImpl)(w, vp, count, hd, acc, o);
}

void attention_scores_ring_reference(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count,
                                     size_t hd, int shift, int32_t* z) {
  for (size_t h = 0; h < heads; ++h)
    for (size_t s = 0; s < count; ++s) {
      int64_t dot = 0;
      for (size_t i = 0; i < hd; ++i) dot += int64_t{q[h * hd + i]} * kt[((i / 2) * window + s) * 2 + i % 2];
      const int64_t r = round_shift_half_even(dot, shift);
      z[h * count + s] = static_cast<int32_t>(
          std::clamp<int64_t>(r, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    }
}

void attention_scores_ring(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count, size_t hd,
                           int shift, int32_t* z) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionScoresRingImpl)(q, heads, kt, window, count, hd, shift, z);
}

void attention_scores_reference(const int16_t* q, const int16_t* const* keys, size_t count, size_t hd, int shift,
                                int32_t* z) {
  for (size_t j = 0; j < count; ++j) {
    int64_t dot = 0;
    for (size_t i = 0; i < hd; ++i) dot += int64_t{q[i]} * keys[j][i];
    const int64_t s = round_shift_half_even(dot, shift);
    z[j] = static_cast<int32_t>(
        std::clamp<int64_t>(s, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  }
}

void attention_scores(const int16_t* q, const int16_t* const* keys, size_t count, size_t hd, int shift, int32_t* z) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionScoresImpl)(q, keys, count, hd, shift, z);
}

void attention_values_reference(const uint16_t* w, const int8_t* const* values, size_t count, size_t hd,
                                int32_t* acc, int8_t* o) {
  for (size_t i = 0; i < hd; ++i) {
    int64_t sum = 0;
    for (size_t j = 0; j < count; ++j) sum += int64_t{w[j]} * values[j][i];
    acc[i] = static_cast<int32_t>(sum);
    o[i] = static_cast<int8_t>(std::clamp<int64_t>(round_shift_half_even(sum, 15), -128, 127));
  }
}

void attention_values(const uint16_t* w, const int8_t* const* values, size_t count, size_t hd, int32_t* acc,
                      int8_t* o) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionValuesImpl)(w, values, count, hd, acc, o);
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
