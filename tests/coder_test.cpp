// Proves the entropy coders (coder/binary_coder.h, coder/range_coder.h):
//   - every stream decodes to exactly what was coded: extreme probabilities (the improbable
//     bit at p = 2^-16), long runs, random streams, crafted carry-propagation runs, the empty
//     stream, random frequency tables with freq = 1 symbols, power-of-two and other totals;
//   - a valid stream decoded to its end reports overrun() == 0, and a truncated or garbage
//     stream is decoded without reading outside its span (checked under ASan), reports
//     overrun, and never yields a frequency >= total;
//   - coded size is within 0.1% + 8 bytes of the ideal -sum(log2 p);
//   - the binary coder and the range coder's 2^16 path produce identical bytes.
// NZIP_TEST_SCALE=small shrinks the stream lengths (for sanitizer builds).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "coder/binary_coder.h"
#include "coder/range_coder.h"

namespace {

using nzip::coder::BinaryDecoder;
using nzip::coder::BinaryEncoder;
using nzip::coder::RangeDecoder;
using nzip::coder::RangeEncoder;

bool small_scale() {
  const char* s = std::getenv("NZIP_TEST_SCALE");
  return s != nullptr && std::strcmp(s, "small") == 0;
}
// n at full scale, n / 10 at small scale.
size_t scaled(size_t n) { return small_scale() ? n / 10 : n; }

// splitmix64: deterministic on every platform, unlike std:: distributions.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }  // [0, n)
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }   // [0, 1)
  uint32_t p16() { return 1 + below(65535); }                               // [1, 65535]
};

// A copy of `bytes` in a heap block of exactly that size, so that ASan reports any read
// past its end.
struct ExactBuffer {
  std::unique_ptr<uint8_t[]> data;
  size_t size;
  explicit ExactBuffer(std::span<const uint8_t> bytes)
      : data(new uint8_t[std::max<size_t>(bytes.size(), 1)]), size(bytes.size()) {
    if (!bytes.empty()) std::memcpy(data.get(), bytes.data(), bytes.size());
  }
  std::span<const uint8_t> span() const { return {data.get(), size}; }
};

struct BitStream {
  std::vector<uint8_t> bits;
  std::vector<uint32_t> p1;
};

std::vector<uint8_t> encode_bits(const BitStream& s) {
  std::vector<uint8_t> out;
  BinaryEncoder enc(out);
  for (size_t i = 0; i < s.bits.size(); ++i) enc.encode(s.bits[i], s.p1[i]);
  enc.finish();
  return out;
}

// Decodes every bit of `s` from `bytes` (in an exact-size buffer) and checks it; checks
// that the valid stream needs no bytes beyond its implicit zeros.
void expect_bits_round_trip(const BitStream& s) {
  const std::vector<uint8_t> coded = encode_bits(s);
  const ExactBuffer buf(coded);
  BinaryDecoder dec(buf.span());
  size_t mismatches = 0;
  size_t first = 0;
  for (size_t i = 0; i < s.bits.size(); ++i) {
    if (dec.decode(s.p1[i]) != s.bits[i] && mismatches++ == 0) first = i;
  }
  EXPECT_EQ(mismatches, 0u) << "first wrong bit at " << first << " of " << s.bits.size();
  EXPECT_EQ(dec.overrun(), 0u);
}

double cost_bits(int bit, uint32_t p1) {
  const double p = p1 / 65536.0;
  return -std::log2(bit ? p : 1.0 - p);
}

TEST(BinaryCoder, EmptyStreamIsZeroBytesAndDecodesWithoutOverrun) {
  std::vector<uint8_t> out;
  BinaryEncoder enc(out);
  enc.finish();
  EXPECT_TRUE(out.empty());
  BinaryDecoder dec(std::span<const uint8_t>{});
  EXPECT_EQ(dec.overrun(), 0u);
}

