// nn/requantize.cpp — requantisation (see requantize.h), compiled once per Highway target.
// The vector version forms the 64-bit products of even and odd int32 lanes with MulEven,
// rounds and clamps them in int64 lanes, and re-interleaves the low halves; element tails
// and the SCALAR target use the reference formula itself.
#include "nn/requantize.h"

#include <algorithm>
#include <limits>
#include <string>

#include "nn/simd_target.h"
#include "nzip/error.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/requantize.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "nn/round_half_even-inl.h"

#ifndef NZIP_NN_REQUANTIZE_ONCE
#define NZIP_NN_REQUANTIZE_ONCE
namespace nzip::nn::detail {
inline void add_saturated_scalar(int16_t* x, const int16_t* y, size_t n) {
  for (size_t i = 0; i < n; ++i)
    x[i] = static_cast<int16_t>(std::clamp<int32_t>(int32_t{x[i]} + y[i], std::numeric_limits<int16_t>::min(),
                                                     std::numeric_limits<int16_t>::max()));
}

template <class T>
inline void requantize_scalar(const int32_t* x, size_t n, int32_t multiplier, int shift, T* y) {
  constexpr int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  for (size_t i = 0; i < n; ++i) {
    const int64_t q = round_shift_half_even(int64_t{x[i]} * multiplier, shift);
    y[i] = static_cast<T>(std::clamp(q, lo, hi));
  }
}
}  // namespace nzip::nn::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
void RequantizeT(const int32_t* x, size_t n, int32_t multiplier, int shift, T* y) {
#if HWY_TARGET == HWY_SCALAR
  detail::requantize_scalar(x, n, multiplier, shift, y);
#elif HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  // AVX-512: 8 values per int64 vector (sign-extended, so one product each), and VPMOVSQB /
  // VPMOVSQW clamp and narrow in one step, with no even/odd split to undo.
  const hn::ScalableTag<int64_t> d64;
  const hn::Rebind<int32_t, decltype(d64)> d32;
  const hn::Repartition<int32_t, decltype(d64)> d32_pairs;
  const size_t L = hn::Lanes(d64);
  const auto m = hn::BitCast(d32_pairs, hn::Set(d64, multiplier));
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const auto v = hn::BitCast(d32_pairs, hn::PromoteTo(d64, hn::LoadU(d32, x + i)));
    const auto q = RoundShiftHalfEven(d64, hn::MulEven(v, m), shift);
    if constexpr (sizeof(T) == 1) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(y + i), _mm512_cvtsepi64_epi8(q.raw));
    } else {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), _mm512_cvtsepi64_epi16(q.raw));
    }
  }
  detail::requantize_scalar(x + i, n - i, multiplier, shift, y + i);
#else
  const hn::ScalableTag<int32_t> d32;
  const hn::Repartition<int64_t, decltype(d32)> d64;
  const hn::Rebind<T, decltype(d32)> dt;
  const size_t L = hn::Lanes(d32);
  const auto m = hn::Set(d32, multiplier);
  const auto lo = hn::Set(d64, std::numeric_limits<T>::min());
  const auto hi = hn::Set(d64, std::numeric_limits<T>::max());
  const auto low32 = hn::Set(d64, 0xFFFFFFFFll);
  auto round_clamp = [&](hn::Vec<decltype(d64)> p) {
    return hn::Min(hn::Max(RoundShiftHalfEven(d64, p, shift), lo), hi);
  };
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const auto v = hn::LoadU(d32, x + i);
    const auto even = round_clamp(hn::MulEven(v, m));
    const auto odd_in = hn::BitCast(d32, hn::ShiftRight<32>(hn::BitCast(d64, v)));
    const auto odd = round_clamp(hn::MulEven(odd_in, m));
    const auto both = hn::Or(hn::And(even, low32), hn::ShiftLeft<32>(odd));
    hn::StoreU(hn::DemoteTo(dt, hn::BitCast(d32, both)), dt, y + i);
  }
  detail::requantize_scalar(x + i, n - i, multiplier, shift, y + i);
#endif
}

void RequantizeI8(const int32_t* x, size_t n, int32_t multiplier, int shift, int8_t* y) {
  RequantizeT(x, n, multiplier, shift, y);
}
void RequantizeI16(const int32_t* x, size_t n, int32_t multiplier, int shift, int16_t* y) {
  RequantizeT(x, n, multiplier, shift, y);
}

void AddSaturatedI16(int16_t* x, const int16_t* y, size_t n) {
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int16_t> d;
  const size_t L = hn::Lanes(d);
  for (; i + L <= n; i += L) hn::StoreU(hn::SaturatedAdd(hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, x + i);
#endif
  detail::add_saturated_scalar(x + i, y + i, n - i);
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(RequantizeI8);
HWY_EXPORT(RequantizeI16);
HWY_EXPORT(AddSaturatedI16);

namespace {
void check_params(int32_t multiplier, int shift) {
  if (multiplier < 0 || shift < 0 || shift > kRequantizeMaxShift)
    throw Error(ErrorCode::invalid_argument,
                "requantize: multiplier " + std::to_string(multiplier) + " / shift " +
                    std::to_string(shift) + " out of range (multiplier ≥ 0, 0 ≤ shift ≤ 62)");
}
}  // namespace

void requantize_i8_reference(const int32_t* x, size_t n, int32_t multiplier, int shift, int8_t* y) {
  check_params(multiplier, shift);
  detail::requantize_scalar(x, n, multiplier, shift, y);
}
void requantize_i16_reference(const int32_t* x, size_t n, int32_t multiplier, int shift, int16_t* y) {
  check_params(multiplier, shift);
  detail::requantize_scalar(x, n, multiplier, shift, y);
}
void requantize_i8(const int32_t* x, size_t n, int32_t multiplier, int shift, int8_t* y) {
  ensure_simd_env_applied();
  check_params(multiplier, shift);
  HWY_DYNAMIC_DISPATCH(RequantizeI8)(x, n, multiplier, shift, y);
}
void requantize_i16(const int32_t* x, size_t n, int32_t multiplier, int shift, int16_t* y) {
  ensure_simd_env_applied();
  check_params(multiplier, shift);
  HWY_DYNAMIC_DISPATCH(RequantizeI16)(x, n, multiplier, shift, y);
}

void add_saturated_i16_reference(int16_t* x, const int16_t* y, size_t n) { detail::add_saturated_scalar(x, y, n); }
void add_saturated_i16(int16_t* x, const int16_t* y, size_t n) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(AddSaturatedI16)(x, y, n);
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
