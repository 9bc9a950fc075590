// Proves the non-matmul kernels of src/nn do what their headers define:
//   - isqrt64 is the exact floor square root (exhaustive below 2^20, every random perfect
//     square and its neighbours, 2^64 − 1);
//   - sum_squares equals its reference on every SIMD target, including ±32768 everywhere
//     and lengths around the vector width; rmsnorm equals its reference on every target
//     and gives the expected value on constant inputs;
//   - softmax: coder frequencies are ≥ 1, sum to exactly 2^16, follow the logit order, and
//     survive extreme logits; attention weights sum to 2^15 within rounding; exact values
//     where the table is exact (one power of two apart);
//   - rope: position 0 is the identity, the sine table is periodic and symmetric, a quarter
//     turn maps (x, y) to (−y, x), and rotation keeps the norm within rounding;
//   - SiLU table: silu(0) = 0, close to the real SiLU; SwiGLU follows its formula;
//   - embedding lookup gathers rows and refuses ids outside the vocabulary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "nn/activation.h"
#include "nn/embedding.h"
#include "nn/isqrt.h"
#include "nn/nn_tables.h"
#include "nn/rmsnorm.h"
#include "nn/rope.h"
#include "nn/softmax.h"
#include "nn_test_support.h"
#include "nzip/error.h"

namespace nzip::nn {
namespace {

using nzip_test::edgy_random;
using nzip_test::for_each_simd_target;

bool is_floor_sqrt(uint64_t v, uint64_t r) {
  // r² ≤ v < (r+1)², written to avoid overflow: r ≤ v / r and (r+1) > v / (r+1).
  if (r == 0) return v == 0;
  return r <= v / r && (r + 1) > v / (r + 1);
}

TEST(NnIsqrt, ExactBelow2To20) {
  uint64_t r = 0;
  for (uint64_t v = 0; v < (uint64_t{1} << 20); ++v) {
    while ((r + 1) * (r + 1) <= v) ++r;
    ASSERT_EQ(isqrt64(v), r) << v;
  }
}

TEST(NnIsqrt, ExactAtRandomPerfectSquaresTheirNeighboursAndTheTop) {
  std::mt19937_64 rng(11);
  for (int t = 0; t < nzip_test::trials(100000); ++t) {
    const uint64_t r = rng() >> 32;  // r < 2^32, r² < 2^64
    const uint64_t sq = r * r;
    ASSERT_EQ(isqrt64(sq), r);
    if (sq > 0) {
      ASSERT_EQ(isqrt64(sq - 1), r - 1);
    }
    if (r < 0xFFFFFFFFull) {
      ASSERT_EQ(isqrt64(sq + 2 * r), r);  // (r+1)² − 1
    }
    const uint64_t v = rng();
    ASSERT_TRUE(is_floor_sqrt(v, isqrt64(v))) << v;
  }
  EXPECT_EQ(isqrt64(~uint64_t{0}), 0xFFFFFFFFu);
  EXPECT_EQ(isqrt64(0xFFFFFFFE00000001ull), 0xFFFFFFFFu);  // (2^32 − 1)²
  EXPECT_EQ(isqrt64(0xFFFFFFFE00000000ull), 0xFFFFFFFEu);  // just below it
  static_assert(isqrt64_bitwise(1) == 1 && isqrt64_bitwise(3) == 1 && isqrt64_bitwise(4) == 2);
}

// The fast root (a floating-point guess, corrected in integers) equals the bitwise
// reference, including where doubles cannot hold v exactly (v > 2^53).
TEST(NnIsqrt, FastEqualsTheBitwiseReference) {
  std::mt19937_64 rng(12);
  for (int t = 0; t < nzip_test::trials(100000); ++t) {
    const uint64_t v = rng() >> (rng() % 64);
    ASSERT_EQ(isqrt64(v), isqrt64_bitwise(v)) << v;
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, (uint64_t{1} << 53) - 1, uint64_t{1} << 53, (uint64_t{1} << 53) + 1,
                     ~uint64_t{0}, ~uint64_t{0} - 1})
    EXPECT_EQ(isqrt64(v), isqrt64_bitwise(v)) << v;
}

TEST(NnRmsNorm, SumOfSquaresEveryTargetMatchesTheReference) {
  std::mt19937 rng(3);
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{15}, size_t{16}, size_t{17},
                   size_t{33}, size_t{255}, size_t{1000}, size_t{65536}}) {
    const auto x = edgy_random<int16_t>(rng, n, -32768, 32767);
    const std::vector<int16_t> lows(n, -32768);
    for (const auto* v : {&x, &lows}) {
      const int64_t want = sum_squares_reference(v->data(), n);
      for_each_simd_target([&](int64_t) { ASSERT_EQ(sum_squares(v->data(), n), want) << n; });
    }
  }
  const std::vector<int16_t> lows(65536, -32768);
  EXPECT_EQ(sum_squares_reference(lows.data(), lows.size()), int64_t{1} << 46);
}

