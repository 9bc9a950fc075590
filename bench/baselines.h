// bench/baselines.h — the codecs `nzip bench` compares: nzip itself and the usual baselines
// (xz, zstd, brotli, bzip2, gzip, and byte shuffle + zstd), each called through its library
// on in-memory buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nzip::bench {

// One way of compressing a buffer. compress() and decompress() throw std::runtime_error
// when the library reports a failure; decompress() is given the original size so that
// one-shot decoders can size their output.
struct Codec {
  std::string name;
  std::function<std::vector<uint8_t>(std::span<const uint8_t> data)> compress;
  std::function<std::vector<uint8_t>(std::span<const uint8_t> data, size_t original_size)> decompress;
};

// Names of the baselines, in the order the report shows them:
// xz-9e, zstd-19, zstd-22-long27, brotli-11, bzip2-9, gzip-9, shuffle-zstd-19 (Blosc's way:
// byte shuffle of 4- or 8-byte elements, whichever is smaller, then zstd -19).
const std::vector<std::string>& baseline_names();

// The baseline called `name` (one of baseline_names()); throws std::invalid_argument otherwise.
Codec make_baseline(std::string_view name);

}  // namespace nzip::bench
namespace nzip {
class NetworkModel;
}
namespace nzip::bench {

// nzip at `level` with `threads` (0 = all cores) and `chunk_size` (0 = the default); with
// `model`, context mixing + that network ("nzip-6+nn"), or the network alone when
// `network_only` ("nzip-nn"). `no_model`: pure context mixing (CompressOptions::no_model).
Codec make_nzip_codec(int level, unsigned threads, uint64_t chunk_size,
                      std::shared_ptr<const NetworkModel> model = nullptr, bool network_only = false,
                      bool no_model = false);

// Window (log2) the brotli command-line tool picks for an input of `size` bytes when no -w is
// given: the smallest window that holds the whole input, at most 24.
int brotli_cli_window(uint64_t size);

}  // namespace nzip::bench
