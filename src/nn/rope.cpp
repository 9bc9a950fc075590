// nn/rope.cpp — rotary position embedding (see rope.h). The rotation of a run of rows at
// one position is compiled once per Highway target: int32 lanes suffice, because
// |x0·c − x1·s| ≤ |(x0, x1)|·|(c, s)| ≤ 2^15·√2 · 2^15·(1 + 2^-15) < 2^31 (Cauchy–Schwarz;
// the table's c² + s² exceeds 2^30 by rounding only), so the int64 formula of rope.h and
// the int32 one give the same numbers (tests/nn_ops_test.cpp compares every target with
// the reference at every angle).
#include "nn/rope.h"

#include <algorithm>
#include <string>
#include <vector>

#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nn/simd_target.h"
#include "nzip/error.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/rope.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#ifndef NZIP_NN_ROPE_ONCE
#define NZIP_NN_ROPE_ONCE
namespace nzip::nn::detail {
// Rows x (rows, 2h) rotated by the angles whose cosines and sines are cs[0, h), cs[h, 2h).
inline void rotate_rows_scalar(int16_t* x, size_t rows, size_t h, const int32_t* cs, size_t j0) {
  auto sat16 = [](int64_t v) { return static_cast<int16_t>(std::clamp<int64_t>(v, -32768, 32767)); };
  for (size_t r = 0; r < rows; ++r) {
    int16_t* xl = x + r * 2 * h;
    for (size_t j = j0; j < h; ++j) {
      const int64_t c = cs[j], s = cs[h + j];
      const int64_t x0 = xl[j], x1 = xl[j + h];
      xl[j] = sat16(round_shift_half_even(x0 * c - x1 * s, 15));
      xl[j + h] = sat16(round_shift_half_even(x0 * s + x1 * c, 15));
    }
  }
}
}  // namespace nzip::nn::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void RotateRowsImpl(int16_t* x, size_t rows, size_t h, const int32_t* cs) {
  size_t j_end = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> d32;
  const hn::Rebind<int16_t, decltype(d32)> d16;
  const size_t L = hn::Lanes(d32);
  j_end = h / L * L;
  const auto rmask = hn::Set(d32, 0x7FFF), half = hn::Set(d32, 0x4000), one = hn::Set(d32, 1);
  auto round15 = [&](hn::Vec<decltype(d32)> v) {
    const auto f = hn::ShiftRight<15>(v);
    const auto up = hn::Gt(hn::Add(hn::And(v, rmask), hn::And(f, one)), half);
    return hn::Sub(f, hn::VecFromMask(d32, up));  // the mask is −1 where rounding up
  };
  for (size_t r = 0; r < rows; ++r) {
    int16_t* xl = x + r * 2 * h;
    for (size_t j = 0; j < j_end; j += L) {
      const auto x0 = hn::PromoteTo(d32, hn::LoadU(d16, xl + j));
      const auto x1 = hn::PromoteTo(d32, hn::LoadU(d16, xl + h + j));
      const auto c = hn::LoadU(d32, cs + j), s = hn::LoadU(d32, cs + h + j);
      const auto a = round15(hn::Sub(hn::Mul(x0, c), hn::Mul(x1, s)));
      const auto b = round15(hn::Add(hn::Mul(x0, s), hn::Mul(x1, c)));
      hn::StoreU(hn::DemoteTo(d16, a), d16, xl + j);  // DemoteTo saturates: sat16
      hn::StoreU(hn::DemoteTo(d16, b), d16, xl + h + j);
    }
  }
#endif
  detail::rotate_rows_scalar(x, rows, h, cs, j_end);
}

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(RotateRowsImpl);

int32_t sin4096_q15(uint32_t i) {
  const uint32_t q = (i >> 10) & 3, k = i & 1023;
  switch (q) {
    case 0: return kSinQuarterQ15[k];
    case 1: return kSinQuarterQ15[1024 - k];
    case 2: return -kSinQuarterQ15[k];
    default: return -kSinQuarterQ15[1024 - k];
  }
}

namespace {

void check_dimension(size_t d) {
  if (d == 0 || d % 2 != 0)
    throw Error(ErrorCode::invalid_argument, "rope: dimension " + std::to_string(d) + " is not a positive even number");
}

// cs = the cosines, then the sines, of position pos's angles (rope.h).
void angles(uint32_t pos, size_t h, const uint32_t* inv_freq_q32, int32_t* cs) {
  for (size_t j = 0; j < h; ++j) {
    const auto a = static_cast<uint32_t>(uint64_t{pos} * inv_freq_q32[j]);
    const uint32_t i = ((a + (uint32_t{1} << 19)) >> 20) & 4095;  // a + 2^19 wraps: mod one turn
    cs[j] = sin4096_q15(i + 1024);
    cs[h + j] = sin4096_q15(i);
  }
}

// Calls rotate(first_row, rows, cs) for each run of consecutive rows at one position: the
// rotation is found once for the run (the query heads of one position are consecutive rows).
template <class Rotate>
void for_each_position_run(int16_t* x, size_t lanes, size_t d, const uint32_t* pos, const uint32_t* inv_freq_q32,
                           Rotate rotate) {
  check_dimension(d);
  const size_t h = d / 2;
  std::vector<int32_t> cs(2 * h);
  for (size_t l = 0; l < lanes;) {
    size_t run = 1;
    while (l + run < lanes && pos[l + run] == pos[l]) ++run;
    angles(pos[l], h, inv_freq_q32, cs.data());
    rotate(x + l * d, run, h, cs.data());
    l += run;
  }
}

}  // namespace

void rope_apply_reference(int16_t* x, size_t lanes, size_t d, const uint32_t* pos, const uint32_t* inv_freq_q32) {
  for_each_position_run(x, lanes, d, pos, inv_freq_q32, [](int16_t* rows, size_t n, size_t h, const int32_t* cs) {
    detail::rotate_rows_scalar(rows, n, h, cs, 0);
  });
}

void rope_apply(int16_t* x, size_t lanes, size_t d, const uint32_t* pos, const uint32_t* inv_freq_q32) {
  ensure_simd_env_applied();
  for_each_position_run(x, lanes, d, pos, inv_freq_q32, [](int16_t* rows, size_t n, size_t h, const int32_t* cs) {
    HWY_DYNAMIC_DISPATCH(RotateRowsImpl)(rows, n, h, cs);
  });
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