TEST(NnRmsNorm, EveryTargetMatchesTheReference) {
  std::mt19937 rng(4);
  for (size_t d : {size_t{1}, size_t{2}, size_t{17}, size_t{64}, size_t{257}}) {
    const size_t lanes = 4;
    auto x = edgy_random<int16_t>(rng, lanes * d, -32768, 32767);
    // The last lane is sparse and small: a tiny mean square, so inv approaches 2^40.
    std::fill(x.end() - d, x.end(), 0);
    x[x.size() - 1] = -3;
    // The one before has mean square 4: isqrt(4·2^16 + eps) = 512, so inv = 2^31, the
    // smallest that the kernel's one-product path (inv < 2^31) leaves to the wide one.
    for (size_t i = 0; i < d; ++i) x[(lanes - 2) * d + i] = static_cast<int16_t>(i % 2 ? -2 : 2);
    const auto gain = edgy_random<int16_t>(rng, d, -32768, 32767);
    for (int out_shift : {0, 16, 20, 28, 40}) {
      for (int64_t eps : {int64_t{1}, int64_t{1} << 20}) {
        std::vector<int8_t> want(lanes * d), got(lanes * d);
        rmsnorm_reference(x.data(), lanes, d, gain.data(), eps, out_shift, want.data());
        for_each_simd_target([&](int64_t) {
          rmsnorm(x.data(), lanes, d, gain.data(), eps, out_shift, got.data());
          ASSERT_EQ(got, want) << "d " << d;
        });
      }
    }
  }
}

TEST(NnRmsNorm, ConstantInputNormalisesToTheGain) {
  // x_i = c: rms = c, ms = c²·2^16 + 1, r = c·2^8, inv = 2^32/c, t = 2^16; y = gain·2^16 >> 20.
  const size_t d = 64;
  const std::vector<int16_t> x(d, 300), gain(d, 16 * 37);
  std::vector<int8_t> y(d);
  rmsnorm_reference(x.data(), 1, d, gain.data(), 1, 20, y.data());
  for (int8_t v : y) EXPECT_EQ(v, 37);
  std::vector<int16_t> neg(d, -300);
  rmsnorm_reference(neg.data(), 1, d, gain.data(), 1, 20, y.data());
  for (int8_t v : y) EXPECT_EQ(v, -37);
  EXPECT_THROW(rmsnorm(x.data(), 1, 0, gain.data(), 1, 20, y.data()), Error);
  EXPECT_THROW(rmsnorm(x.data(), 1, d, gain.data(), 0, 20, y.data()), Error);
}

void expect_valid_frequencies(const uint16_t* f) {
  uint32_t sum = 0;
  for (int i = 0; i < 256; ++i) {
    ASSERT_GE(f[i], 1) << i;
    sum += f[i];
  }
  ASSERT_EQ(sum, kFrequencyTotal);
}

TEST(NnSoftmax, FrequenciesAreCodableForRandomAndExtremeLogits) {
  std::mt19937 rng(8);
  uint16_t f[256];
  for (int t = 0; t < nzip_test::trials(300); ++t) {
    const auto z = edgy_random<int32_t>(rng, 256, t % 3 == 0 ? std::numeric_limits<int32_t>::min() : -5000,
                                        t % 3 == 0 ? std::numeric_limits<int32_t>::max() : 5000);
    const int32_t mult = t % 4 == 0 ? kSoftmaxMaxMultiplier : 1 + t * 977;
    softmax_frequencies(z.data(), mult, t % 17, f);
    expect_valid_frequencies(f);
    for (int i = 0; i < 256; ++i)
      for (int j : {0, 37, 255})
        if (z[i] > z[j]) {
          ASSERT_GE(f[i], f[j]);
        }
  }
  const std::vector<int32_t> flat(256, 7);
  softmax_frequencies(flat.data(), 1000, 0, f);
  expect_valid_frequencies(f);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(f[i], 256);  // (2^16 − 256)/256 + 1, no remainder
  std::vector<int32_t> one_hot(256, std::numeric_limits<int32_t>::min());
  one_hot[200] = std::numeric_limits<int32_t>::max();
  softmax_frequencies(one_hot.data(), kSoftmaxMaxMultiplier, 0, f);
  expect_valid_frequencies(f);
  EXPECT_EQ(f[200], kFrequencyTotal - 255);
}

