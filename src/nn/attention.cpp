// nn/attention.cpp — attention's inner loops (see attention.h), compiled once per Highway
// target: plain integer loops that the compiler vectorises for each target's instruction
// set (int16 products summed in int32 when a bound proves that exact, else in int64;
// uint16 × int8 products summed in int32).
#include "nn/attention.h"

#include <algorithm>
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

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(AttentionScoresImpl);
HWY_EXPORT(AttentionValuesImpl);

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