TEST(BinaryCoder, AppendsToExistingOutputWithoutTouchingIt) {
  std::vector<uint8_t> out = {1, 2, 3};
  BinaryEncoder enc(out);
  for (int i = 0; i < 1000; ++i) enc.encode(i & 1, 20000);
  enc.finish();
  ASSERT_GT(out.size(), 3u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 2);
  EXPECT_EQ(out[2], 3);
  BinaryDecoder dec(std::span<const uint8_t>(out).subspan(3));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(dec.decode(20000), i & 1);
  EXPECT_EQ(dec.overrun(), 0u);
}

TEST(BinaryCoder, SingleBitStreamsCostAtMostOneByteOverIdeal) {
  for (const uint32_t p1 : {1u, 2u, 32768u, 65534u, 65535u}) {
    for (const uint8_t bit : {uint8_t{0}, uint8_t{1}}) {
      const BitStream s{{bit}, {p1}};
      EXPECT_LE(static_cast<double>(encode_bits(s).size() * 8), cost_bits(bit, p1) + 8)
          << "p1=" << p1 << " bit=" << int{bit};
      expect_bits_round_trip(s);
    }
  }
}

TEST(BinaryCoder, ExtremeProbabilitiesRoundTripWithBothBitValues) {
  const uint32_t extremes[] = {1, 2, 3, 255, 256, 32767, 32768, 65280, 65533, 65534, 65535};
  Rng rng(1);
  for (const uint32_t p1 : extremes) {
    // All probable, all improbable, alternating, random; 2000 bits each.
    for (int pattern = 0; pattern < 4; ++pattern) {
      BitStream s;
      for (int i = 0; i < 2000; ++i) {
        const uint8_t probable = p1 >= 32768 ? 1 : 0;
        uint8_t bit = probable;
        if (pattern == 1) bit = 1 - probable;
        if (pattern == 2) bit = static_cast<uint8_t>(i & 1);
        if (pattern == 3) bit = static_cast<uint8_t>(rng.below(2));
        s.bits.push_back(bit);
        s.p1.push_back(p1);
      }
      SCOPED_TRACE(testing::Message() << "p1=" << p1 << " pattern=" << pattern);
      expect_bits_round_trip(s);
    }
  }
  // The extremes mixed bit by bit: p1 = 1 and 65535 each with either bit.
  BitStream mixed;
  for (int i = 0; i < 20000; ++i) {
    mixed.p1.push_back(rng.below(2) ? 1 : 65535);
    mixed.bits.push_back(static_cast<uint8_t>(rng.below(2)));
  }
  expect_bits_round_trip(mixed);
}

TEST(BinaryCoder, ImprobableBitCostsAtMostSixteenBitsAndAHair) {
  // 10k improbable bits at p = 2^-16 each cost 16 bits ideally.
  BitStream s;
  for (int i = 0; i < 10000; ++i) {
    s.bits.push_back(static_cast<uint8_t>(i & 1));
    s.p1.push_back((i & 1) ? 1 : 65535);
  }
  const size_t size = encode_bits(s).size();
  EXPECT_LE(size, 20000u + 20u + 8u);
  expect_bits_round_trip(s);
}

