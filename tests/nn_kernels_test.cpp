// Proves the element-wise integer kernels of src/nn match their definitions and their
// scalar references bit for bit on every SIMD target this machine supports:
//   - round_shift_half_even rounds ties to even (both signs) and agrees with an independent
//     128-bit formulation;
//   - requantize_i8/i16 equal the reference for random and extreme int32 inputs, every
//     shift 0…62 class, multipliers 0, 1 and 2^31−1, and lengths around the vector width;
//     out-of-range parameters are refused.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "nn/requantize.h"
#include "nn_test_support.h"
#include "nzip/error.h"

namespace nzip::nn {
namespace {

using nzip_test::edgy_random;
using nzip_test::for_each_simd_target;

// round(p / 2^shift), ties to even, phrased without shifts: truncating division made
// floor, then the remainder compared with what is left to the next multiple.
int64_t independent_round(int64_t p, int shift) {
  int64_t den = 1;
  for (int i = 0; i < shift; ++i) den *= 2;
  int64_t f = p / den;
  if (p % den < 0) f -= 1;
  const int64_t r = p - f * den, rest = den - r;
  if (r > rest || (r == rest && f % 2 != 0)) f += 1;
  return f;
}

TEST(NnRounding, TiesGoToEvenForBothSigns) {
  EXPECT_EQ(round_shift_half_even(5, 1), 2);    // 2.5 → 2
  EXPECT_EQ(round_shift_half_even(7, 1), 4);    // 3.5 → 4
  EXPECT_EQ(round_shift_half_even(-5, 1), -2);  // −2.5 → −2
  EXPECT_EQ(round_shift_half_even(-7, 1), -4);  // −3.5 → −4
  EXPECT_EQ(round_shift_half_even(-11, 2), -3); // −2.75 → −3
  EXPECT_EQ(round_shift_half_even(9, 2), 2);    // 2.25 → 2
  EXPECT_EQ(round_shift_half_even(-1, 62), 0);
  EXPECT_EQ(round_shift_half_even(int64_t{3} << 61, 62), 2);   // 1.5 → 2
  EXPECT_EQ(round_shift_half_even(-(int64_t{1} << 61), 62), 0);  // −0.5 → 0
  EXPECT_EQ(round_shift_half_even(123, 0), 123);
}

TEST(NnRounding, AgreesWithAnIndependentFormulation) {
  std::mt19937_64 rng(99);
  for (int shift = 0; shift <= kRequantizeMaxShift; ++shift) {
    for (int64_t p = -40; p <= 40; ++p) ASSERT_EQ(round_shift_half_even(p, shift), independent_round(p, shift));
    for (int t = 0; t < nzip_test::trials(2000); ++t) {
      const int64_t p = static_cast<int64_t>(rng()) >> 2;  // |p| < 2^62, the range products take
      ASSERT_EQ(round_shift_half_even(p, shift), independent_round(p, shift)) << p << " " << shift;
    }
  }
}

template <class T, class Ref, class Fast>
void check_requantize(Ref ref, Fast fast) {
  std::mt19937 rng(5);
  const size_t lengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 1001};
  const int shifts[] = {0, 1, 2, 7, 15, 16, 24, 31, 32, 33, 40, 47, 62};
  const int32_t multipliers[] = {0, 1, 3, 1 << 30, std::numeric_limits<int32_t>::max(), 1234567891, 65535};
  for (size_t n : lengths) {
    const std::vector<int32_t> x = edgy_random<int32_t>(rng, n, std::numeric_limits<int32_t>::min(),
                                        std::numeric_limits<int32_t>::max());
    std::vector<int32_t> xs(n);  // small values: ties and the clamp boundaries are common
    for (size_t i = 0; i < n; ++i) xs[i] = static_cast<int32_t>(static_cast<int>(i % 601) - 300);
    for (int shift : shifts)
      for (int32_t m : multipliers)
        for (const std::vector<int32_t>* in : {&x, static_cast<const std::vector<int32_t>*>(&xs)}) {
          std::vector<T> want(n), got(n);
          ref(in->data(), n, m, shift, want.data());
          for_each_simd_target([&](int64_t) {
            std::fill(got.begin(), got.end(), T{42});
            fast(in->data(), n, m, shift, got.data());
            ASSERT_EQ(got, want) << "n " << n << " shift " << shift << " multiplier " << m;
          });
        }
  }
}

TEST(NnRequantize, Int8EveryTargetMatchesTheReference) {
  check_requantize<int8_t>(requantize_i8_reference, requantize_i8);
}

TEST(NnRequantize, Int16EveryTargetMatchesTheReference) {
  check_requantize<int16_t>(requantize_i16_reference, requantize_i16);
}

TEST(NnRequantize, ReferenceFollowsTheDefinition) {
  const int32_t x[] = {5, 7, -5, -7, 1000, -1000, 255, 257, 256 + 128};
  int8_t y[9];
  requantize_i8_reference(x, 9, 1, 1, y);  // x / 2, ties to even, clamp
  const int8_t want[] = {2, 4, -2, -4, 127, -128, 127, 127, 127};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(y[i], want[i]) << i;
  const int32_t z[] = {384, 640, -384, -640};  // 1.5, 2.5, −1.5, −2.5 at scale 1/256
  int16_t w[4];
  requantize_i16_reference(z, 4, 1, 8, w);
  EXPECT_EQ(w[0], 2);
  EXPECT_EQ(w[1], 2);
  EXPECT_EQ(w[2], -2);
  EXPECT_EQ(w[3], -2);
}

// The residual update saturates at both ends of int16 on every target, for lengths around
// the vector widths.
TEST(NnResidual, SaturatedAddMatchesTheReferenceOnEveryTarget) {
  std::mt19937 rng(6);
  for (size_t n : {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 256, 1001}) {
    const auto x = edgy_random<int16_t>(rng, n, -32768, 32767);
    const auto y = edgy_random<int16_t>(rng, n, -32768, 32767);
    std::vector<int16_t> want = x;
    add_saturated_i16_reference(want.data(), y.data(), n);
    for (size_t i = 0; i < n; ++i)
      ASSERT_EQ(want[i], std::clamp(int32_t{x[i]} + y[i], -32768, 32767)) << i;
    for_each_simd_target([&](int64_t) {
      std::vector<int16_t> got = x;
      add_saturated_i16(got.data(), y.data(), n);
      ASSERT_EQ(got, want) << "n " << n;
    });
  }
}

TEST(NnRequantize, OutOfRangeParametersAreRefused) {
  int32_t x = 1;
  int8_t y;
  EXPECT_THROW(requantize_i8(&x, 1, -1, 3, &y), Error);
  EXPECT_THROW(requantize_i8(&x, 1, 1, 63, &y), Error);
  EXPECT_THROW(requantize_i8_reference(&x, 1, 1, -1, &y), Error);
}

}  // namespace
}  // namespace nzip::nn
