// nn/softmax.cpp — integer softmax (see softmax.h). The exp pass is compiled once per
// Highway target: 8 (AVX-512) or 4 (AVX2) logits at a time, (m − z)·multiplier as an exact
// 32 × 32 → 64-bit product, the rounding with shifts and masks, the table by gather; every
// target gives the reference's numbers (tests/nn_softmax_simd_test.cpp).
#include "nn/softmax.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <vector>

#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nn/simd_target.h"
#include "nzip/error.h"

#ifndef NZIP_SOFTMAX_TABLE64
#define NZIP_SOFTMAX_TABLE64
namespace nzip::nn::detail {
// kExp2Q30 widened to 64 bits, for 64-bit gathers.
inline const std::array<uint64_t, 256>& exp2_table64() {
  static const std::array<uint64_t, 256> t = [] {
    std::array<uint64_t, 256> a{};
    for (size_t i = 0; i < 256; ++i) a[i] = static_cast<uint64_t>(kExp2Q30[i]);
    return a;
  }();
  return t;
}

// f_i = 1 + ((e_i · r) >> 32) for 256 values, element by element; returns Σ f_i and the
// first index of the largest e_i in *top (the reference, and the SCALAR target's kernel).
inline uint32_t frequencies_scalar(const uint32_t* e, uint64_t r, uint16_t* freq, size_t* top) {
  uint32_t sum = 0;
  size_t t = 0;
  for (size_t i = 0; i < 256; ++i) {
    freq[i] = static_cast<uint16_t>(1 + ((e[i] * r) >> 32));
    sum += freq[i];
    if (e[i] > e[t]) t = i;
  }
  *top = t;
  return sum;
}
}  // namespace nzip::nn::detail
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/softmax.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// e_i for z_i with m = max z: x = min(rhe((m − z)·multiplier, shift), 8191) ≥ 0 (the
// product is non-negative, so rhe is floor plus one when the remainder exceeds half, or
// equals it with an odd floor); returns Σ e_i.
uint64_t SoftmaxExpImpl(const int32_t* z, size_t n, int64_t m, int64_t multiplier, int shift, uint32_t* e) {
  uint64_t sum = 0;
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<uint64_t> d64;
  const hn::RebindToSigned<decltype(d64)> di64;
  const hn::Rebind<int32_t, decltype(d64)> di32;
  const hn::Repartition<uint32_t, decltype(d64)> du32;
  const size_t L = hn::Lanes(d64);
  const uint64_t* table = detail::exp2_table64().data();
  const auto vm = hn::Set(di64, m);
  const auto vmult = hn::BitCast(du32, hn::Set(d64, static_cast<uint64_t>(multiplier)));
  const auto half = hn::Set(di64, shift > 0 ? int64_t{1} << (shift - 1) : 0);
  const auto mask = hn::Set(d64, (uint64_t{1} << shift) - 1);
  const auto one = hn::Set(d64, 1), low8 = hn::Set(d64, 255);
  const auto cap = hn::Set(di64, 8191);
  auto acc = hn::Zero(d64);
  const hn::Rebind<uint32_t, decltype(d64)> du32_half;
  auto exponent = [&](size_t at) {  // x of L logits from z + at, ≤ 8191
    // m − z_i ∈ [0, 2^32): its low 32 bits are the even u32 lane, so MulEven is exact.
    const auto dz = hn::BitCast(d64, hn::Sub(vm, hn::PromoteTo(di64, hn::LoadU(di32, z + at))));
    const auto p = hn::MulEven(hn::BitCast(du32, dz), vmult);  // < 2^62
    auto x = hn::ShiftRightSame(p, shift);
    if (shift > 0) {
      const auto up = hn::Gt(hn::BitCast(di64, hn::Add(hn::And(p, mask), hn::And(x, one))), half);
      x = hn::Add(x, hn::BitCast(d64, hn::IfThenElseZero(up, hn::Set(di64, 1))));
    }
    return hn::BitCast(d64, hn::Min(hn::BitCast(di64, x), cap));
  };
  // Two vectors of exponents at a time, narrowed into one vector of u32 lanes: one 32-bit
  // gather for both instead of two 64-bit ones (the gathers were most of this loop).
  const hn::Twice<decltype(du32_half)> d32w;
  const hn::RebindToSigned<decltype(d32w)> di32w;
  const int32_t* table32 = kExp2Q30;
  for (; i + 2 * L <= n; i += 2 * L) {
    const auto x = hn::Combine(d32w, hn::TruncateTo(du32_half, exponent(i + L)), hn::TruncateTo(du32_half, exponent(i)));
    const auto t = hn::GatherIndex(di32w, table32, hn::BitCast(di32w, hn::And(x, hn::Set(d32w, 255))));
    const auto ev = hn::Shr(hn::BitCast(d32w, t), hn::ShiftRight<8>(x));
    hn::StoreU(ev, d32w, e + i);  // e ≤ 2^30
    acc = hn::Add(acc, hn::Add(hn::PromoteTo(d64, hn::LowerHalf(du32_half, ev)),
                               hn::PromoteTo(d64, hn::UpperHalf(du32_half, ev))));
  }
  for (; i + L <= n; i += L) {
    const auto xc = exponent(i);
    const auto t = hn::GatherIndex(d64, table, hn::BitCast(di64, hn::And(xc, low8)));
    const auto ev = hn::Shr(t, hn::ShiftRight<8>(xc));
    acc = hn::Add(acc, ev);
    hn::StoreU(hn::TruncateTo(du32_half, ev), du32_half, e + i);  // e ≤ 2^30
  }
  sum = hn::GetLane(hn::SumOfLanes(d64, acc));
#endif
  for (; i < n; ++i) {
    const int64_t x = std::min<int64_t>(round_shift_half_even((m - z[i]) * multiplier, shift), 8191);
    e[i] = static_cast<uint32_t>(kExp2Q30[x & 255] >> (x >> 8));
    sum += e[i];
  }
  return sum;
}

