// libFuzzer target for every decoder surface of a container: the streaming decoder
// (decompress_stream from memory, with a source that returns a few bytes at a time), the
// in-memory index reader (inspect) and random access (decompress_chunk of each chunk).
// Errors are fine (nzip::Error); a crash, a hang, a sanitizer report, an exception of
// another type, or two entry points disagreeing about the bytes are findings. Every decode
// is given a tiny network model (the one tests/golden/network.nzm holds), so containers of
// predictor kind 1 that name it reach the network methods 2 and 3 (seeds
// network_greedy.nz, text_cm_network.nz).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "api/network_model_impl.h"
#include "model/transformer_weights.h"
#include "nzip/nzip.h"

namespace {

class FuzzSource final : public nzip::ByteSource {
 public:
  FuzzSource(const uint8_t* data, size_t size, size_t step) : data_(data), size_(size), step_(step) {}
  size_t read(uint8_t* dst, size_t max) override {
    const size_t n = std::min({max, size_ - pos_, step_});
    if (n) std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t step_;
  size_t pos_ = 0;
};

class VecSink final : public nzip::ByteSink {
 public:
  void write(const uint8_t* src, size_t n) override { bytes.insert(bytes.end(), src, src + n); }
  std::vector<uint8_t> bytes;
};

// tests/golden/network.nzm: the same generator, architecture and seed as the tests'
// tiny_model() (tests/network_codec_test.cpp), so its id is the golden containers'.
const std::shared_ptr<const nzip::NetworkModel>& tiny_model() {
  static const std::shared_ptr<const nzip::NetworkModel> m = [] {
    return nzip::api::make_network_model(nzip::model::make_random_transformer(nzip::model::byte_transformer(32, 1, 2, 64, 48), 5, 4));
  }();
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A valid header may declare chunks up to 1 GiB, and a context-mixing payload of a few
  // bytes may legitimately expand to all of it; that is slow, not wrong. Keep the fuzzer on
  // small chunks (chunk size field at offset 36, see docs/FORMAT.md) so it explores
  // structure, not run time.
  if (size >= 44) {
    uint64_t chunk_size = 0;
    for (int i = 7; i >= 0; --i) chunk_size = (chunk_size << 8) | data[36 + i];
    if (chunk_size > 4096) return 0;
  }

  std::vector<uint8_t> streamed;
  bool stream_ok = false;
  try {
    FuzzSource src(data, size, 1 + size % 7);
    VecSink sink;
    nzip::DecompressOptions opts;
    opts.threads = 1 + static_cast<unsigned>(size % 2);
    opts.model = tiny_model();
    nzip::decompress_stream(src, sink, opts);
    streamed = std::move(sink.bytes);
    stream_ok = true;
  } catch (const nzip::Error&) {
  }

  try {
    const std::span<const uint8_t> container(data, size);
    nzip::ContainerInfo info = nzip::inspect(container);
    std::vector<uint8_t> joined;
    bool all_ok = true;
    // Each context-mixing decode allocates a whole predictor: look at a few chunks only.
    const uint64_t n = std::min<uint64_t>(info.chunks.size(), 8);
    for (uint64_t i = 0; i < n; ++i) {
      try {
        nzip::DecompressOptions with_model;
        with_model.model = tiny_model();
        std::vector<uint8_t> c = nzip::decompress_chunk(container, i, with_model);
        if (c.size() != info.chunks[i].original_size) std::abort();
        joined.insert(joined.end(), c.begin(), c.end());
      } catch (const nzip::Error&) {
        all_ok = false;
      }
    }
    // Both readers accepted the whole container: they must agree on every byte.
    if (stream_ok && all_ok && n == info.chunks.size() && joined != streamed) std::abort();
    if (stream_ok && streamed.size() != info.original_size) std::abort();
  } catch (const nzip::Error&) {
  }
  return 0;
}
