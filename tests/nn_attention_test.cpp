// Proves that attention's inner loops (nn/attention.h) give exactly the integers of their
// scalar references on every SIMD target this machine has, in both KV layouts (pointers to
// rows; the transposed/pair-interleaved ring): scores with int64 sums that
// overflow int32 (all −32768 inputs) and saturate, scores small enough for the kernel's
// int32 path and at the edge of its bound, odd head sizes, keys scattered in memory;
// value mixing with the largest Q15 weights (one weight of 2^15) and extreme int8 values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "nn/attention.h"
#include "nn_test_support.h"

namespace nzip::nn {
namespace {

TEST(NnAttention, ScoresMatchTheReferenceOnEveryTarget) {
  std::mt19937 rng(21);
  nzip_test::for_each_simd_target([&](int64_t) {
    for (int trial = 0; trial < nzip_test::trials(40); ++trial) {
      const size_t hd = 1 + static_cast<size_t>(rng() % 80), count = 1 + static_cast<size_t>(rng() % 70);
      const int shift = static_cast<int>(rng() % 20);
      // Odd trials keep values small, so the kernel's int32 path runs; even ones take the
      // int64 path (its bound check is what makes the int32 path exact).
      const int lim = trial % 2 ? 1 + static_cast<int>(rng() % 2000) : 32767;
      std::vector<int16_t> q = nzip_test::edgy_random<int16_t>(rng, hd, -lim - 1, lim);
      std::vector<std::vector<int16_t>> k;
      std::vector<const int16_t*> kp;
      for (size_t j = 0; j < count; ++j) k.push_back(nzip_test::edgy_random<int16_t>(rng, hd, -lim - 1, lim));
      if (trial == 0) {  // Σ of 2^30 products overflows int32 and saturates the score
        std::fill(q.begin(), q.end(), int16_t{-32768});
        std::fill(k[0].begin(), k[0].end(), int16_t{-32768});
      }
      if (trial == 2) {  // hd·max|q|·max|k| just below 2^31: the int32 path at its edge
        const auto edge = static_cast<int16_t>(-std::min<int64_t>(32768, ((int64_t{1} << 31) - 1) / (int64_t(hd) * 32768)));
        std::fill(q.begin(), q.end(), int16_t{-32768});
        for (auto& r : k) std::fill(r.begin(), r.end(), edge);
      }
      for (auto& r : k) kp.push_back(r.data());
      std::vector<int32_t> want(count), got(count);
      attention_scores_reference(q.data(), kp.data(), count, hd, shift, want.data());
      attention_scores(q.data(), kp.data(), count, hd, shift, got.data());
      ASSERT_EQ(want, got) << "hd " << hd << " count " << count;
    }
  });
}

// The ring layout's scores equal the pointer kernel's on the same keys, and the reference,
// for partly filled rings (count < window) and counts that are not a multiple of the vector.
TEST(NnAttention, RingScoresMatchTheReferenceOnEveryTarget) {
  std::mt19937 rng(23);
  nzip_test::for_each_simd_target([&](int64_t) {
    for (int trial = 0; trial < nzip_test::trials(40); ++trial) {
      const size_t hd = 2 * (1 + static_cast<size_t>(rng() % 40)), window = 1 + static_cast<size_t>(rng() % 90);
      const size_t count = 1 + static_cast<size_t>(rng() % window);
      // Shifts past 30 take the kernel's scalar rounding.
      const int shift = static_cast<int>(rng() % (trial % 5 == 3 ? 40 : 20));
      const int lim = trial % 2 ? 1 + static_cast<int>(rng() % 2000) : 32767;
      // Several query heads share the keys; one of them may be large enough that only it
      // needs the exact 64-bit path.
      const size_t heads = 1 + static_cast<size_t>(rng() % 6);
      std::vector<int16_t> q = nzip_test::edgy_random<int16_t>(rng, heads * hd, -lim - 1, lim);
      if (trial % 4 == 1) std::fill(q.end() - static_cast<std::ptrdiff_t>(hd), q.end(), int16_t{32767});
      std::vector<std::vector<int16_t>> k;
      std::vector<const int16_t*> kp;
      std::vector<int16_t> kt(hd * window, 0);
      for (size_t s = 0; s < window; ++s) {
        k.push_back(nzip_test::edgy_random<int16_t>(rng, hd, -lim - 1, lim));
        if (trial == 0) std::fill(k.back().begin(), k.back().end(), int16_t{-32768});
        for (size_t i = 0; i < hd; ++i) kt[((i / 2) * window + s) * 2 + i % 2] = k.back()[i];
      }
      if (trial == 0) std::fill(q.begin(), q.end(), int16_t{-32768});
      for (size_t s = 0; s < count; ++s) kp.push_back(k[s].data());
      std::vector<int32_t> want(heads * count), ref(heads * count), got(heads * count);
      for (size_t h = 0; h < heads; ++h)
        attention_scores_reference(q.data() + h * hd, kp.data(), count, hd, shift, want.data() + h * count);
      attention_scores_ring_reference(q.data(), heads, kt.data(), window, count, hd, shift, ref.data());
      attention_scores_ring(q.data(), heads, kt.data(), window, count, hd, shift, got.data());
      ASSERT_EQ(want, ref) << "hd " << hd << " window " << window << " count " << count << " heads " << heads;
      ASSERT_EQ(want, got) << "hd " << hd << " window " << window << " count " << count << " heads " << heads;
      // A caller's key bound, exact or loose, changes nothing; a loose one that fails the
      // check is replaced by the exact maximum.
      int32_t exact_bound = 0;
      for (size_t s = 0; s < count; ++s)
        for (int16_t v : k[s]) exact_bound = std::max(exact_bound, std::abs(int32_t{v}));
      for (int32_t bound : {exact_bound, int32_t{32768}}) {
        std::fill(got.begin(), got.end(), 0);
        int32_t kept = bound;
        attention_scores_ring(q.data(), heads, kt.data(), window, count, hd, shift, got.data(), &kept);
        ASSERT_EQ(want, got) << "bound " << bound << " hd " << hd << " count " << count << " heads " << heads;
        ASSERT_TRUE(kept == bound || kept == exact_bound) << kept;
      }
    }
  });
}

TEST(NnAttention, ValuesMatchTheReferenceOnEveryTarget) {
  std::mt19937 rng(22);
  nzip_test::for_each_simd_target([&](int64_t) {
    for (int trial = 0; trial < nzip_test::trials(40); ++trial) {
      const size_t hd = 1 + static_cast<size_t>(rng() % 80), count = 1 + static_cast<size_t>(rng() % 70);
      // Up to six query heads share the values (groups of four and a remainder); each head's
      // Q15 weights sum to at most 2^15, one of them large. In trial 1 the last head puts
      // all attention on one position (a weight of exactly 2^15).
      const size_t heads = 1 + static_cast<size_t>(rng() % 6);
      std::vector<uint16_t> w(heads * count);
      for (size_t h = 0; h < heads; ++h) {
        uint32_t left = 32768;
        const bool one_hot = trial == 1 && h + 1 == heads;
        for (size_t j = 0; j < count; ++j) {
          w[h * count + j] =
              static_cast<uint16_t>(one_hot ? (j == 0 ? 32768 : 0) : j == 0 ? left / 2 : rng() % (left / 4 + 1));
          left -= w[h * count + j];
        }
      }
      std::vector<std::vector<int8_t>> v;
      std::vector<const int8_t*> vp;
      for (size_t j = 0; j < count; ++j) v.push_back(nzip_test::edgy_random<int8_t>(rng, hd, -128, 127));
      for (auto& r : v) vp.push_back(r.data());
      std::vector<int32_t> acc(heads * hd);
      std::vector<int8_t> want(heads * hd), got(hd);
      for (size_t h = 0; h < heads; ++h) {
        attention_values_reference(w.data() + h * count, vp.data(), count, hd, acc.data(), want.data() + h * hd);
        attention_values(w.data() + h * count, vp.data(), count, hd, acc.data(), got.data());
        ASSERT_EQ(std::vector<int8_t>(want.begin() + h * hd, want.begin() + (h + 1) * hd), got)
            << "hd " << hd << " count " << count;
      }
      // The ring layout (pairs of slots interleaved, a garbage slot past an odd count).
      std::vector<int16_t> ring((count + 1) / 2 * 2 * hd, int16_t{-777});
      for (size_t s = 0; s < count; ++s)
        for (size_t i = 0; i < hd; ++i) ring[((s / 2) * hd + i) * 2 + s % 2] = v[s][i];
      std::vector<int8_t> ref(heads * hd), fast(heads * hd);
      attention_values_ring_reference(w.data(), heads, ring.data(), count, hd, acc.data(), ref.data());
      attention_values_ring(w.data(), heads, ring.data(), count, hd, acc.data(), fast.data());
      ASSERT_EQ(want, ref) << "ring reference, hd " << hd << " count " << count << " heads " << heads;
      ASSERT_EQ(want, fast) << "ring, hd " << hd << " count " << count << " heads " << heads;
    }
  });
}

}  // namespace
}  // namespace nzip::nn
