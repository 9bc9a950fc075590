// Proves the claims of "What it must show" that are not about ratio, on real corpus data and
// generated edge cases, through the public API:
//  (a) 1 MB of random bytes grows by less than 0.1% + 64 bytes at the default level;
//  (b) the container bytes are identical for 1, 2 and 3 threads (a text and a float file cut
//      to ~3 MB in 512 KiB chunks, so several chunks are in flight), and decode with 3 threads;
//  (c) random single-byte corruptions and random truncations of a .nz made from a real
//      corpus file decode to the exact original or throw nzip::Error: never other bytes,
//      another exception, a crash, or a hang (the test finishing proves there is no hang);
//  (d) edge inputs round-trip: 2 MB of zeros, every 1-byte input, 2-byte inputs, and a 4 MB
//      repeat of one random 1 KB block (which must also compress to almost nothing).
// All randomness has fixed seeds, so a failure names a reproducible trial.
// NZIP_TEST_SCALE=small (sanitizer build) shrinks every input and trial count about 10x.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using nzip_test::Bytes;
using nzip_test::same_bytes;
using nzip_test::small_scale;

Bytes compress_with(const Bytes& data, int level, unsigned threads, uint64_t chunk_size = 0) {
  nzip::CompressOptions o;
  o.level = level;
  o.threads = threads;
  o.chunk_size = chunk_size;
  return nzip::compress(data, o);
}

Bytes decompress_with(const Bytes& packed, unsigned threads) {
  nzip::DecompressOptions o;
  o.threads = threads;
  return nzip::decompress(packed, o);
}

Bytes corpus_prefix(const std::string& rel, uint64_t max_bytes) {
  return nzip_test::read_file(nzip_test::corpus_dir() / rel, max_bytes);
}

// ---- (a) incompressible input -------------------------------------------------------------

TEST(Robustness, RandomMegabyteGrowsLessThanPointOnePercentPlus64Bytes) {
  // Small scale checks the same bound on 128 KiB (the stored-chunk fallback is the same path).
  const size_t n = small_scale() ? 128 * 1024 : 1000 * 1000;
  const Bytes data = nzip_test::random_bytes(n, 0x5eed0001);
  const Bytes packed = compress_with(data, nzip::kDefaultLevel, 0);
  const double limit = static_cast<double>(n) * 1.001 + 64;
  EXPECT_LT(static_cast<double>(packed.size()), limit)
      << n << " random bytes became " << packed.size() << " (limit " << limit << ")";
  EXPECT_TRUE(same_bytes(data, decompress_with(packed, 0)));
}

// ---- (b) output independent of the thread count --------------------------------------------

void expect_thread_count_invariant(const std::string& rel) {
  const uint64_t size = small_scale() ? 192 * 1024 : 3 * 1024 * 1024;
  const uint64_t chunk = small_scale() ? 64 * 1024 : 512 * 1024;
  const Bytes data = corpus_prefix(rel, size);
  ASSERT_EQ(data.size(), size) << rel << " is shorter than the test needs";
  const Bytes t1 = compress_with(data, nzip::kDefaultLevel, 1, chunk);
  ASSERT_GE(nzip::inspect(t1).chunks.size(), 3u) << "want several chunks in flight";
  for (const unsigned threads : {2u, 3u}) {
    const Bytes tn = compress_with(data, nzip::kDefaultLevel, threads, chunk);
    EXPECT_TRUE(same_bytes(t1, tn)) << rel << ": container differs between 1 and " << threads << " threads";
  }
  // Decoding with 1 or all threads is covered by every other round trip.
  EXPECT_TRUE(same_bytes(data, decompress_with(t1, 3))) << rel << " decoded with 3 threads";
}

TEST(Robustness, SameBytesFor1To3ThreadsOnText) { expect_thread_count_invariant("text/bible.txt"); }
TEST(Robustness, SameBytesFor1To3ThreadsOnFloats) { expect_thread_count_invariant("float/hep_taus_pt.f32"); }

// ---- (c) damaged containers ----------------------------------------------------------------

// A level-1 container of a real file in 64 KiB chunks (16 KiB under small scale), so that
// damage lands in headers, the index and coded payloads of several chunks.
struct Damaged {
  Bytes original;
  Bytes packed;
};

const Damaged& damaged_fixture() {
  static const Damaged d = [] {
    Damaged r;
    const bool small = small_scale();
    r.original = corpus_prefix("text/alice29.txt", small ? 64 * 1024 : 200 * 1000);
    r.packed = compress_with(r.original, 1, 0, small ? 16 * 1024 : 64 * 1024);
    return r;
  }();
  return d;
}

// Decodes `bytes`; the only acceptable outcomes are the original or an nzip::Error.
// Returns true when it threw nzip::Error.
bool decode_is_original_or_error(const Bytes& bytes, const Bytes& original, const std::string& what) {
  try {
    const Bytes out = decompress_with(bytes, 0);
    EXPECT_TRUE(same_bytes(original, out)) << what << ": decoded without error to different bytes";
    return false;
  } catch (const nzip::Error&) {
    return true;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": threw a non-nzip exception: " << e.what();
  } catch (...) {
    ADD_FAILURE() << what << ": threw something that is not a std::exception";
  }
  return true;
}

