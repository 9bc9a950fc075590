#include "measure.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace nzip::bench {

BenchResult measure(const Codec& codec, std::span<const uint8_t> data, const std::string& file) {
  using Clock = std::chrono::steady_clock;
  BenchResult r;
  r.file = file;
  r.codec = codec.name;
  r.original_size = data.size();

  auto t0 = Clock::now();
  std::vector<uint8_t> packed = codec.compress(data);
  auto t1 = Clock::now();
  std::vector<uint8_t> unpacked = codec.decompress(packed, data.size());
  auto t2 = Clock::now();

  if (unpacked.size() != data.size() || !std::equal(unpacked.begin(), unpacked.end(), data.begin())) {
    throw std::runtime_error(codec.name + " round trip of " + file + " gave different bytes");
  }
  r.compressed_size = packed.size();
  r.compress_seconds = std::chrono::duration<double>(t1 - t0).count();
  r.decompress_seconds = std::chrono::duration<double>(t2 - t1).count();
  return r;
}

}  // namespace nzip::bench
