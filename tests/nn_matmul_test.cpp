// Proves that the int8 matrix product (src/nn/matmul) gives exactly the integers of its
// scalar reference on every SIMD target this machine supports: random and extreme inputs,
// odd shapes (one lane, k not a multiple of the vector width or of 4, n not a multiple of
// 16), with and without bias, including the largest sums the documented limits allow; and
// that shapes or biases outside those limits are refused with invalid_argument.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "nn/matmul.h"
#include "nn_test_support.h"
#include "nzip/error.h"

namespace nzip::nn {
namespace {

using nzip_test::edgy_random;
using nzip_test::for_each_simd_target;

struct Shape {
  size_t lanes, n, k;
};

void expect_matches_reference(std::mt19937& rng, Shape s, bool with_bias) {
  const auto a = edgy_random<int8_t>(rng, s.lanes * s.k, -128, 127);
  const auto w = edgy_random<int8_t>(rng, s.n * s.k, -128, 127);
  const auto bias = edgy_random<int32_t>(rng, s.n, -kMatmulMaxAbsBias / 2, kMatmulMaxAbsBias / 2);
  const int32_t* b = with_bias ? bias.data() : nullptr;
  std::vector<int32_t> want(s.lanes * s.n), got(s.lanes * s.n, 12345);
  matmul_reference(a.data(), s.lanes, w.data(), s.n, s.k, b, want.data());
  const PackedWeights p = pack_weights(w.data(), s.n, s.k);
  for_each_simd_target([&](int64_t) {
    std::fill(got.begin(), got.end(), 12345);
    matmul(a.data(), s.lanes, p, b, got.data());
    ASSERT_EQ(got, want) << "lanes " << s.lanes << " n " << s.n << " k " << s.k;
  });
}

TEST(NnMatmul, EveryTargetMatchesTheReferenceOnOddShapes) {
  std::mt19937 rng(2024);
  const size_t lanes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const size_t ns[] = {1, 15, 16, 17, 33, 64, 100};
  const size_t ks[] = {1, 3, 4, 5, 31, 64, 65, 127, 256, 259};
  int count = 0;
  for (size_t l : lanes)
    for (size_t n : ns)
      for (size_t k : ks) {
        // Every shape on one target is cheap; a third of them on all keeps the test quick.
        if (++count % 3 != 0 && !(l == 1 || k == 1)) continue;
        expect_matches_reference(rng, {l, n, k}, count % 2 == 0);
      }
}

TEST(NnMatmul, EveryTargetMatchesTheReferenceOnModelShapes) {
  std::mt19937 rng(7);
  expect_matches_reference(rng, {16, 256, 256}, true);
  expect_matches_reference(rng, {5, 130, 512}, false);
  // Outputs over several panels of output blocks and a partial one (8 blocks of 16 per panel
  // in the VNNI kernel), with every remainder of lanes past the 4-lane tiles.
  for (size_t lanes : {3, 6, 7, 11}) expect_matches_reference(rng, {lanes, 16 * 8 * 2 + 16 * 3 + 5, 68}, lanes % 2 == 0);
  if (!nzip_test::small_scale()) expect_matches_reference(rng, {64, 96, 1000}, true);
}

// The largest |sum| the limits allow: k = 2^16 products of ±2^14 plus |bias| = 2^30 - 1
// reaches INT32_MAX and -INT32_MAX exactly; the u8 trick of the VNNI kernel passes 2^31 in
// its partial sums here and must still land on the exact value.
TEST(NnMatmul, ExtremeSumsAtTheDocumentedLimitAreExact) {
  const size_t k = kMatmulMaxK, n = 17, lanes = 2;
  std::vector<int8_t> a(lanes * k, -128), w(n * k, -128);
  for (size_t i = 0; i < k; ++i) w[1 * k + i] = 127;   // row 1: -128·127 each
  for (size_t i = 0; i < k; ++i) w[2 * k + i] = 0;     // row 2: bias only
  for (size_t i = 0; i < k; ++i) a[1 * k + i] = 127;   // lane 1: 127·(-128) on row 0
  std::vector<int32_t> bias(n, 0);
  bias[0] = kMatmulMaxAbsBias;
  bias[1] = -kMatmulMaxAbsBias;
  bias[2] = -kMatmulMaxAbsBias;
  std::vector<int32_t> want(lanes * n), got(lanes * n);
  matmul_reference(a.data(), lanes, w.data(), n, k, bias.data(), want.data());
  EXPECT_EQ(want[0], std::numeric_limits<int32_t>::max());
  EXPECT_EQ(want[1], -127 * (int32_t{1} << 23) - kMatmulMaxAbsBias);
  EXPECT_EQ(want[2], -kMatmulMaxAbsBias);
  EXPECT_EQ(want[n + 0], -127 * (int32_t{1} << 23) + kMatmulMaxAbsBias);
  const PackedWeights p = pack_weights(w.data(), n, k);
  for_each_simd_target([&](int64_t) {
    matmul(a.data(), lanes, p, bias.data(), got.data());
    ASSERT_EQ(got, want);
  });
}

TEST(NnMatmul, ZeroLanesWritesNothing) {
  const std::vector<int8_t> w(16 * 8, 1);
  const PackedWeights p = pack_weights(w.data(), 16, 8);
  int32_t c = 77;
  matmul(nullptr, 0, p, nullptr, &c);
  EXPECT_EQ(c, 77);
}

TEST(NnMatmul, ShapesAndBiasesOutsideTheLimitsAreRefused) {
  const std::vector<int8_t> w(4 * (kMatmulMaxK + 1), 0);
  using nzip_test::code_of;
  EXPECT_EQ(code_of([&] { pack_weights(w.data(), 1, kMatmulMaxK + 1); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { pack_weights(w.data(), 0, 4); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { pack_weights(w.data(), 4, 0); }), ErrorCode::invalid_argument);
  const PackedWeights p = pack_weights(w.data(), 2, 4);
  const std::vector<int8_t> a(4, 1);
  const int32_t bad_bias[2] = {0, kMatmulMaxAbsBias + 1};
  int32_t c[2];
  EXPECT_EQ(code_of([&] { matmul(a.data(), 1, p, bad_bias, c); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { matmul_reference(a.data(), 1, w.data(), 2, 4, bad_bias, c); }),
            ErrorCode::invalid_argument);
  PackedWeights broken = p;
  broken.data.pop_back();
  EXPECT_EQ(code_of([&] { matmul(a.data(), 1, broken, nullptr, c); }), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace nzip::nn
