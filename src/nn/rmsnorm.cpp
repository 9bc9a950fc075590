// nn/rmsnorm.cpp — fixed-point RMSNorm (see rmsnorm.h); the sum of squares is compiled once
// per Highway target: int16 → int32 widening, x² in int32 (≤ 2^30), even and odd int32
// lanes added into uint64 accumulators.
#include "nn/rmsnorm.h"

#include <algorithm>
#include <string>

#include "nn/isqrt.h"
#include "nn/requantize.h"
#include "nn/simd_target.h"
#include "nzip/error.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/rmsnorm.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

int64_t SumSquaresImpl(const int16_t* x, size_t n) {
  int64_t tail = 0;
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> d32;
  const hn::Rebind<int16_t, decltype(d32)> d16;
  const hn::Repartition<uint64_t, decltype(d32)> d64;
  const size_t L = hn::Lanes(d32);
  const auto low32 = hn::Set(d64, 0xFFFFFFFFull);
  auto acc = hn::Zero(d64);
  for (; i + L <= n; i += L) {
    const auto v = hn::PromoteTo(d32, hn::LoadU(d16, x + i));
    const auto sq = hn::BitCast(d64, hn::Mul(v, v));  // two squares per uint64 lane
    acc = hn::Add(acc, hn::Add(hn::And(sq, low32), hn::ShiftRight<32>(sq)));
  }
  // ≤ 2^33 adds of < 2^31 each stay below 2^64.
  tail = static_cast<int64_t>(hn::GetLane(hn::SumOfLanes(d64, acc)));
#endif
  for (; i < n; ++i) tail += int32_t{x[i]} * x[i];
  return tail;
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(SumSquaresImpl);

int64_t sum_squares_reference(const int16_t* x, size_t n) {
  int64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += int32_t{x[i]} * x[i];
  return s;
}

int64_t sum_squares(const int16_t* x, size_t n) {
  ensure_simd_env_applied();
  return HWY_DYNAMIC_DISPATCH(SumSquaresImpl)(x, n);
}

namespace {

void check_params(size_t d, int64_t eps, int out_shift) {
  if (d == 0 || d > kRmsNormMaxD || eps < 1 || eps > kRmsNormMaxEps || out_shift < 0 ||
      out_shift > kRequantizeMaxShift)
    throw Error(ErrorCode::invalid_argument,
                "rmsnorm: d=" + std::to_string(d) + " eps=" + std::to_string(eps) +
                    " out_shift=" + std::to_string(out_shift) +
                    " out of range (1 ≤ d ≤ 65536, 1 ≤ eps ≤ 2^46, 0 ≤ out_shift ≤ 62)");
}

// Everything after the sum of squares, for one lane.
void normalise_lane(const int16_t* x, size_t d, const int16_t* gain, int64_t eps, int out_shift,
                    int64_t ss, int8_t* y) {
  const auto ms = static_cast<uint64_t>((ss << 16) / static_cast<int64_t>(d) + eps);
  const uint64_t r = isqrt64(ms);
  const int64_t inv = static_cast<int64_t>((uint64_t{1} << 40) / r);
  for (size_t i = 0; i < d; ++i) {
    const int64_t t = round_shift_half_even(x[i] * inv, 16);
    const int64_t q = round_shift_half_even(t * gain[i], out_shift);
    y[i] = static_cast<int8_t>(std::clamp<int64_t>(q, -128, 127));
  }
}

}  // namespace

void rmsnorm_reference(const int16_t* x, size_t lanes, size_t d, const int16_t* gain,
                       int64_t eps, int out_shift, int8_t* y) {
  check_params(d, eps, out_shift);
  for (size_t l = 0; l < lanes; ++l)
    normalise_lane(x + l * d, d, gain, eps, out_shift, sum_squares_reference(x + l * d, d), y + l * d);
}

void rmsnorm(const int16_t* x, size_t lanes, size_t d, const int16_t* gain, int64_t eps,
             int out_shift, int8_t* y) {
  check_params(d, eps, out_shift);
  for (size_t l = 0; l < lanes; ++l)
    normalise_lane(x + l * d, d, gain, eps, out_shift, sum_squares(x + l * d, d), y + l * d);
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