TEST(NnSoftmax, ExpIsExactAtPowersOfTwoAndWeightsSumToOne) {
  // multiplier 256, shift 0: one logit unit is one power of two.
  const int32_t z[4] = {10, 9, 8, -100};
  uint32_t e[4];
  const uint64_t total = softmax_exp(z, 4, 256, 0, e);
  EXPECT_EQ(e[0], 1u << 30);
  EXPECT_EQ(e[1], 1u << 29);
  EXPECT_EQ(e[2], 1u << 28);
  EXPECT_EQ(e[3], 0u);
  EXPECT_EQ(total, (1u << 30) + (1u << 29) + (1u << 28));
  std::mt19937 rng(9);
  for (int t = 0; t < nzip_test::trials(200); ++t) {
    const size_t n = 1 + static_cast<size_t>(t) % 70;
    const auto zz = edgy_random<int32_t>(rng, n, -3000, 3000);
    std::vector<uint16_t> w(n);
    softmax_weights_q15(zz.data(), n, 200, 1, w.data());
    uint32_t sum = 0;
    for (uint16_t v : w) sum += v;
    ASSERT_LE(sum, 32768u);
    ASSERT_GE(sum + n, 32768u);
  }
  EXPECT_THROW(softmax_exp(z, 0, 1, 0, e), Error);
  EXPECT_THROW(softmax_exp(z, 4, kSoftmaxMaxMultiplier + 1, 0, e), Error);
}

TEST(NnRope, TheSineTableIsPeriodicAndSymmetric) {
  EXPECT_EQ(sin4096_q15(0), 0);
  EXPECT_EQ(sin4096_q15(1024), 32768);
  EXPECT_EQ(sin4096_q15(2048), 0);
  EXPECT_EQ(sin4096_q15(3072), -32768);
  for (uint32_t i = 0; i < 4096; ++i) {
    ASSERT_EQ(sin4096_q15(i), sin4096_q15(i + 4096));
    ASSERT_EQ(sin4096_q15(i), -sin4096_q15((4096 - i) % 4096));
    ASSERT_NEAR(sin4096_q15(i), 32768.0 * std::sin(2 * M_PI * i / 4096.0), 0.5 + 1e-9);
  }
}

