// bench/measure.h — run one codec over one buffer: time compression and decompression and
// check that the round trip gives back the very same bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "baselines.h"

namespace nzip::bench {

// One row of a benchmark: a codec on a file (or a total over several files).
struct BenchResult {
  std::string file;
  std::string codec;
  uint64_t original_size = 0;
  uint64_t compressed_size = 0;
  double compress_seconds = 0;
  double decompress_seconds = 0;
};

// Compresses `data` with `codec`, decompresses the result and compares it with `data`.
// Throws std::runtime_error naming the codec and the file when the bytes differ (or the
// codec itself fails).
BenchResult measure(const Codec& codec, std::span<const uint8_t> data, const std::string& file);

}  // namespace nzip::bench
