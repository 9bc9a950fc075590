// Proves that SwiGLU through the table of every product (nn::swiglu_lookup) gives exactly
// nn::swiglu's int8 outputs for every pair of int8 inputs, with several SiLU tables and
// (mult, shift) pairs including the extremes (mult 0 and 2^30 − 1, shift 0 and 62).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "nn/activation.h"

namespace nzip::nn {
namespace {

TEST(NnSwigluTable, LookupEqualsSwigluForEveryInputPair) {
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
      const SwigluTable t = make_swiglu_table(mult, shift);
      swiglu_lookup(silu, t, a.data(), b.data(), a.size(), got.data());
      ASSERT_EQ(want, got) << "mult " << mult << " shift " << shift;
    }
  }
}

}  // namespace
}  // namespace nzip::nn