TEST(Robustness, SingleByteCorruptionsGiveTheOriginalOrAnError) {
  const Damaged& d = damaged_fixture();
  ASSERT_TRUE(same_bytes(d.original, decompress_with(d.packed, 0)));
  const size_t n = d.packed.size();
  ASSERT_GE(nzip::inspect(d.packed).chunks.size(), 3u);
  const int trials = small_scale() ? 40 : 200;
  uint64_t rng = 0xc0ff0002;
  int errors = 0;
  for (int t = 0; t < trials; ++t) {
    // Half the trials hit the first or last 256 bytes (header, first frame headers, index,
    // footer), where a byte decides how everything else is read; the rest hit anywhere.
    size_t pos = nzip_test::splitmix64(rng) % n;
    if (t % 2 == 0) {
      const size_t edge = std::min<size_t>(256, n);
      const size_t off = nzip_test::splitmix64(rng) % edge;
      pos = (t % 4 == 0) ? off : n - 1 - off;
    }
    const auto flip = static_cast<uint8_t>(1 + nzip_test::splitmix64(rng) % 255);  // never 0
    Bytes bad = d.packed;
    bad[pos] ^= flip;
    errors += decode_is_original_or_error(bad, d.original,
                                          "trial " + std::to_string(t) + ": byte " + std::to_string(pos) + " of " +
                                              std::to_string(n) + " xor " + std::to_string(flip));
  }
  // Almost every byte matters (payload bytes are covered by the chunk checksums).
  EXPECT_GE(errors, trials * 9 / 10) << "most corruptions went unnoticed";
}

TEST(Robustness, TruncationsGiveAnError) {
  const Damaged& d = damaged_fixture();
  const size_t n = d.packed.size();
  std::vector<size_t> lengths = {0, 1, 4, 8, 16, 32, n / 2, n - 1};
  uint64_t rng = 0x7a11003;
  const int random_trials = small_scale() ? 10 : 50;
  for (int t = 0; t < random_trials; ++t) lengths.push_back(nzip_test::splitmix64(rng) % n);
  for (const size_t len : lengths) {
    const Bytes cut(d.packed.begin(), d.packed.begin() + static_cast<std::ptrdiff_t>(len));
    const std::string what = "truncated to " + std::to_string(len) + " of " + std::to_string(n) + " bytes";
    // A container that lost its end is never complete: it must be rejected, not "original".
    EXPECT_TRUE(decode_is_original_or_error(cut, d.original, what)) << what << ": accepted";
  }
}

// ---- (d) edge inputs -----------------------------------------------------------------------

void expect_round_trip(const Bytes& data, const std::string& what, int level = nzip::kDefaultLevel) {
  const Bytes packed = compress_with(data, level, 0);
  EXPECT_TRUE(same_bytes(data, decompress_with(packed, 0))) << what;
}

TEST(Robustness, AllZerosRoundTripAndShrink) {
  const Bytes zeros(small_scale() ? 256 * 1024 : 2 * 1000 * 1000, 0);
  const Bytes packed = compress_with(zeros, nzip::kDefaultLevel, 0);
  EXPECT_TRUE(same_bytes(zeros, decompress_with(packed, 0)));
  EXPECT_LT(packed.size(), zeros.size() / 100) << "zeros barely compressed";
}

TEST(Robustness, EveryOneByteInputRoundTrips) {
  for (int v = 0; v < 256; ++v) expect_round_trip(Bytes{static_cast<uint8_t>(v)}, "byte " + std::to_string(v));
  expect_round_trip(Bytes{}, "empty input");
}

TEST(Robustness, TwoByteInputsRoundTrip) {
  uint64_t rng = 0x2b7e0004;
  std::vector<Bytes> inputs = {{0, 0}, {0, 255}, {255, 0}, {255, 255}, {'\r', '\n'}, {'a', 'a'}};
  const int random_pairs = small_scale() ? 8 : 64;
  for (int i = 0; i < random_pairs; ++i) {
    const uint64_t r = nzip_test::splitmix64(rng);
    inputs.push_back({static_cast<uint8_t>(r), static_cast<uint8_t>(r >> 8)});
  }
  for (const Bytes& in : inputs)
    for (const int level : {1, nzip::kDefaultLevel, 9})
      expect_round_trip(in, "bytes " + std::to_string(in[0]) + "," + std::to_string(in[1]) + " at level " +
                                std::to_string(level), level);
}

TEST(Robustness, LongRepeatOfOneRandomBlockRoundTripsAndShrinks) {
  const Bytes block = nzip_test::random_bytes(1024, 0xb10c0005);
  const size_t copies = small_scale() ? 256 : 4096;  // 256 KiB or 4 MiB
  Bytes data;
  data.reserve(block.size() * copies);
  for (size_t i = 0; i < copies; ++i) data.insert(data.end(), block.begin(), block.end());
  const Bytes packed = compress_with(data, nzip::kDefaultLevel, 0);
  EXPECT_TRUE(same_bytes(data, decompress_with(packed, 0)));
  // Each chunk pays for the block once (~1 KB) and little for the repeats.
  const uint64_t chunks = nzip::inspect(packed).chunks.size();
  EXPECT_LT(packed.size(), chunks * 4096 + data.size() / 200) << "repeats not exploited";
}

}  // namespace
