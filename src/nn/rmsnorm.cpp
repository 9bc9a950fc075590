// nn/rmsnorm.cpp — fixed-point RMSNorm (see rmsnorm.h). Compiled once per Highway target:
// the sum of squares (int16 → int32 widening, x² in int32 (≤ 2^30), even and odd int32 lanes
// added into uint64 accumulators) and the per-element stage (64-bit products of even and
// odd int32 lanes, as in requantize.cpp).
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

#include "nn/round_half_even-inl.h"

#ifndef NZIP_NN_RMSNORM_ONCE
#define NZIP_NN_RMSNORM_ONCE
namespace nzip::nn::detail {
// inv = floor(2^40 / isqrt64(floor(ss·2^16/d) + eps)), rmsnorm.h's definition.
inline int64_t inverse_rms(int64_t ss, size_t d, int64_t eps) {
  const auto ms = static_cast<uint64_t>((ss << 16) / static_cast<int64_t>(d) + eps);
  return static_cast<int64_t>((uint64_t{1} << 40) / isqrt64(ms));
}

// The per-element stage, element by element.
inline void normalise_scalar(const int16_t* x, size_t d, const int16_t* gain, int64_t inv, int out_shift,
                             int8_t* y) {
  for (size_t i = 0; i < d; ++i) {
    const int64_t t = round_shift_half_even(x[i] * inv, 16);
    const int64_t q = round_shift_half_even(t * gain[i], out_shift);
    y[i] = static_cast<int8_t>(std::clamp<int64_t>(q, -128, 127));
  }
}
}  // namespace nzip::nn::detail
#endif

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

// y_i = clamp(rhe(rhe(x_i·inv, 16)·gain_i, out_shift)) with 0 ≤ inv ≤ 2^40. x·inv is formed
// exactly from 32 × 32 → 64-bit products as (x·(inv >> 16)) << 16 + x·(inv & 0xFFFF)
// (|x·(inv >> 16)| < 2^40, so the shift cannot overflow); |t| ≤ 2^24 fits the low half of
// its int64 lane, which MulEven reads as int32.
void NormaliseImpl(const int16_t* x, size_t d, const int16_t* gain, int64_t inv, int out_shift, int8_t* y) {
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> d32;
  const hn::Repartition<int64_t, decltype(d32)> d64;
  const hn::Rebind<int16_t, decltype(d32)> d16;
  const hn::Rebind<int8_t, decltype(d32)> d8;
  const size_t L = hn::Lanes(d32);
  const auto inv_hi = hn::Set(d32, static_cast<int32_t>(inv >> 16));
  const auto inv_lo = hn::Set(d32, static_cast<int32_t>(inv & 0xFFFF));
  const auto lo = hn::Set(d64, -128), hi = hn::Set(d64, 127), low32 = hn::Set(d64, 0xFFFFFFFFll);
  // inv < 2^31 (any row whose rms is not tiny) fits one int32 lane: one exact product.
  const bool narrow = inv < (int64_t{1} << 31);
  const auto inv32 = hn::Set(d32, static_cast<int32_t>(narrow ? inv : 0));
  // The even int32 lanes of xs and gs → the results in int64 lanes.
  auto even_lanes = [&](hn::Vec<decltype(d32)> xs, hn::Vec<decltype(d32)> gs) {
    const auto p = narrow ? hn::MulEven(xs, inv32)
                          : hn::Add(hn::ShiftLeft<16>(hn::MulEven(xs, inv_hi)), hn::MulEven(xs, inv_lo));
    const auto t = RoundShiftHalfEven(d64, p, 16);
    const auto q = RoundShiftHalfEven(d64, hn::MulEven(hn::BitCast(d32, t), gs), out_shift);
    return hn::Min(hn::Max(q, lo), hi);
  };
  auto odd_to_even = [&](hn::Vec<decltype(d32)> v) {
    return hn::BitCast(d32, hn::ShiftRight<32>(hn::BitCast(d64, v)));
  };
  for (; i + L <= d; i += L) {
    const auto xv = hn::PromoteTo(d32, hn::LoadU(d16, x + i));
    const auto gv = hn::PromoteTo(d32, hn::LoadU(d16, gain + i));
    const auto even = even_lanes(xv, gv);
    const auto odd = even_lanes(odd_to_even(xv), odd_to_even(gv));
    const auto both = hn::Or(hn::And(even, low32), hn::ShiftLeft<32>(odd));
    hn::StoreU(hn::DemoteTo(d8, hn::BitCast(d32, both)), d8, y + i);
  }
#endif
  detail::normalise_scalar(x + i, d - i, gain + i, inv, out_shift, y + i);
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(SumSquaresImpl);
HWY_EXPORT(NormaliseImpl);

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

}  // namespace

void rmsnorm_reference(const int16_t* x, size_t lanes, size_t d, const int16_t* gain,
                       int64_t eps, int out_shift, int8_t* y) {
  check_params(d, eps, out_shift);
  for (size_t l = 0; l < lanes; ++l) {
    const int64_t inv = detail::inverse_rms(sum_squares_reference(x + l * d, d), d, eps);
    detail::normalise_scalar(x + l * d, d, gain, inv, out_shift, y + l * d);
  }
}

void rmsnorm(const int16_t* x, size_t lanes, size_t d, const int16_t* gain, int64_t eps,
             int out_shift, int8_t* y) {
  check_params(d, eps, out_shift);
  ensure_simd_env_applied();
  for (size_t l = 0; l < lanes; ++l) {
    const int64_t inv = detail::inverse_rms(HWY_DYNAMIC_DISPATCH(SumSquaresImpl)(x + l * d, d), d, eps);
    HWY_DYNAMIC_DISPATCH(NormaliseImpl)(x + l * d, d, gain, inv, out_shift, y + l * d);
  }
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
