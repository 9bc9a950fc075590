// Proves the binary decomposition of a next-byte distribution (cm/byte_bits.h): the
// prefix-sum path gives exactly the probabilities of the direct-sum reference at every node,
// the 8 bit probabilities along a byte's path multiply back to that byte's probability
// (within rounding), and extreme tables stay inside the coder's range [1, 65535].
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "cm/byte_bits.h"

namespace nzip::cm {
namespace {

// A valid coder table (256 frequencies ≥ 1 summing to 2^16) with a random, peaky shape.
std::vector<uint16_t> random_table(std::mt19937& rng) {
  std::vector<uint16_t> f(256, 1);
  uint32_t left = 65536 - 256;
  std::uniform_int_distribution<int> sym(0, 255);
  while (left > 0) {
    const uint32_t take = std::min<uint32_t>(left, 1 + rng() % 4096);
    f[static_cast<size_t>(sym(rng))] += static_cast<uint16_t>(take);
    left -= take;
  }
  return f;
}

TEST(ByteBits, PrefixSumsMatchTheDirectSumReferenceAtEveryNode) {
  std::mt19937 rng(7);
  ByteBits bits;
  for (int trial = 0; trial < 50; ++trial) {
    const std::vector<uint16_t> f = random_table(rng);
    bits.set(f.data());
    for (int c0 = 1; c0 < 256; ++c0) ASSERT_EQ(bits.p1(c0), byte_bits_reference(f.data(), c0)) << "node " << c0;
  }
}

TEST(ByteBits, BitProbabilitiesMultiplyBackToTheByteProbability) {
  std::mt19937 rng(11);
  const std::vector<uint16_t> f = random_table(rng);
  ByteBits bits;
  bits.set(f.data());
  for (int c = 0; c < 256; ++c) {
    double p = 1.0;
    int c0 = 1;
    for (int i = 7; i >= 0; --i) {
      const int bit = (c >> i) & 1;
      const double p1 = bits.p1(c0) / 65536.0;
      p *= bit ? p1 : 1.0 - p1;
      c0 = (c0 << 1) | bit;
    }
    // Floor rounding at 8 nodes costs at most 8 / 2^16 of relative error per node.
    EXPECT_NEAR(p, f[static_cast<size_t>(c)] / 65536.0, f[static_cast<size_t>(c)] / 65536.0 * 0.01 + 1e-6) << c;
  }
}

TEST(ByteBits, ExtremeTablesStayInsideTheCoderRange) {
  std::vector<uint16_t> f(256, 1);
  f[200] = 65536 - 255;  // one byte takes almost everything
  ByteBits bits;
  bits.set(f.data());
  for (int c0 = 1; c0 < 256; ++c0) {
    EXPECT_GE(bits.p1(c0), 1);
    EXPECT_LE(bits.p1(c0), 65535);
  }
  EXPECT_EQ(bits.p1(128), 32768);  // node of bytes 0 and 1, both 1: exactly 1/2
  EXPECT_EQ(bits.p1(1), 65408);  // root: bytes 128 … 255 hold 65281 + 127 of 65536
}

}  // namespace
}  // namespace nzip::cm
