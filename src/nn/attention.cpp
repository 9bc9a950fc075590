// nn/attention.cpp — attention's inner loops (see attention.h), compiled once per Highway
// target: plain integer loops that the compiler vectorises for each target's instruction
// set (int16 products summed in int32 when a bound proves that exact, else in int64;
// uint16 × int8 products summed in int32).
#include "nn/attention.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

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

#if HWY_TARGET != HWY_SCALAR
// f(std::integral_constant<size_t, g>{}) for a head group of g ∈ [1, 4]: the group kernels
// take their size as a template argument, so their accumulators are registers.
template <class F>
void WithGroupSize(size_t g, F&& f) {
  switch (g) {
    case 4: f(std::integral_constant<size_t, 4>{}); break;
    case 3: f(std::integral_constant<size_t, 3>{}); break;
    case 2: f(std::integral_constant<size_t, 2>{}); break;
    default: f(std::integral_constant<size_t, 1>{}); break;
  }
}
#endif

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

#if HWY_TARGET != HWY_SCALAR
// G query heads against the shared key ring, slots [0, s_end) (a multiple of the vector
// length): each key vector is loaded once for the G heads. One int32 lane per slot: PMADDWD
// of (q[2p], q[2p+1]) with the slot's pair, summed over p; exact because the caller proved
// that no partial sum can reach 2^31.
template <size_t G>
void ScoresRingGroup(const int16_t* q, const int16_t* kt, size_t window, size_t count, size_t s_end, size_t hd,
                     int shift, int32_t* z) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<int32_t> d32;
  const hn::Repartition<int16_t, decltype(d32)> d16;
  using V = hn::Vec<decltype(d32)>;
  const size_t L = hn::Lanes(d32);
  // round_half_even(dot, shift) on int32 lanes, exact for shift ≤ 30 (|dot| < 2^31, so the
  // rounded value fits and r + 1 ≤ 2^shift does not overflow); larger shifts go lane by lane.
  const bool round_in_lanes = shift <= 30;
  const V rmask = hn::Set(d32, shift == 0 || !round_in_lanes ? 0 : static_cast<int32_t>((int64_t{1} << shift) - 1));
  const V half = hn::Set(d32, shift == 0 || !round_in_lanes ? 0 : int32_t{1} << (shift - 1));
  const V one = hn::Set(d32, 1);
  for (size_t s0 = 0; s0 < s_end; s0 += L) {
    V sum0[G], sum1[G];
    for (size_t h = 0; h < G; ++h) sum0[h] = sum1[h] = hn::Zero(d32);
    for (size_t p = 0; p < hd / 2; ++p) {
      const auto kv = hn::LoadU(d16, kt + (p * window + s0) * 2);
      for (size_t h = 0; h < G; ++h) {
        const auto qv = hn::BitCast(d16, hn::Set(d32, Pair(q + h * hd + 2 * p)));
        sum0[h] = hn::ReorderWidenMulAccumulate(d32, qv, kv, sum0[h], sum1[h]);
      }
    }
    for (size_t h = 0; h < G; ++h) {
      const V dot = hn::RearrangeToOddPlusEven(sum0[h], sum1[h]);
      int32_t* zh = z + h * count + s0;
      if (round_in_lanes) {
        V r = dot;
        if (shift != 0) {
          const V f = hn::ShiftRightSame(dot, shift);
          const auto up = hn::Gt(hn::Add(hn::And(dot, rmask), hn::And(f, one)), half);
          r = hn::Sub(f, hn::VecFromMask(d32, up));  // the mask is −1 where rounding up
        }
        hn::StoreU(r, d32, zh);
      } else {
        HWY_ALIGN int32_t lanes[hn::MaxLanes(d32)];
        hn::Store(dot, d32, lanes);
        for (size_t i = 0; i < L; ++i) zh[i] = Score(lanes[i], shift);
      }
    }
  }
}
#endif

