// nn/round_half_even-inl.h — round_shift_half_even (requantize.h) on int64 vector lanes, for
// the Highway kernels that form 64-bit products (requantize, rmsnorm). Included inside
// HWY_NAMESPACE once per target, like Highway's own -inl headers.
#if defined(NZIP_NN_ROUND_HALF_EVEN_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NZIP_NN_ROUND_HALF_EVEN_INL_H_
#undef NZIP_NN_ROUND_HALF_EVEN_INL_H_
#else
#define NZIP_NN_ROUND_HALF_EVEN_INL_H_
#endif

#include <cstdint>

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {

#if HWY_TARGET != HWY_SCALAR
// p >> shift rounded half to even, per int64 lane, for 0 ≤ shift ≤ 62: the floor f, then
// one more where the remainder (plus f's parity) passes half.
template <class D64>
hwy::HWY_NAMESPACE::Vec<D64> RoundShiftHalfEven(D64 d64, hwy::HWY_NAMESPACE::Vec<D64> p, int shift) {
  namespace hn = hwy::HWY_NAMESPACE;
  if (shift == 0) return p;
  const auto f = hn::ShiftRightSame(p, shift);
  const auto r = hn::And(p, hn::Set(d64, (int64_t{1} << shift) - 1));
  const auto up = hn::Gt(hn::Add(r, hn::And(f, hn::Set(d64, 1))), hn::Set(d64, int64_t{1} << (shift - 1)));
  return hn::Sub(f, hn::VecFromMask(d64, up));  // the mask is −1 where rounding up
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#endif  // NZIP_NN_ROUND_HALF_EVEN_INL_H_
