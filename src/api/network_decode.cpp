#include "api/network_decode.h"

#include <algorithm>
#include <exception>
#include <future>
#include <optional>
#include <vector>

#include "api/verified_decode.h"
#include "cm/level_config.h"
#include "codec/network_codec.h"
#include "core/thread_pool.h"

namespace nzip::api {

uint64_t lane_memory_per_thread(int level, unsigned threads, uint64_t model_bytes) {
  const uint64_t one = cm::predictor_memory(level);
  if (model_bytes < kWideModelBytes) return one;
  // A lane of the level's default chunk: its predictor and the chunk's bytes.
  const uint64_t lane = one + cm::level_config(level).chunk_size;
  const uint64_t shared = kWideLaneMemory / std::max(1u, threads);
  return std::max(one, std::min(kWideLanePredictors * lane, shared));
}

size_t lanes_per_thread(int level, uint64_t chunk_size, unsigned threads, uint64_t model_bytes) {
  const uint64_t lane = cm::predictor_memory(level, chunk_size) + chunk_size;
  return static_cast<size_t>(
      std::clamp<uint64_t>(lane_memory_per_thread(level, threads, model_bytes) / lane, 1, kMaxLanesPerThread));
}

namespace {

// Decodes a group of frames with a network model: the network chunks of the group run as
// lockstep lanes, split into one contiguous run of lanes per thread (a chunk's bytes do not
// depend on the split). Writes the chunks in order, each verified first; throws the error of
// the first bad chunk after writing those before it.
void decode_group(std::vector<format::ChunkFrame>& frames, const std::vector<uint64_t>& ends, int level,
                  const model::TransformerModel& model, core::ThreadPool& pool, ByteSink& out,
                  uint64_t& bytes_out, const ProgressFn& progress) {
  const size_t n = frames.size();
  std::vector<std::vector<uint8_t>> bytes(n);
  std::vector<std::exception_ptr> errors(n);
  std::vector<codec::NetworkLane> lanes;
  std::vector<size_t> lane_chunk;
  for (size_t i = 0; i < n; ++i) {
    const format::ChunkFrame& f = frames[i];
    const auto m = static_cast<codec::Method>(f.header.method);
    if (!codec::needs_network(m)) continue;
    try {
      bytes[i].resize(f.header.original_size);
    } catch (...) {
      errors[i] = std::current_exception();
      continue;
    }
    lanes.push_back({m, f.payload, bytes[i], nullptr});
    lane_chunk.push_back(i);
  }
  const size_t parts = std::min<size_t>(pool.size(), lanes.size());
  std::vector<std::future<void>> done;
  for (size_t p = 0; p < parts; ++p) {
    const size_t a = lanes.size() * p / parts, b = lanes.size() * (p + 1) / parts;
    done.push_back(pool.submit([&, a, b] {
      codec::decode_network_lanes(model, level, std::span<codec::NetworkLane>(lanes.data() + a, b - a));
    }));
  }
  std::exception_ptr failed;
  for (auto& d : done) {
    try {
      d.get();
    } catch (...) {
      if (!failed) failed = std::current_exception();
    }
  }
  for (size_t j = 0; j < lanes.size(); ++j) errors[lane_chunk[j]] = failed ? failed : lanes[j].error;
  for (size_t i = 0; i < n; ++i) {
    const format::ChunkFrame& f = frames[i];
    const auto m = static_cast<codec::Method>(f.header.method);
    if (errors[i]) rethrow_for_chunk(errors[i], f.index);
    if (codec::needs_network(m)) {
      verify_checksum(bytes[i], f.header.checksum, f.index);
    } else {
      bytes[i] = decode_verified(f.header.method, f.payload, f.header.original_size, f.header.checksum, level,
                                      f.index, &model);
    }
    if (!bytes[i].empty()) out.write(bytes[i].data(), bytes[i].size());
    bytes_out += bytes[i].size();
    std::vector<uint8_t>().swap(bytes[i]);
    if (progress) progress(ends[i]);
  }
}

}  // namespace

StreamStats decompress_with_model(format::StreamReader& reader, ByteSink& out, const model::TransformerModel& model,
                                  unsigned threads, const ProgressFn& progress) {
  const int level = reader.header().level;
  core::ThreadPool pool(threads);
  const size_t group =
      size_t{pool.size()} * lanes_per_thread(level, reader.header().chunk_size, pool.size(), model.memory_bytes());
  uint64_t bytes_out = 0;
  for (bool end = false; !end;) {
    std::vector<format::ChunkFrame> frames;
    std::vector<uint64_t> ends;
    std::exception_ptr damaged;
    while (frames.size() < group) {
      std::optional<format::ChunkFrame> frame;
      try {
        frame = reader.next();
      } catch (const Error&) {
        // The chunks before the damage are intact: write them first (or report the first
        // of them that fails), as the model-free path does.
        damaged = std::current_exception();
        break;
      }
      if (!frame) {
        end = true;
        break;
      }
      frames.push_back(std::move(*frame));
      ends.push_back(reader.position());
    }
    decode_group(frames, ends, level, model, pool, out, bytes_out, progress);
    if (damaged) std::rethrow_exception(damaged);
  }
  return {reader.position(), bytes_out};
}


}  // namespace nzip::api
