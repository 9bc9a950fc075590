// Chunk size, memory bound and version of the public API (the level table itself is
// src/cm/level_config.cpp).
#include "api/limits.h"

#include <string>

#include <algorithm>

#include "api/model_check.h"
#include "api/network_decode.h"
#include "api/network_model_impl.h"
#include "codec/chunk_codec.h"
#include "codec/network_codec.h"
#include "core/thread_pool.h"
#include "nzip/nzip.h"

namespace nzip {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
// Fixed overhead: the header, frame buffers and bookkeeping, and the resident part of the
// process itself (executable, C/C++ runtime, touched thread stacks: about 4 MiB measured
// with /usr/bin/time on an idle `nzip -c`), so that the bound holds for peak RSS.
constexpr uint64_t kConstantOverhead = 8 * kMiB;

}  // namespace

namespace api {
void check_level(int level) {
  if (level < kMinLevel || level > kMaxLevel)
    throw Error(ErrorCode::invalid_argument,
                "level " + std::to_string(level) + " out of range " + std::to_string(kMinLevel) + ".." +
                    std::to_string(kMaxLevel));
}
}  // namespace api

uint64_t default_chunk_size(int level) {
  api::check_level(level);
  return codec::default_chunk_size(level);
}

namespace {

// memory_bound = T × codec_memory(level) + (2T + 1) × 2 × C + 8 MiB [+ the model path]
//   T: worker threads (0 → all cores, at most 256), C: the level's default chunk size.
//   Each of the 2T chunks in flight holds its original bytes and its payload (≤ C each);
//   one more chunk is being read by the calling thread. Not counted: 40 bytes of index per
//   chunk (0.002% of the input at 2 MiB chunks). See docs/FORMAT.md, "Memory".
uint64_t memory_bound_without_model(int level, unsigned threads) {
  api::check_level(level);
  const uint64_t t = core::resolve_threads(threads);
  const uint64_t c = default_chunk_size(level);
  return t * codec::codec_memory(level) + (api::max_in_flight(static_cast<unsigned>(t)) + 1) * 2 * c +
         kConstantOverhead;
}

// The model path = 2 × M + T × max(encoder, decoder) + T × W
//   M: the loaded model (packed weights and tables), counted twice: the model itself and the
//   caller's copy of its file (an embedded model's packed bytes, or the .nzm read to load it).
//   encoder: one lane state, the scratch of a teacher-forced segment and its frequencies.
//   decoder: up to kMaxLanesPerThread lane states with their frequency rows, and the scratch
//   of one step over them.
//   W: the context-mixing memory a decoding thread's lanes may use beyond the one predictor
//   that codec_memory counts (lane_memory_per_thread: more for models of a MiB or more).
uint64_t model_path_memory(int level, unsigned threads, const model::TransformerModel& m) {
  const uint64_t t = core::resolve_threads(threads);
  const uint64_t segment = codec::kNetworkSegment;
  const uint64_t lanes = api::kMaxLanesPerThread;
  const uint64_t encoder = m.state_bytes() + m.scratch_bytes(segment) + segment * 256 * sizeof(uint16_t);
  const uint64_t decoder = lanes * (m.state_bytes() + 256 * sizeof(uint16_t)) + m.scratch_bytes(lanes);
  const uint64_t wide = api::lane_memory_per_thread(level, static_cast<unsigned>(t), m.memory_bytes()) -
                        codec::codec_memory(level);
  return 2 * m.memory_bytes() + t * std::max(encoder, decoder) + t * wide;
}

}  // namespace

uint64_t memory_bound(int level, unsigned threads) {
  const uint64_t base = memory_bound_without_model(level, threads);
  const auto builtin = api::default_model(level);
  return builtin ? base + model_path_memory(level, threads, builtin->impl().transformer) : base;
}

uint64_t memory_bound(int level, unsigned threads, const NetworkModel& model) {
  return memory_bound_without_model(level, threads) + model_path_memory(level, threads, model.impl().transformer);
}

unsigned resolve_threads(unsigned threads) noexcept { return core::resolve_threads(threads); }

const char* version_string() noexcept { return NZIP_VERSION_STRING; }

}  // namespace nzip