TEST(BinaryCoder, LongRunsOfTheProbableBitRoundTripAndCostAlmostNothing) {
  const size_t n = scaled(10'000'000);
  for (const uint8_t bit : {uint8_t{0}, uint8_t{1}}) {
    const uint32_t p1 = bit ? 65535 : 1;  // the bit is the probable one
    std::vector<uint8_t> out;
    BinaryEncoder enc(out);
    for (size_t i = 0; i < n; ++i) enc.encode(bit, p1);
    enc.finish();
    const double ideal_bytes = static_cast<double>(n) * cost_bits(bit, p1) / 8;
    EXPECT_LE(static_cast<double>(out.size()), ideal_bytes * 1.001 + 8) << "bit=" << int{bit};
    const ExactBuffer buf(out);
    BinaryDecoder dec(buf.span());
    size_t wrong = 0;
    for (size_t i = 0; i < n; ++i) wrong += dec.decode(p1) != bit;
    EXPECT_EQ(wrong, 0u);
    EXPECT_EQ(dec.overrun(), 0u);
  }
  // A long run of the improbable bit too (16 bits each).
  BitStream s;
  const size_t m = scaled(200'000);
  s.bits.assign(m, 1);
  s.p1.assign(m, 1);
  expect_bits_round_trip(s);
}

TEST(BinaryCoder, RandomBitsWithRandomProbabilitiesRoundTrip) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    BitStream s;
    const size_t n = rng.below(20000);
    for (size_t i = 0; i < n; ++i) {
      // Half the time a bit drawn from its probability, half the time a fair coin.
      const uint32_t p1 = rng.p16();
      s.p1.push_back(p1);
      s.bits.push_back(rng.below(2) ? (rng.below(65536) < p1) : static_cast<uint8_t>(rng.below(2)));
    }
    SCOPED_TRACE(testing::Message() << "seed=" << seed << " n=" << n);
    expect_bits_round_trip(s);
  }
}

TEST(BinaryCoder, VeryLongRandomStreamWithFixedSeedRoundTrips) {
  Rng rng(12345);
  BitStream s;
  const size_t n = scaled(8'000'000);
  s.bits.resize(n);
  s.p1.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t r = rng.next();
    // Probabilities from everywhere in [1, 65535], including both extremes.
    const uint32_t p1 = (r & 0xF) == 0 ? ((r & 0x10) ? 1 : 65535) : 1 + static_cast<uint32_t>((r >> 8) % 65535);
    s.p1[i] = p1;
    s.bits[i] = ((r >> 32) & 0xFFFF) < p1;
  }
  expect_bits_round_trip(s);
}

// Crafts bits that keep the coding interval straddling the point 0x80000000... of the coded
// number: the interval's low end then reads 0x7F FF FF ..., so the encoder holds back an
// ever longer run of 0xFF bytes until the end decides whether a carry turns them into 0x00.
// The bits come from decoding the number 0x7F FF FF ... (which stays inside the interval,
// right below 0x80 00 ...) at varied probabilities near 1/2.
BitStream straddling_bits(size_t n, Rng& rng) {
  std::vector<uint8_t> target(n, 0xFF);
  target[0] = 0x7F;
  BinaryDecoder dec(target);
  BitStream s;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t p1 = 24576 + rng.below(16384);
    s.p1.push_back(p1);
    s.bits.push_back(static_cast<uint8_t>(dec.decode(p1)));
  }
  return s;
}

