// Proves that nn::swiglu_fast (nn::silu_products, then the vectorised requantisation) gives exactly
// nn::swiglu's int8 outputs for every pair of int8 inputs, on every SIMD target, with several
// SiLU tables and (mult, shift) pairs including the extremes (mult 0 and 2^30 − 1, shift 0
// and 62), and refuses the same out-of-range parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "nn/activation.h"
#include "nn_test_support.h"
#include "nzip/error.h"

namespace nzip::nn {
namespace {

TEST(NnSwigluFast, EqualsSwigluForEveryInputPairOnEveryTarget) {
  std::vector<int8_t> a, b;
  for (int i = -128; i < 128; ++i)
    for (int j = -128; j < 128; ++j) {
      a.push_back(static_cast<int8_t>(i));
      b.push_back(static_cast<int8_t>(j));
    }
  const ActivationTable silus[] = {make_silu_table(1 << 20, 20, 1 << 20, 34), make_silu_table((1 << 30) - 1, 24, 1 << 24, 30)};
  const std::pair<int32_t, int> params[] = {{1 << 20, 20}, {(1 << 30) - 1, 26}, {0, 0}, {12345, 0}, {(1 << 30) - 1, 62}, {777777, 13}};
  std::vector<int8_t> want(a.size()), got(a.size());
  for (const auto& silu : silus) {
    for (const auto& [mult, shift] : params) {
      swiglu(silu, a.data(), b.data(), a.size(), mult, shift, want.data());
      nzip_test::for_each_simd_target([&](int64_t) {
        // An odd length too, so the kernels' element tails are used.
        swiglu_fast(silu, a.data(), b.data(), a.size(), mult, shift, got.data());
        ASSERT_EQ(want, got) << "mult " << mult << " shift " << shift;
        std::vector<int8_t> tail(1001);
        swiglu_fast(silu, a.data() + 5, b.data() + 5, tail.size(), mult, shift, tail.data());
        ASSERT_TRUE(std::equal(tail.begin(), tail.end(), want.begin() + 5)) << "mult " << mult << " shift " << shift;
      });
    }
  }
  int8_t y = 0;
  EXPECT_THROW(swiglu_fast(silus[0], a.data(), b.data(), 1, -1, 0, &y), Error);
  EXPECT_THROW(swiglu_fast(silus[0], a.data(), b.data(), 1, 1, 63, &y), Error);
}

}  // namespace
}  // namespace nzip::nn