// w_i = (e_i · r) >> 46 with e_i ≤ 2^30 and r ≤ 2^31: an exact 32 × 32 → 64-bit product.
void ScaleWeightsImpl(const uint32_t* e, size_t n, uint64_t r, uint16_t* w) {
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<uint64_t> d64;
  const hn::Rebind<uint32_t, decltype(d64)> d32;
  const hn::Repartition<uint32_t, decltype(d64)> du32;
  const size_t L = hn::Lanes(d64);
  const hn::Rebind<uint16_t, decltype(d64)> d16;
  const auto vr = hn::BitCast(du32, hn::Set(d64, r));
  for (; i + L <= n; i += L) {
    const auto ev = hn::BitCast(du32, hn::PromoteTo(d64, hn::LoadU(d32, e + i)));
    hn::StoreU(hn::TruncateTo(d16, hn::ShiftRight<46>(hn::MulEven(ev, vr))), d16, w + i);  // ≤ 2^15
  }
#endif
  for (; i < n; ++i) w[i] = static_cast<uint16_t>((e[i] * r) >> 46);
}

int32_t MaxImpl(const int32_t* z, size_t n) {
  int32_t m = z[0];
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> d;
  const size_t L = hn::Lanes(d);
  if (n >= L) {
    auto vm = hn::LoadU(d, z);
    for (i = L; i + L <= n; i += L) vm = hn::Max(vm, hn::LoadU(d, z + i));
    m = hn::GetLane(hn::MaxOfLanes(d, vm));
  }
#endif
  for (; i < n; ++i) m = std::max(m, z[i]);
  return m;
}

