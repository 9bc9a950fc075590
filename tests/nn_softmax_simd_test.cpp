// Proves that the softmax exp pass and the Q15 attention weights vectorised per SIMD target
// (nn/softmax.h) give exactly the e_i, sum and weights of their scalar references on every
// target this machine has: shifts 0 (no
// rounding) to 62, multipliers up to 2^30 − 1, logits spanning the int32 range (x capped at
// 8191), ties at the maximum, and lengths that are not a multiple of any vector.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "nn/softmax.h"
#include "nn_test_support.h"

namespace nzip::nn {
namespace {

TEST(NnSoftmaxSimd, ExpPassMatchesTheReferenceOnEveryTarget) {
  std::mt19937 rng(31);
  nzip_test::for_each_simd_target([&](int64_t) {
    for (int trial = 0; trial < nzip_test::trials(80); ++trial) {
      const size_t n = 1 + static_cast<size_t>(rng() % 300);
      const int shift = trial % 7 == 0 ? 0 : trial % 11 == 0 ? 62 : static_cast<int>(rng() % 63);
      const int32_t mult = trial % 5 == 0 ? kSoftmaxMaxMultiplier : static_cast<int32_t>(rng() % (1u << 30));
      const int32_t span = trial % 3 == 0 ? std::numeric_limits<int32_t>::max() : 1 + static_cast<int32_t>(rng() % 5000);
      std::uniform_int_distribution<int32_t> logit(-span, span);
      std::vector<int32_t> z(n);
      for (auto& v : z) v = logit(rng);
      if (trial % 4 == 1) z[0] = std::numeric_limits<int32_t>::min();  // m − z up to 2^32 − 1
      if (n > 2) z[n - 1] = z[1];  // a tie, possibly at the maximum
      std::vector<uint32_t> want(n), got(n);
      const uint64_t sw = softmax_exp_reference(z.data(), n, mult, shift, want.data());
      const uint64_t sg = softmax_exp(z.data(), n, mult, shift, got.data());
      ASSERT_EQ(sw, sg) << "n " << n << " shift " << shift << " mult " << mult;
      ASSERT_EQ(want, got) << "n " << n << " shift " << shift << " mult " << mult;
      std::vector<uint16_t> w_want(n), w_got(n);
      softmax_weights_q15_reference(z.data(), n, mult, shift, w_want.data());
      softmax_weights_q15(z.data(), n, mult, shift, w_got.data());
      ASSERT_EQ(w_want, w_got) << "weights: n " << n << " shift " << shift << " mult " << mult;
    }
  });
}

// The coder frequencies: the same numbers as the plain loop on every target, including the
// remainder's owner when several symbols tie at the largest e (the first one gets it).
TEST(NnSoftmaxSimd, FrequenciesMatchTheReferenceOnEveryTarget) {
  std::mt19937 rng(32);
  nzip_test::for_each_simd_target([&](int64_t) {
    for (int trial = 0; trial < nzip_test::trials(120); ++trial) {
      const int shift = trial % 7 == 0 ? 0 : trial % 11 == 0 ? 62 : static_cast<int>(rng() % 40);
      const int32_t mult = trial % 5 == 0 ? kSoftmaxMaxMultiplier : static_cast<int32_t>(rng() % (1u << 30));
      const int32_t span = trial % 3 == 0 ? std::numeric_limits<int32_t>::max() : 1 + static_cast<int32_t>(rng() % 5000);
      std::uniform_int_distribution<int32_t> logit(-span, span);
      std::vector<int32_t> z(256);
      for (auto& v : z) v = logit(rng);
      if (trial % 2 == 0) {  // ties at the maximum, the first of them anywhere
        const int32_t m = *std::max_element(z.begin(), z.end());
        for (int k = 0; k < 3; ++k) z[rng() % 256] = m;
      }
      uint16_t want[256], got[256];
      softmax_frequencies_reference(z.data(), mult, shift, want);
      softmax_frequencies(z.data(), mult, shift, got);
      ASSERT_TRUE(std::equal(want, want + 256, got)) << "trial " << trial << " shift " << shift << " mult " << mult;
    }
  });
}

}  // namespace
}  // namespace nzip::nn
