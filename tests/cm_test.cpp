// Proves the building blocks of the context-mixing predictor behave as documented:
// the SSE2 mixer kernels give exactly the integers of their scalar references, the
// bit-history state table is closed and fits a byte, state maps learn toward the coded bits,
// squash/stretch are inverse to within table resolution, the record detector finds record
// lengths, the match model's word-at-a-time comparison counts what its byte loop counts, and
// the predictor is deterministic and always returns a codable probability.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "cm/logistic.h"
#include "cm/match_model.h"
#include "cm/mixer_kernels.h"
#include "cm/predictor.h"
#include "cm/record_detector.h"
#include "cm/state_map.h"
#include "cm/state_table.h"

namespace nzip::cm {
namespace {

TEST(MixerKernels, FastDotAndTrainMatchTheScalarReferenceBitForBit) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> input(-2047, 2047), weight(-32768, 32767), error(-32767, 32767);
  for (int trial = 0; trial < 2000; ++trial) {
    const int n = 8 * (1 + trial % 4);
    alignas(16) int16_t x[kMaxTerms], w1[kMaxTerms], w2[kMaxTerms];
    for (int i = 0; i < n; ++i) {
      x[i] = static_cast<int16_t>(trial % 7 == 0 ? (i % 2 ? 2047 : -2047) : input(rng));
      w1[i] = w2[i] = static_cast<int16_t>(trial % 5 == 0 ? (i % 2 ? 32767 : -32768) : weight(rng));
    }
    ASSERT_EQ(dot(x, w1, n), dot_reference(x, w1, n));
    const int err = trial % 11 == 0 ? 32767 : error(rng);
    for (int shift : {14, 16}) {
      train(x, w1, n, err, shift);
      train_reference(x, w2, n, err, shift);
      for (int i = 0; i < n; ++i) ASSERT_EQ(w1[i], w2[i]) << "trial " << trial << " i " << i;
    }
  }
}

TEST(MatchModel, WordAtATimeComparisonCountsWhatTheByteLoopCounts) {
  // Repeats with a difference at every distance from the end, near the buffer's start (a < 8)
  // and past the limit, over a small alphabet so that runs of equal bytes are common.
  std::mt19937 rng(99);
  std::vector<uint8_t> buf(4096);
  for (auto& b : buf) b = static_cast<uint8_t>(rng() % 3);
  for (int trial = 0; trial < 20000; ++trial) {
    const uint64_t b = 1 + rng() % (buf.size() - 1);
    const uint64_t a = rng() % b;
    if (trial % 2) {  // make the bytes before a and b agree for a random length
      const uint64_t len = std::min<uint64_t>(a, rng() % 80);
      for (uint64_t i = 1; i <= len; ++i) buf[b - i] = buf[a - i];
    }
    const uint32_t limit = trial % 5 ? 64 : static_cast<uint32_t>(rng() % 100);
    ASSERT_EQ(equal_bytes_before(buf.data(), a, b, limit), equal_bytes_before_reference(buf.data(), a, b, limit))
        << "a=" << a << " b=" << b << " limit=" << limit;
  }
}

TEST(StateTable, EveryTransitionStaysInsideTheTableAndCountsMove) {
  const StateTable& t = StateTable::get();
  ASSERT_GT(t.count(), 1);
  ASSERT_LE(t.count(), 256);
  EXPECT_EQ(t.n0(0), 0);
  EXPECT_EQ(t.n1(0), 0);
  for (int s = 0; s < t.count(); ++s) {
    for (int bit = 0; bit < 2; ++bit) {
      const int next = t.next(static_cast<uint8_t>(s), bit);
      ASSERT_LT(next, t.count());
      // The observed bit's count never shrinks.
      const int before = bit ? t.n1(static_cast<uint8_t>(s)) : t.n0(static_cast<uint8_t>(s));
      const int after = bit ? t.n1(static_cast<uint8_t>(next)) : t.n0(static_cast<uint8_t>(next));
      EXPECT_GE(after, before);
    }
  }
}

TEST(StateMap, LearnsTheFrequencyOfItsContext) {
  StateMap map(2, 1023);
  std::mt19937 rng(5);
  for (int i = 0; i < 20000; ++i) {
    map.p(0);
    map.update(rng() % 10 == 0);  // P(1) = 0.1
    map.p(1);
    map.update(1);
  }
  EXPECT_NEAR(map.p(0) / 65536.0, 0.1, 0.02);
  EXPECT_GT(map.p(1), 65000);
}

TEST(Logistic, StretchInvertsSquashWithinTableResolution) {
  // stretch reads 12 bits of probability, so it is coarse where p is within 1/256 of 0 or 1.
  for (int x = -1536; x <= 1536; x += 7) EXPECT_NEAR(stretch(squash(x)), x, 40) << x;
  EXPECT_GE(squash(-5000), 1);
  EXPECT_LE(squash(5000), 65535);
}

TEST(RecordDetector, FindsTheRecordLengthOfTabularData) {
  RecordDetector r;
  std::mt19937 rng(9);
  std::vector<uint8_t> record(148);
  for (auto& b : record) b = static_cast<uint8_t>(rng());
  uint64_t pos = 0;
  for (int rec = 0; rec < 200; ++rec)
    for (size_t i = 0; i < record.size(); ++i) {
      const auto noise = static_cast<uint8_t>(i % 4 == 0 ? rng() : 0);  // a varying field
      r.update(static_cast<uint8_t>(record[i] ^ noise), ++pos);
    }
  EXPECT_EQ(r.long_length(), 148u);
}

// Runs the predictor over data as an encoder would and returns every probability.
std::vector<int> trace(int level, const std::vector<uint8_t>& data) {
  Predictor p(level, data.data(), data.size());
  std::vector<int> out;
  for (uint8_t c : data)
    for (int i = 7; i >= 0; --i) {
      out.push_back(p.p());
      p.update((c >> i) & 1);
    }
  return out;
}

TEST(Predictor, IsDeterministicAndAlwaysGivesACodableProbability) {
  std::vector<uint8_t> data;
  const char* text = "the quick brown fox jumps over the lazy dog; ";
  for (int i = 0; i < 300; ++i) data.insert(data.end(), text, text + 45);
  for (int i = 0; i < 3000; ++i) data.push_back(static_cast<uint8_t>((i * 7919) >> 3));
  for (int level : {1, 6, 9}) {
    const auto a = trace(level, data);
    const auto b = trace(level, data);
    ASSERT_EQ(a, b) << "level " << level;
    for (int p : a) {
      ASSERT_GE(p, 1);
      ASSERT_LE(p, 65535);
    }
  }
}

TEST(Predictor, LearnsARepeatedTextToNearCertainty) {
  std::vector<uint8_t> data;
  const char* text = "all work and no play makes jack a dull boy. ";
  for (int i = 0; i < 400; ++i) data.insert(data.end(), text, text + 44);
  const auto probs = trace(6, data);
  // Cost of the last 100 bytes, in bits: a predictor that learned the repeat pays little.
  double bits = 0;
  for (size_t i = probs.size() - 800; i < probs.size(); ++i) {
    const size_t byte = i / 8;
    const int bit = (data[byte] >> (7 - i % 8)) & 1;
    const double p1 = probs[i] / 65536.0;
    bits -= std::log2(bit ? p1 : 1 - p1);
  }
  EXPECT_LT(bits, 20.0);
}

}  // namespace
}  // namespace nzip::cm