// f_i = 1 + ((e_i · r) >> 32) for 256 values (e_i ≤ 2^30, r < 2^32: exact 32 × 32 → 64-bit
// products); returns Σ f_i and the first index of the largest e_i in *top.
uint32_t FrequenciesImpl(const uint32_t* e, uint64_t r, uint16_t* freq, size_t* top) {
#if HWY_TARGET == HWY_SCALAR
  return detail::frequencies_scalar(e, r, freq, top);
#else
  const hn::ScalableTag<uint64_t> d64;
  const hn::Rebind<uint32_t, decltype(d64)> d32;
  const hn::Repartition<uint32_t, decltype(d64)> du32;
  const hn::Rebind<uint16_t, decltype(d64)> d16;
  const hn::ScalableTag<uint32_t> dfull;
  const size_t L = hn::Lanes(d64);
  const auto vr = hn::BitCast(du32, hn::Set(d64, r));
  const auto one = hn::Set(d64, 1);
  auto acc = hn::Zero(d64);
  for (size_t i = 0; i < 256; i += L) {
    const auto ev = hn::BitCast(du32, hn::PromoteTo(d64, hn::LoadU(d32, e + i)));
    const auto f = hn::Add(one, hn::ShiftRight<32>(hn::MulEven(ev, vr)));  // ≤ 2^16 − 255
    acc = hn::Add(acc, f);
    hn::StoreU(hn::TruncateTo(d16, f), d16, freq + i);
  }
  const size_t LF = hn::Lanes(dfull);
  auto vmax = hn::Zero(dfull);
  for (size_t j = 0; j < 256; j += LF) vmax = hn::Max(vmax, hn::LoadU(dfull, e + j));
  const auto best = hn::MaxOfLanes(dfull, vmax);
  for (size_t j = 0; j < 256; j += LF) {
    const intptr_t k = hn::FindFirstTrue(dfull, hn::Eq(hn::LoadU(dfull, e + j), best));
    if (k >= 0) {
      *top = j + static_cast<size_t>(k);
      break;
    }
  }
  return static_cast<uint32_t>(hn::GetLane(hn::SumOfLanes(d64, acc)));
#endif
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(SoftmaxExpImpl);
HWY_EXPORT(ScaleWeightsImpl);
HWY_EXPORT(MaxImpl);
HWY_EXPORT(FrequenciesImpl);

namespace {
void check_softmax(size_t n, int32_t multiplier, int shift) {
  if (n == 0 || multiplier < 0 || multiplier > kSoftmaxMaxMultiplier || shift < 0 || shift > kRequantizeMaxShift)
    throw Error(ErrorCode::invalid_argument,
                "softmax: n=" + std::to_string(n) + " multiplier=" + std::to_string(multiplier) +
                    " shift=" + std::to_string(shift) +
                    " out of range (n ≥ 1, 0 ≤ multiplier < 2^30, 0 ≤ shift ≤ 62)");
}
}  // namespace

uint64_t softmax_exp_reference(const int32_t* z, size_t n, int32_t multiplier, int shift, uint32_t* e) {
  check_softmax(n, multiplier, shift);
  const int64_t m = *std::max_element(z, z + n);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t x = std::min<int64_t>(round_shift_half_even((m - z[i]) * multiplier, shift), 8191);
    e[i] = static_cast<uint32_t>(kExp2Q30[x & 255] >> (x >> 8));
    sum += e[i];
  }
  return sum;
}

uint64_t softmax_exp(const int32_t* z, size_t n, int32_t multiplier, int shift, uint32_t* e) {
  check_softmax(n, multiplier, shift);
  ensure_simd_env_applied();
  const int64_t m = HWY_DYNAMIC_DISPATCH(MaxImpl)(z, n);
  return HWY_DYNAMIC_DISPATCH(SoftmaxExpImpl)(z, n, m, multiplier, shift, e);
}

void softmax_weights_q15_reference(const int32_t* z, size_t n, int32_t multiplier, int shift, uint16_t* w) {
  std::vector<uint32_t> e(n);
  const uint64_t total = softmax_exp_reference(z, n, multiplier, shift, e.data());
  const uint64_t r = (uint64_t{1} << 61) / total;
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<uint16_t>((e[i] * r) >> 46);
}

void softmax_weights_q15(const int32_t* z, size_t n, int32_t multiplier, int shift, uint16_t* w) {
  // Attention calls this per head and row: a window's worth of scratch on the stack.
  uint32_t local[1024];
  std::vector<uint32_t> heap;
  uint32_t* e = local;
  if (n > std::size(local)) {
    heap.resize(n);
    e = heap.data();
  }
  const uint64_t total = softmax_exp(z, n, multiplier, shift, e);
  HWY_DYNAMIC_DISPATCH(ScaleWeightsImpl)(e, n, (uint64_t{1} << 61) / total, w);
}

namespace {
// The frequencies from e (Σ e = total) by `kernel` (FrequenciesImpl's contract), with the
// remainder to 2^16 given to the first symbol of largest e.
template <class Kernel>
void frequencies_from(const uint32_t* e, uint64_t total, uint16_t* freq, Kernel kernel) {
  constexpr uint64_t kSpread = kFrequencyTotal - 256;
  size_t top = 0;
  const uint32_t sum = kernel(e, (kSpread << 32) / total, freq, &top);
  freq[top] = static_cast<uint16_t>(freq[top] + (kFrequencyTotal - sum));
}
}  // namespace

void softmax_frequencies_reference(const int32_t* z256, int32_t multiplier, int shift, uint16_t* freq) {
  uint32_t e[256];
  frequencies_from(e, softmax_exp_reference(z256, 256, multiplier, shift, e), freq, detail::frequencies_scalar);
}

void softmax_frequencies(const int32_t* z256, int32_t multiplier, int shift, uint16_t* freq) {
  uint32_t e[256];
  frequencies_from(e, softmax_exp(z256, 256, multiplier, shift, e), freq, HWY_DYNAMIC_DISPATCH(FrequenciesImpl));
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
