// Proves that nzip::memory_bound covers the network model's path: a model adds at least its
// weights and its encoder's working buffers to the bound; levels 8 and 9 (which use the
// built-in model by default) include that model's path, lower levels do not; and the peak
// resident memory of compressing and decompressing with a model whose buffers dwarf the
// level's context mixing stays below the bound (checked only outside the sanitizer build,
// whose shadow memory inflates RSS).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "api/model_check.h"
#include "api/network_decode.h"
#include "api/network_model_impl.h"
#include "codec/network_codec.h"
#include "model/transformer_weights.h"
#include "nzip/model.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using nzip::NetworkModel;

// 2 layers, d_model 256, ff 2048, window 256 (about 2.9 M parameters): its weights and its
// encoder's segment of codec::kNetworkSegment positions (the feed-forward's int32 products
// alone are 2·ff·4 bytes a position) outweigh level 1's context mixing for a short input.
std::shared_ptr<const NetworkModel> wide_model() {
  return nzip::api::make_network_model(
      nzip::model::make_random_transformer(nzip::model::byte_transformer(256, 2, 4, 2048, 256), 7, 0));
}

TEST(ModelMemoryBound, AModelAddsItsWeightsAndBuffers) {
  const auto m = wide_model();
  const uint64_t params = m->parameter_count();
  for (int level : {1, 6, 9})
    for (unsigned threads : {1u, 2u}) {
      const uint64_t plain = nzip::memory_bound(level, threads), with = nzip::memory_bound(level, threads, *m);
      EXPECT_GT(with, plain + params) << level << " " << threads;
    }
  // Encoder scratch is per thread.
  EXPECT_GT(nzip::memory_bound(1, 2, *m) - nzip::memory_bound(1, 1, *m),
            nzip::memory_bound(1, 2) - nzip::memory_bound(1, 1) + nzip::codec::kNetworkSegment * 2 * 2048 * 4);
}

// A model of a MiB or more gets lanes at the default chunk size (a step over one lane would
// stream all its weights for one byte): three per thread at -6 with 2 threads, within
// kWideLaneMemory for all threads, and memory_bound grows by what those lanes hold. Small
// models (the built-in one) keep one predictor's memory per thread.
TEST(ModelMemoryBound, LargeModelsDecodeSeveralLanesOfDefaultChunksWithinTheBound) {
  namespace api = nzip::api;
  const auto wide = wide_model();
  const auto small = api::builtin_model();
  const uint64_t wide_bytes = wide->impl().transformer.memory_bytes();
  const uint64_t small_bytes = small->impl().transformer.memory_bytes();
  ASSERT_GE(wide_bytes, api::kWideModelBytes);
  ASSERT_LT(small_bytes, api::kWideModelBytes);
  const uint64_t chunk = nzip::default_chunk_size(6);
  EXPECT_EQ(api::lanes_per_thread(6, chunk, 2, small_bytes), 1u);
  EXPECT_EQ(api::lanes_per_thread(6, chunk, 2, wide_bytes), api::kWideLanePredictors);
  EXPECT_EQ(api::lanes_per_thread(6, chunk, 1, wide_bytes), api::kWideLanePredictors);
  // Many threads share kWideLaneMemory: one lane each, as before.
  EXPECT_EQ(api::lanes_per_thread(6, chunk, 64, wide_bytes), 1u);
  for (unsigned t : {1u, 2u, 8u})
    EXPECT_LE(uint64_t{t} * api::lane_memory_per_thread(6, t, wide_bytes),
              std::max<uint64_t>(api::kWideLaneMemory, t * nzip::codec::codec_memory(6))) << t;
  // Small chunks still fill a thread with lanes, whatever the model.
  EXPECT_EQ(api::lanes_per_thread(6, 64 << 10, 2, small_bytes), api::kMaxLanesPerThread);
  // The bound holds the extra lanes: two more predictors and chunks per thread at -6.
  const uint64_t extra = nzip::memory_bound(6, 2, *wide) - nzip::memory_bound(1, 2, *wide) -
                         (nzip::memory_bound(6, 2) - nzip::memory_bound(1, 2));
  EXPECT_GE(extra, 2 * 2 * (nzip::codec::codec_memory(6) - nzip::codec::codec_memory(1)));
}

TEST(ModelMemoryBound, DefaultLevelsWithTheBuiltInModelCountIt) {
  const auto builtin = nzip::api::builtin_model();
  for (int level = 1; level <= 9; ++level) {
    if (nzip::api::default_model(level)) {
      EXPECT_EQ(nzip::memory_bound(level, 2), nzip::memory_bound(level, 2, *builtin)) << level;
    } else {
      EXPECT_LT(nzip::memory_bound(level, 2), nzip::memory_bound(level, 2, *builtin)) << level;
    }
  }
  EXPECT_NE(nzip::api::default_model(9), nullptr);
}

TEST(ModelMemoryBound, PeakRssOfAModelRunStaysBelowTheBound) {
  if (nzip_test::small_scale()) GTEST_SKIP() << "sanitizer build: RSS includes shadow memory";
  const auto m = wide_model();
  const std::filesystem::path text = nzip_test::corpus_dir() / "text/alice29.txt";
  const nzip_test::Bytes in =
      std::filesystem::exists(text) ? nzip_test::read_file(text, 24'000) : nzip_test::random_bytes(24'000, 5);
  nzip::CompressOptions o;
  o.level = 1;
  o.threads = 1;
  o.model = m;
  const auto nz = nzip::compress(in, o);
  nzip::DecompressOptions d;
  d.threads = 1;
  d.model = m;
  EXPECT_TRUE(nzip_test::same_bytes(in, nzip::decompress(nz, d)));
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const uint64_t peak = static_cast<uint64_t>(u.ru_maxrss) * 1024;
  const uint64_t bound = nzip::memory_bound(1, 1, *m);
  EXPECT_LT(peak, bound) << "peak RSS " << peak << " bytes, bound " << bound;
  // The model path is most of the bound here, so leaving it out would fail.
  EXPECT_GT(peak, nzip::memory_bound(1, 1) / 2);
  std::printf("peak RSS %llu KiB, memory_bound(1, 1, model) %llu KiB, without the model %llu KiB\n",
              static_cast<unsigned long long>(peak >> 10), static_cast<unsigned long long>(bound >> 10),
              static_cast<unsigned long long>(nzip::memory_bound(1, 1) >> 10));
}

}  // namespace