// Length of the longest run of `value` in `bytes`.
size_t longest_run(const std::vector<uint8_t>& bytes, uint8_t value) {
  size_t best = 0, run = 0;
  for (const uint8_t b : bytes) {
    run = b == value ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

TEST(BinaryCoder, CarryPropagatesThroughALongRunOfPendingFFBytes) {
  Rng rng(7);
  BitStream s = straddling_bits(scaled(100'000), rng);
  // Then upper parts only (bit 0 at p1 = 65535 takes the top 2^-16 of the interval): low
  // climbs past 0x80 00 ..., which carries into every held-back 0xFF byte. These 8 bits
  // cost 16 bytes, hence the slack in the run-length check.
  for (int i = 0; i < 8; ++i) {
    s.bits.push_back(0);
    s.p1.push_back(65535);
  }
  const std::vector<uint8_t> coded = encode_bits(s);
  ASSERT_GE(coded.size(), 2u);
  EXPECT_EQ(coded[0], 0x80);
  EXPECT_GE(longest_run(coded, 0x00), coded.size() - 24) << "size " << coded.size();
  expect_bits_round_trip(s);
}

TEST(BinaryCoder, LongRunOfPendingFFBytesResolvesWithoutCarry) {
  Rng rng(8);
  BitStream s = straddling_bits(scaled(100'000), rng);
  // Then lower parts only (bit 1 at p1 = 1): the interval shrinks onto its low end,
  // 0x7F FF FF ..., so the held-back 0xFF bytes are written as they are.
  for (int i = 0; i < 8; ++i) {
    s.bits.push_back(1);
    s.p1.push_back(1);
  }
  const std::vector<uint8_t> coded = encode_bits(s);
  ASSERT_GE(coded.size(), 2u);
  EXPECT_EQ(coded[0], 0x7F);
  EXPECT_GE(longest_run(coded, 0xFF), coded.size() - 24) << "size " << coded.size();
  expect_bits_round_trip(s);
}

TEST(BinaryCoder, ManyShortCarryRunsInRandomStreamsRoundTrip) {
  // Alternates crafted straddling stretches with random ones, so carries of every run
  // length, including runs that start at the beginning of the stream, occur.
  Rng rng(99);
  for (int round = 0; round < 20; ++round) {
    BitStream s;
    for (int piece = 0; piece < 20; ++piece) {
      const BitStream part = straddling_bits(1 + rng.below(400), rng);
      s.bits.insert(s.bits.end(), part.bits.begin(), part.bits.end());
      s.p1.insert(s.p1.end(), part.p1.begin(), part.p1.end());
      for (uint32_t i = rng.below(50); i > 0; --i) {
        s.p1.push_back(rng.p16());
        s.bits.push_back(static_cast<uint8_t>(rng.below(2)));
      }
    }
    expect_bits_round_trip(s);
  }
}

TEST(BinaryCoder, TruncatedStreamNeverReadsOutOfBoundsAndReportsOverrun) {
  Rng rng(5);
  BitStream s;
  const size_t n = 200'000;
  for (size_t i = 0; i < n; ++i) {
    s.p1.push_back(rng.p16());
    s.bits.push_back(static_cast<uint8_t>(rng.below(2)));
  }
  const std::vector<uint8_t> coded = encode_bits(s);
  ASSERT_GT(coded.size(), 1000u);
  for (const size_t keep : {size_t{0}, size_t{1}, size_t{4}, coded.size() / 2, coded.size() - 64,
                            coded.size() - 16, coded.size() - 1}) {
    const ExactBuffer buf(std::span<const uint8_t>(coded.data(), keep));
    BinaryDecoder dec(buf.span());
    for (size_t i = 0; i < n; ++i) dec.decode(s.p1[i]);
    // Dropping d bytes makes the decoder read about d zeros beyond the implicit ones.
    if (coded.size() - keep >= 16) {
      EXPECT_GT(dec.overrun(), 8u) << "kept " << keep;
    }
    if (coded.size() - keep == 1) {
      EXPECT_LE(dec.overrun(), 2u) << "kept " << keep;
    }
  }
}

TEST(BinaryCoder, GarbageInputDecodesWithinBounds) {
  Rng rng(6);
  for (int round = 0; round < 20; ++round) {
    std::vector<uint8_t> junk(rng.below(64));
    for (auto& b : junk) b = static_cast<uint8_t>(round == 0 ? 0xFF : rng.below(256));
    const ExactBuffer buf(junk);
    BinaryDecoder dec(buf.span());
    for (int i = 0; i < 10000; ++i) dec.decode(rng.p16());
    EXPECT_GT(dec.overrun(), 0u);
  }
}

TEST(BinaryCoder, SizeWithinATenthOfAPercentOfIdealForBitsFromTheirOwnProbability) {
  Rng rng(2024);
  const size_t n = scaled(1'000'000);
  BitStream s;
  double ideal = 0;
  for (size_t i = 0; i < n; ++i) {
    // Logit uniform in [-11, 11]: p from about 2^-16 to 1 - 2^-16.
    const double p = 1.0 / (1.0 + std::exp(-(rng.unit() * 22.0 - 11.0)));
    const auto p1 = static_cast<uint32_t>(std::clamp(std::lround(p * 65536.0), 1L, 65535L));
    const uint8_t bit = rng.below(65536) < p1;
    s.p1.push_back(p1);
    s.bits.push_back(bit);
    ideal += cost_bits(bit, p1);
  }
  const size_t size = encode_bits(s).size();
  const double ideal_bytes = ideal / 8;
  std::printf("binary coder: %zu bits, ideal %.1f bytes, coded %zu bytes, excess %.4f%%\n", n,
              ideal_bytes, size, 100.0 * (static_cast<double>(size) / ideal_bytes - 1));
  EXPECT_LE(static_cast<double>(size), ideal_bytes * 1.001 + 8);
  expect_bits_round_trip(s);
}

// ---- multi-symbol range coder ----

// A frequency table: freq[i] >= 1, cum[i] = sum of freq[0..i), total = cum[n].
struct Table {
  std::vector<uint32_t> freq;
  std::vector<uint32_t> cum;
  uint32_t total = 0;
  explicit Table(std::vector<uint32_t> f) : freq(std::move(f)) {
    for (const uint32_t x : freq) {
      cum.push_back(total);
      total += x;
    }
    cum.push_back(total);
  }
  uint32_t symbol_of(uint32_t f) const {  // the symbol whose [cum, cum + freq) holds f
    return static_cast<uint32_t>(std::upper_bound(cum.begin(), cum.end(), f) - cum.begin() - 1);
  }
};

// A random table of `n` symbols summing to `total` (>= n): skewed, with many freq = 1.
Table random_table(Rng& rng, uint32_t n, uint32_t total) {
  std::vector<uint32_t> freq(n, 1);
  std::vector<double> w(n);
  double sum = 0;
  for (auto& x : w) {
    x = rng.below(3) == 0 ? 0.0 : std::pow(rng.unit(), 4.0);
    sum += x;
  }
  uint32_t left = total - n;
  if (sum > 0) {
    for (uint32_t i = 0; i < n; ++i) {
      const auto add = static_cast<uint32_t>(std::floor(w[i] / sum * (total - n)));
      freq[i] += add;
      left -= add;
    }
  }
  freq[rng.below(n)] += left;
  return Table(std::move(freq));
}

struct SymbolStream {
  std::vector<Table> tables;
  std::vector<uint32_t> table_of;  // per symbol
  std::vector<uint32_t> symbols;
};

std::vector<uint8_t> encode_symbols(const SymbolStream& s) {
  std::vector<uint8_t> out;
  RangeEncoder enc(out);
  for (size_t i = 0; i < s.symbols.size(); ++i) {
    const Table& t = s.tables[s.table_of[i]];
    const uint32_t x = s.symbols[i];
    enc.encode(t.cum[x], t.freq[x], t.total);
  }
  enc.finish();
  return out;
}

void expect_symbols_round_trip(const SymbolStream& s) {
  const std::vector<uint8_t> coded = encode_symbols(s);
  const ExactBuffer buf(coded);
  RangeDecoder dec(buf.span());
  size_t mismatches = 0, first = 0;
  for (size_t i = 0; i < s.symbols.size(); ++i) {
    const Table& t = s.tables[s.table_of[i]];
    const uint32_t f = dec.decode_freq(t.total);
    ASSERT_LT(f, t.total);
    const uint32_t x = t.symbol_of(f);
    dec.consume(t.cum[x], t.freq[x], t.total);
    if (x != s.symbols[i] && mismatches++ == 0) first = i;
  }
  EXPECT_EQ(mismatches, 0u) << "first wrong symbol at " << first << " of " << s.symbols.size();
  EXPECT_EQ(dec.overrun(), 0u);
}

TEST(RangeCoder, EmptyStreamIsZeroBytesAndDecodesWithoutOverrun) {
  std::vector<uint8_t> out;
  RangeEncoder enc(out);
  enc.finish();
  EXPECT_TRUE(out.empty());
  RangeDecoder dec(std::span<const uint8_t>{});
  EXPECT_EQ(dec.overrun(), 0u);
}

TEST(RangeCoder, RandomTablesWithFreqOneSymbolsRoundTrip) {
  Rng rng(31);
  for (int round = 0; round < 30; ++round) {
    SymbolStream s;
    const uint32_t n_tables = 1 + rng.below(8);
    for (uint32_t t = 0; t < n_tables; ++t) {
      const uint32_t n = 1 + rng.below(300);
      uint32_t total = 0;
      switch (rng.below(4)) {
        case 0: total = uint32_t{1} << (std::bit_width(n - 1) + rng.below(17 - std::bit_width(n - 1))); break;
        case 1: total = 65536; break;
        case 2: total = n + rng.below(50); break;  // almost all freq = 1
        default: total = n + rng.below(65537 - n); break;
      }
      s.tables.push_back(random_table(rng, n, total));
    }
    const size_t len = rng.below(20000);
    for (size_t i = 0; i < len; ++i) {
      const uint32_t t = rng.below(n_tables);
      const Table& table = s.tables[t];
      s.table_of.push_back(t);
      // Half uniform over symbols (so freq = 1 symbols are frequent), half by frequency.
      s.symbols.push_back(rng.below(2) ? rng.below(static_cast<uint32_t>(table.freq.size()))
                                       : table.symbol_of(rng.below(table.total)));
    }
    SCOPED_TRACE(testing::Message() << "round " << round << " len " << len);
    expect_symbols_round_trip(s);
  }
}

TEST(RangeCoder, ExtremeTablesRoundTrip) {
  // total = 1 (a certain symbol, 0 bits), total = 2, and 65536 with a freq = 1 symbol at
  // either end and in the middle, each coded many times.
  std::vector<uint32_t> big(3, 1);
  big[1] = 65534;
  std::vector<uint32_t> big_end(2, 1);
  big_end[0] = 65535;
  std::vector<uint32_t> odd(2, 1);
  odd[1] = 65534;  // total 65535: not a power of two, improbable first symbol
  SymbolStream s;
  s.tables = {Table({1}), Table({1, 1}), Table(big), Table(big_end), Table(odd)};
  Rng rng(3);
  for (int i = 0; i < 50000; ++i) {
    const uint32_t t = rng.below(5);
    s.table_of.push_back(t);
    s.symbols.push_back(rng.below(static_cast<uint32_t>(s.tables[t].freq.size())));
  }
  expect_symbols_round_trip(s);
  // Only the certain symbol: nothing to write.
  SymbolStream certain;
  certain.tables = {Table({1})};
  certain.table_of.assign(1000, 0);
  certain.symbols.assign(1000, 0);
  EXPECT_TRUE(encode_symbols(certain).empty());
  expect_symbols_round_trip(certain);
}

TEST(RangeCoder, MatchesBinaryCoderBytesAtTotalTwoToTheSixteen) {
  Rng rng(17);
  std::vector<uint8_t> a, b;
  BinaryEncoder be(a);
  RangeEncoder re(b);
  BitStream s;
  for (int i = 0; i < 100000; ++i) {
    const uint32_t p1 = rng.p16();
    const int bit = static_cast<int>(rng.below(2));
    s.p1.push_back(p1);
    s.bits.push_back(static_cast<uint8_t>(bit));
    be.encode(bit, p1);
    if (i & 1) {
      re.encode(bit ? 0 : p1, bit ? p1 : 65536 - p1, 65536);
    } else {
      re.encode_pow2(bit ? 0 : p1, bit ? p1 : 65536 - p1, 16);
    }
  }
  be.finish();
  re.finish();
  EXPECT_EQ(a, b);
  // And the range decoder reads the binary coder's stream.
  RangeDecoder dec(a);
  for (size_t i = 0; i < s.bits.size(); ++i) {
    const uint32_t f = dec.decode_freq(65536);
    const int bit = f < s.p1[i];
    ASSERT_EQ(bit, s.bits[i]) << "at " << i;
    dec.consume(bit ? 0 : s.p1[i], bit ? s.p1[i] : 65536 - s.p1[i], 65536);
  }
  EXPECT_EQ(dec.overrun(), 0u);
}

TEST(RangeCoder, TruncatedOrGarbageInputStaysInBoundsAndNeverReturnsFreqAtOrAboveTotal) {
  Rng rng(41);
  std::vector<Table> tables = {random_table(rng, 256, 1u << 15), random_table(rng, 100, 50000),
                               random_table(rng, 3, 3), random_table(rng, 300, 65536)};
  SymbolStream s;
  s.tables = tables;
  const size_t n = 50000;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t t = rng.below(4);
    s.table_of.push_back(t);
    s.symbols.push_back(tables[t].symbol_of(rng.below(tables[t].total)));
  }
  const std::vector<uint8_t> coded = encode_symbols(s);
  ASSERT_GT(coded.size(), 1000u);
  std::vector<std::vector<uint8_t>> inputs;
  for (const size_t keep : {size_t{0}, size_t{3}, coded.size() / 3, coded.size() - 16}) {
    inputs.emplace_back(coded.begin(), coded.begin() + static_cast<std::ptrdiff_t>(keep));
  }
  inputs.emplace_back(64, 0xFF);  // code starts at or above range
  std::vector<uint8_t> junk(5000);
  for (auto& x : junk) x = static_cast<uint8_t>(rng.below(256));
  inputs.push_back(junk);
  for (size_t k = 0; k < inputs.size(); ++k) {
    const ExactBuffer buf(inputs[k]);
    RangeDecoder dec(buf.span());
    for (size_t i = 0; i < n; ++i) {
      const Table& t = tables[s.table_of[i]];
      const uint32_t f = dec.decode_freq(t.total);
      ASSERT_LT(f, t.total) << "input " << k << " symbol " << i;
      const uint32_t x = t.symbol_of(f);
      dec.consume(t.cum[x], t.freq[x], t.total);
    }
    EXPECT_GT(dec.overrun(), 8u) << "input " << k;
  }
}

// Codes `n` symbols drawn from `t` and returns {coded bytes, ideal bytes}.
std::pair<size_t, double> measure_table(const Table& t, size_t n, uint64_t seed) {
  Rng rng(seed);
  SymbolStream s;
  s.tables = {t};
  s.table_of.assign(n, 0);
  double ideal = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = t.symbol_of(rng.below(t.total));
    s.symbols.push_back(x);
    ideal -= std::log2(static_cast<double>(t.freq[x]) / t.total);
  }
  const size_t size = encode_symbols(s).size();
  expect_symbols_round_trip(s);
  return {size, ideal / 8};
}

// A 256-symbol table, geometric-like and skewed, summing to `total`.
Table skewed_table(uint32_t total) {
  std::vector<double> w(256);
  double sum = 0;
  for (int i = 0; i < 256; ++i) sum += w[i] = std::pow(0.97, i) + 0.0001;
  std::vector<uint32_t> freq(256);
  uint32_t used = 0;
  for (int i = 0; i < 256; ++i) {
    freq[i] = std::max<uint32_t>(1, static_cast<uint32_t>(w[i] / sum * total));
    used += freq[i];
  }
  freq[0] += total - used;
  return Table(std::move(freq));
}

TEST(RangeCoder, SizeWithinATenthOfAPercentOfIdealForPowerOfTwoAndOtherTotals) {
  const size_t n = scaled(1'000'000);
  for (const uint32_t total : {uint32_t{1} << 15, uint32_t{50000}, uint32_t{65535}}) {
    const Table t = skewed_table(total);
    ASSERT_EQ(t.total, total);
    const auto [size, ideal_bytes] = measure_table(t, n, total);
    std::printf("range coder: total %u, %zu symbols, ideal %.1f bytes, coded %zu bytes, excess %.4f%%\n",
                total, n, ideal_bytes, size, 100.0 * (static_cast<double>(size) / ideal_bytes - 1));
    EXPECT_LE(static_cast<double>(size), ideal_bytes * 1.001 + 8) << "total " << total;
  }
}

}  // namespace