void AttentionScoresRingImpl(const int16_t* q, size_t heads, const int16_t* kt, size_t window, size_t count,
                             size_t hd, int shift, int32_t* z, [[maybe_unused]] int32_t* key_bound) {
  // Heads go in groups of up to four; a group whose every head passes the bound runs
  // vectorised, any other head takes the exact 64-bit loop.
  constexpr size_t kGroup = 4;
  [[maybe_unused]] size_t s_end = 0;
#if HWY_TARGET != HWY_SCALAR
  s_end = count / hwy::HWY_NAMESPACE::Lanes(hwy::HWY_NAMESPACE::ScalableTag<int32_t>()) *
          hwy::HWY_NAMESPACE::Lanes(hwy::HWY_NAMESPACE::ScalableTag<int32_t>());
  // A bound on the keys: the caller's (kept as keys are stored) or found here, once for all
  // query heads (multi-query: they share the keys). A caller's bound that is too loose for
  // a group is replaced by the exact one, which is handed back.
  auto exact_kmax = [&] {
    int32_t m = 0;
    for (size_t p = 0; p < hd / 2; ++p) m = std::max(m, MaxAbs(kt + p * window * 2, 2 * count));
    return m;
  };
  bool exact = key_bound == nullptr;
  int64_t kmax = exact ? exact_kmax() : *key_bound;
#endif
  for (size_t h0 = 0; h0 < heads; h0 += kGroup) {
    const size_t g = std::min(kGroup, heads - h0);
    const int16_t* qg = q + h0 * hd;
    int32_t* zg = z + h0 * count;
    size_t from = 0;  // slots before `from` are done for the group
#if HWY_TARGET != HWY_SCALAR
    int64_t qmax = 0;
    for (size_t h = 0; h < g; ++h) qmax = std::max<int64_t>(qmax, MaxAbs(qg + h * hd, hd));
    bool exact32 = static_cast<int64_t>(hd) * qmax * kmax < (int64_t{1} << 31);
    if (!exact32 && !exact) {
      *key_bound = exact_kmax();
      kmax = *key_bound;
      exact = true;
      exact32 = static_cast<int64_t>(hd) * qmax * kmax < (int64_t{1} << 31);
    }
    if (exact32 && s_end > 0) {
      WithGroupSize(g, [&](auto G) { ScoresRingGroup<G.value>(qg, kt, window, count, s_end, hd, shift, zg); });
      from = s_end;
    }
#endif
    for (size_t h = 0; h < g; ++h)
      for (size_t s = from; s < count; ++s) zg[h * count + s] = Score(RingDot64(qg + h * hd, kt, window, s, hd), shift);
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

#if HWY_TARGET != HWY_SCALAR
// G heads' weights w (G, count) against the shared value ring, components [0, i_end) (a
// multiple of the vector length) into acc (G, hd): each value vector is loaded once for the
// G heads. PMADDWD needs the weights as int16: the caller checked that all are < 2^15.
template <size_t G>
void ValuesRingGroup(const uint16_t* w, const int16_t* vp, size_t count, size_t hd, size_t i_end, int32_t* acc) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<int32_t> d32;
  const hn::Repartition<int16_t, decltype(d32)> d16;
  using V = hn::Vec<decltype(d32)>;
  const size_t L = hn::Lanes(d32);
  const size_t even = count & ~size_t{1};
  for (size_t i0 = 0; i0 < i_end; i0 += L) {
    V sum0[G], sum1[G];
    for (size_t h = 0; h < G; ++h) sum0[h] = sum1[h] = hn::Zero(d32);
    for (size_t s = 0; s < even; s += 2) {
      const auto v = hn::LoadU(d16, vp + ((s / 2) * hd + i0) * 2);
      for (size_t h = 0; h < G; ++h) {
        const auto wv = hn::BitCast(d16, hn::Set(d32, Pair(w + h * count + s)));
        sum0[h] = hn::ReorderWidenMulAccumulate(d32, wv, v, sum0[h], sum1[h]);
      }
    }
    if (even < count) {  // the last pair's second slot is past count: weight 0
      const auto v = hn::LoadU(d16, vp + ((even / 2) * hd + i0) * 2);
      for (size_t h = 0; h < G; ++h) {
        const auto wv = hn::BitCast(d16, hn::Set(d32, static_cast<int32_t>(w[h * count + even])));
        sum0[h] = hn::ReorderWidenMulAccumulate(d32, wv, v, sum0[h], sum1[h]);
      }
    }
    for (size_t h = 0; h < G; ++h) hn::StoreU(hn::RearrangeToOddPlusEven(sum0[h], sum1[h]), d32, acc + h * hd + i0);
  }
}
#endif

void AttentionValuesRingImpl(const uint16_t* w, size_t heads, const int16_t* vp, size_t count, size_t hd,
                             int32_t* acc, int8_t* o) {
  constexpr size_t kGroup = 4;
  [[maybe_unused]] size_t i_end = 0;
#if HWY_TARGET != HWY_SCALAR
  i_end = hd / hwy::HWY_NAMESPACE::Lanes(hwy::HWY_NAMESPACE::ScalableTag<int32_t>()) *
          hwy::HWY_NAMESPACE::Lanes(hwy::HWY_NAMESPACE::ScalableTag<int32_t>());
#endif
  for (size_t h0 = 0; h0 < heads; h0 += kGroup) {
    const size_t g = std::min(kGroup, heads - h0);
    const uint16_t* wg = w + h0 * count;
    int32_t* ag = acc + h0 * hd;
    size_t from = 0;  // components before `from` are done for the group
#if HWY_TARGET != HWY_SCALAR
    // A weight of 2^15 (all attention on one position) takes the plain loop below.
    if (i_end > 0 && *std::max_element(wg, wg + g * count) < 32768) {
      WithGroupSize(g, [&](auto G) { ValuesRingGroup<G.value>(wg, vp, count, hd, i_end, ag); });
      from = i_end;
    }
#endif
    for (size_t h = 0; h < g; ++h)
      for (size_t i = from; i < hd; ++i) {
        int32_t sum = 0;  // |Σ| ≤ 2^15·128
        for (size_t s = 0; s < count; ++s) sum += int32_t{wg[h * count + s]} * vp[((s / 2) * hd + i) * 2 + s % 2];
        ag[h * hd + i] = sum;
      }
  }
  for (size_t i = 0; i < heads * hd; ++i) o[i] = ValueOut(acc[i]);
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

void attention_values_ring_reference(const uint16_t* w, size_t heads, const int16_t* vp, size_t count, size_t hd,
                                     int32_t* acc, int8_t* o) {
  for (size_t h = 0; h < heads; ++h)
    for (size_t i = 0; i < hd; ++i) {
      int64_t sum = 0;
      for (size_t s = 0; s < count; ++s) sum += int64_t{w[h * count + s]} * vp[((s / 2) * hd + i) * 2 + s % 2];
      acc[h * hd + i] = static_cast<int32_t>(sum);
      o[h * hd + i] = static_cast<int8_t>(std::clamp<int64_t>(round_shift_half_even(sum, 15), -128, 127));
    }
}

void attention_values_ring(const uint16_t* w, size_t heads, const int16_t* vp, size_t count, size_t hd, int32_t* acc,
                           int8_t* o) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionValuesRingImpl)(w, heads, vp, count, hd, acc, o);
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
                           int shift, int32_t* z, int32_t* key_bound) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AttentionScoresRingImpl)(q, heads, kt, window, count, hd, shift, z, key_bound);
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