TEST(NnRope, PositionZeroIsTheIdentityAndAQuarterTurnRotates) {
  std::mt19937 rng(12);
  const size_t d = 16;
  const auto x = edgy_random<int16_t>(rng, 2 * d, -32768, 32767);
  std::vector<uint32_t> freq(d / 2);
  for (auto& f : freq) f = static_cast<uint32_t>(rng());
  std::vector<int16_t> y = x;
  const uint32_t pos0[2] = {0, 0};
  rope_apply(y.data(), 2, d, pos0, freq.data());
  EXPECT_EQ(y, x);
  // Frequency of a quarter turn per position: (x, y) → (−y, x) exactly (cos 0, sin 1).
  std::vector<uint32_t> quarter(d / 2, 1u << 30);
  std::vector<int16_t> z = {100, -7, 32767, -32768, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const uint32_t pos1 = 1;
  std::vector<int16_t> r = z;
  rope_apply(r.data(), 1, d, &pos1, quarter.data());
  for (size_t j = 0; j < d / 2; ++j) {
    EXPECT_EQ(r[j], std::clamp(-z[j + d / 2], -32768, 32767));
    EXPECT_EQ(r[j + d / 2], z[j]);
  }
  EXPECT_THROW(rope_apply(r.data(), 1, 3, &pos1, quarter.data()), Error);
}

TEST(NnRope, EveryTargetMatchesTheReferenceAtEveryAngle) {
  // Frequencies of 2^20 (one of the 4096 table steps per position) and 3·2^20 over
  // positions 0…4095 reach every angle; rows hold ±32768 and random values, runs of equal
  // positions (as the query heads give) and dimensions with and without a vector tail.
  std::mt19937 rng(14);
  for (size_t d : {size_t{2}, size_t{34}, size_t{64}, size_t{66}}) {
    const size_t h = d / 2;
    std::vector<uint32_t> freq(h);
    for (size_t j = 0; j < h; ++j) freq[j] = (j % 2 ? 3u : 1u) << 20;
    std::vector<uint32_t> pos;
    for (uint32_t p = 0; p < 4096; ++p) pos.insert(pos.end(), 1 + p % 3, p);
    auto x = edgy_random<int16_t>(rng, pos.size() * d, -32768, 32767);
    for (size_t i = 0; i < x.size(); i += 7) x[i] = (i / 7) % 2 ? int16_t{-32768} : int16_t{32767};
    std::vector<int16_t> want = x;
    rope_apply_reference(want.data(), pos.size(), d, pos.data(), freq.data());
    for_each_simd_target([&](int64_t) {
      std::vector<int16_t> got = x;
      rope_apply(got.data(), pos.size(), d, pos.data(), freq.data());
      ASSERT_EQ(got, want) << "d " << d;
    });
  }
}

TEST(NnRope, RotationKeepsTheNormWithinRounding) {
  std::mt19937 rng(13);
  const size_t d = 64;
  std::vector<uint32_t> freq(d / 2);
  for (auto& f : freq) f = static_cast<uint32_t>(rng());
  for (int t = 0; t < nzip_test::trials(200); ++t) {
    auto x = edgy_random<int16_t>(rng, d, -20000, 20000);
    const auto before = x;
    const auto pos = static_cast<uint32_t>(rng() % 100000);
    rope_apply(x.data(), 1, d, &pos, freq.data());
    for (size_t j = 0; j < d / 2; ++j) {
      const double n0 = std::hypot(before[j], before[j + d / 2]), n1 = std::hypot(x[j], x[j + d / 2]);
      ASSERT_NEAR(n1, n0, 2.0 + n0 * 2e-4);
    }
  }
}

TEST(NnActivation, SiluTableFollowsTheRealSilu) {
  // s_in = 1/16, s_out = 1/32: in_mult/2^in_shift = 256·log2(e)/16, out = s_in/(s_out·2^30).
  const int in_shift = 20;
  const auto in_mult = static_cast<int32_t>(std::lround(256.0 / 16.0 * std::log2(std::exp(1.0)) * (1 << in_shift)));
  const ActivationTable t = make_silu_table(in_mult, in_shift, 1 << 20, 49);  // 2^20/2^49 = 2/2^30
  EXPECT_EQ(t[0], 0);
  for (int q = -128; q <= 127; ++q) {
    const double x = q / 16.0, silu = x / (1.0 + std::exp(-x));
    ASSERT_NEAR(t[static_cast<uint8_t>(q)], std::clamp(silu * 32.0, -128.0, 127.0), 1.0) << q;
  }
  int8_t a[3] = {0, 64, -128}, b[3] = {100, 2, -3}, y[3];
  swiglu(t, a, b, 3, 1, 0, y);
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[1], std::clamp(t[64] * 2, -128, 127));
  EXPECT_EQ(y[2], std::clamp(t[128] * -3, -128, 127));
  apply_activation(t, a, 3, y);
  EXPECT_EQ(y[1], t[64]);
  EXPECT_THROW(make_silu_table(-1, 0, 0, 0), Error);
}

TEST(NnEmbedding, GathersRowsAndRefusesIdsOutsideTheVocabulary) {
  const size_t vocab = 5, d = 3;
  std::vector<int8_t> table(vocab * d);
  for (size_t i = 0; i < table.size(); ++i) table[i] = static_cast<int8_t>(i * 7 - 50);
  const uint32_t ids[3] = {4, 0, 4};
  std::vector<int8_t> out(3 * d);
  embedding_lookup(table.data(), vocab, d, ids, 3, out.data());
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < d; ++j) EXPECT_EQ(out[i * d + j], table[ids[i] * d + j]);
  const uint32_t bad[2] = {1, 5};
  try {
    embedding_lookup(table.data(), vocab, d, bad, 2, out.data());
    ADD_FAILURE() << "id 5 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("position 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nzip::nn
