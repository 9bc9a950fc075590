// nzip/nzip.h — the public API: compress and decompress buffers and streams.
//
// A compressed stream is an nzip container (docs/FORMAT.md): a header, independent chunks,
// and an index at the end. Chunks are compressed on a thread pool; the bytes produced never
// depend on the number of threads. All failures throw nzip::Error (nzip/error.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nzip/error.h"

namespace nzip {

constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 9;
constexpr int kDefaultLevel = 6;

class NetworkModel;  // nzip/model.h

// How the input's numbers are laid out (nzip --dtype, --record, --layout). When given,
// every chunk gets the numeric model with this layout instead of the encoder's trials. Each
// chunk records the layout it used, so decompression needs nothing.
struct NumericLayout {
  uint32_t element_bytes = 0;  // 0 = not given (chosen per chunk by trials); else 2, 4 or 8
  bool big_endian = false;     // byte order of the elements
  uint64_t record_bytes = 0;   // 0 = detected per chunk; else a multiple of element_bytes
};

// A dataset the input was read from (nzip --dataset), recorded in the container's dataset
// section so that decompression can restore it (docs/FORMAT.md, "Dataset section"). The
// library never interprets `type`; it checks the sizes against the format's limits and that
// the original size is element_size × the product of dims.
struct DatasetInfo {
  uint8_t kind = 1;             // 1 = an HDF5 dataset (the only kind so far)
  std::string name;             // its path in the file, e.g. "/group/x"; no NUL bytes
  std::vector<uint8_t> type;    // the datatype, serialised by its owner (HDF5: H5Tencode)
  uint64_t element_size = 0;    // bytes per element, ≥ 1
  std::vector<uint64_t> dims;   // the shape, slowest dimension first; empty = a scalar (1 element)
};

// element_size × the product of dims; nullopt when it overflows 64 bits.
std::optional<uint64_t> dataset_bytes(const DatasetInfo& d) noexcept;

struct CompressOptions {
  int level = kDefaultLevel;  // 1 (fast) … 9 (strongest)
  unsigned threads = 0;       // 0 = all cores; never changes the output bytes
  uint64_t chunk_size = 0;    // 0 = the level's default (with or without a model)
  // A network model (nzip --model): its next-byte distribution joins context mixing, or
  // with network_only codes the bytes alone. The container records the model's identity,
  // and decoding needs the same model.
  std::shared_ptr<const NetworkModel> model;
  bool network_only = false;  // needs `model`
  // Not with a model. The chunk size is rounded down to whole elements when it is given.
  NumericLayout layout;
  // nzip --embed-model: a packed .nzm file of `model` (nzip::pack_model) stored in the
  // container, which then decodes without the model file. Error(invalid_argument) when
  // `model` is unset or the bytes are not a packed model with model's identity.
  std::vector<uint8_t> embedded_model;
  // nzip --no-model: pure context mixing whatever the level, even where a built-in
  // default model would be used (none is built in yet). Error(invalid_argument) with `model`.
  bool no_model = false;
  // nzip --dataset: where the input came from, stored in the container. The input must then
  // hold exactly dataset_bytes(*dataset) bytes (Error(invalid_argument) otherwise, after
  // the container has been written: the caller discards it).
  std::optional<DatasetInfo> dataset;
};

struct DecompressOptions {
  unsigned threads = 0;  // 0 = all cores
  // The model a container made with one needs (Error(model_mismatch) when it is missing or
  // another); ignored for containers without a model. A container that embeds its model
  // decodes with that one; a model given here must then have the same identity
  // (Error(model_mismatch) otherwise).
  std::shared_ptr<const NetworkModel> model;
  // Called once by decompress_stream after the container's header and sections have been
  // read and checked, before any byte reaches `out`: with the dataset section, or nullptr
  // when the container has none. Lets a caller choose where the bytes go (nzip -d writes
  // an .h5 file for a dataset). An exception it throws ends decompression.
  std::function<void(const DatasetInfo* dataset)> on_dataset;
};

// Called from the calling thread after each chunk with the input bytes consumed so far.
using ProgressFn = std::function<void(uint64_t bytes_done)>;

// Pull-style input. read() returns the number of bytes read, 0 only at end of input;
// it throws nzip::Error(io) on failure.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual size_t read(uint8_t* dst, size_t max) = 0;
};

// Push-style output; write() throws nzip::Error(io) on failure.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const uint8_t* src, size_t n) = 0;
};

struct StreamStats {
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

// Compresses everything `in` yields into `out` as one container. Memory is bounded by
// memory_bound(level, threads) whatever the input length.
StreamStats compress_stream(ByteSource& in, ByteSink& out, const CompressOptions& options = {},
                            const ProgressFn& progress = {});

// Decompresses one container. Each chunk's checksum is verified before any of its bytes
// reach `out`; on error, `out` holds only whole, verified chunks preceding the bad one.
StreamStats decompress_stream(ByteSource& in, ByteSink& out, const DecompressOptions& options = {},
                              const ProgressFn& progress = {});

std::vector<uint8_t> compress(std::span<const uint8_t> data, const CompressOptions& options = {});
std::vector<uint8_t> decompress(std::span<const uint8_t> container, const DecompressOptions& options = {});

// What `nzip -l` shows.
struct ChunkInfo {
  uint64_t offset = 0;           // of the chunk's frame in the container
  uint64_t compressed_size = 0;  // payload bytes
  uint64_t original_size = 0;
  uint64_t checksum = 0;  // XXH3-64 of the original bytes
  uint8_t method = 0;     // 0 stored, 1 context mixing, 2 context mixing + network, 3 network;
                          // 4-6: the same three with a plan (model profile, byte transform)
  std::string plan;       // methods 4-6: the plan in words ("prose", "numeric: 4-byte elements,
                          // 37 per record, byte-reversed", ...); empty otherwise
};

struct ContainerInfo {
  uint32_t format_version = 0;
  int level = 0;
  uint64_t chunk_size = 0;
  uint8_t predictor = 0;  // 0 context mixing, 1 network model
  std::string model;  // "none (context mixing)" or the model's hash in hex
  uint64_t embedded_model_size = 0;  // bytes of the embedded (packed) model; 0 = none embedded
  std::optional<DatasetInfo> dataset;  // the dataset section, when the container has one
  uint64_t original_size = 0;
  uint64_t compressed_size = 0;  // the whole container, headers and index included
  std::vector<ChunkInfo> chunks;
};

// Reads header and index of a whole container held in memory (checks them, decodes nothing).
ContainerInfo inspect(std::span<const uint8_t> container);

// Decodes chunk `index` alone (random access) and verifies its checksum.
// A container made with a model needs it in `options` (Error(model_mismatch) otherwise).
std::vector<uint8_t> decompress_chunk(std::span<const uint8_t> container, uint64_t index,
                                      const DecompressOptions& options = {});

// Upper bound in bytes on the memory compress/decompress use for this level and thread count
// (0 = all cores), independent of input size. At the levels that use the built-in default
// model (8 and 9) it includes the model's path.
uint64_t memory_bound(int level, unsigned threads);
// The same when compressing or decompressing with `model`: the model's weights, and per
// thread its lane states and working buffers, come on top of the context mixing's memory.
uint64_t memory_bound(int level, unsigned threads, const NetworkModel& model);

// Default chunk size of a level in bytes.
uint64_t default_chunk_size(int level);

// The number of worker threads a `threads` option means (0 = all cores), as compress and
// decompress resolve it: at least 1, at most the library's limit.
unsigned resolve_threads(unsigned threads) noexcept;

const char* version_string() noexcept;

}  // namespace nzip
