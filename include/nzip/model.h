// nzip/model.h — what the public API says about model files (.nzm, docs/MODEL_FORMAT.md):
// a safetensors file with nzip's metadata, identified by the XXH3-128 of its canonical bytes.
// All failures throw nzip::Error (nzip/error.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "nzip/error.h"

namespace nzip {

struct ModelTensorInfo {
  std::string name;
  std::string dtype;            // safetensors spelling: "I8", "I32", "F32", ...
  std::vector<uint64_t> shape;  // empty for a scalar
  uint64_t elements = 0;
  uint64_t bytes = 0;
  bool scale = false;  // a quantisation scale ("<weight>.scale") of an nzip model
};

struct ModelArchitectureInfo {
  std::string kind;                                          // "transformer"
  std::vector<std::pair<std::string, uint64_t>> dimensions;  // d_model, layers, heads, ff, window, vocab, element_size
};

// What `nzip model info` shows about a model file.
struct ModelInfo {
  bool nzip_model = false;     // __metadata__ "format" is "nzm" (otherwise a plain safetensors file)
  std::string format_version;  // "1"; empty for a plain safetensors file
  std::optional<ModelArchitectureInfo> architecture;  // nzip models only
  uint64_t parameter_count = 0;  // elements of all tensors, quantisation scales left out
  uint64_t file_size = 0;
  uint64_t header_size = 0;  // JSON header bytes, padding included
  bool canonical = false;    // the file is in canonical form: its id is the XXH3-128 of its bytes
  // Packed form (entropy-coded, docs/MODEL_FORMAT.md "Packed form"): file_size is the packed
  // file's size, raw_size the canonical bytes it unpacks to (= file_size for a raw file).
  bool packed = false;
  uint64_t raw_size = 0;
  std::string coding;  // packed files: which coder and models, in words
  std::array<uint8_t, 16> id{};
  std::string id_hex;                           // 32 lowercase hex digits
  std::vector<ModelTensorInfo> tensors;         // sorted by name
  std::map<std::string, std::string> metadata;  // every __metadata__ entry
};

// Reads and checks the model file at `path` (all of it: the id hashes every tensor byte,
// in 1 MiB pieces, so memory stays small for a raw file; a packed file is read and
// unpacked in memory, and must unpack to bytes that hash to its id, else Error(corrupt)). Throws Error(io) when the file cannot be read,
// Error(truncated/corrupt/limit_exceeded) for a malformed file, Error(unsupported_version)
// for a newer nzip model version or a reserved architecture.
ModelInfo model_info(const std::string& path);

// The same for a model file held in memory.
ModelInfo model_info(std::span<const uint8_t> file);

// The packed form of a model file given raw or packed: its canonical bytes entropy-coded
// (the smaller of the two codings), same id. Throws as model_info does for a malformed file.
std::vector<uint8_t> pack_model(std::span<const uint8_t> file);

// The raw form of a model file given raw or packed: its canonical bytes.
std::vector<uint8_t> unpack_model(std::span<const uint8_t> file);

// A network model loaded for compression (`nzip --model FILE.nzm`): what CompressOptions
// and DecompressOptions take. Immutable once loaded, so threads and calls may share it.
class NetworkModel {
 public:
  struct Impl;  // the packed model (src/api/network_model_impl.h)

  // Loads and checks the nzip model file at `path` (every size, shape and dtype, treating
  // the file as hostile). Throws Error(io) when it cannot be read, Error(bad_magic) for a
  // safetensors file that is not an nzip model, Error(corrupt/truncated/limit_exceeded/
  // unsupported_version) for a malformed or newer one.
  static std::shared_ptr<const NetworkModel> load(const std::string& path);
  // The same for a model file held in memory.
  static std::shared_ptr<const NetworkModel> load(std::span<const uint8_t> file);

  explicit NetworkModel(std::unique_ptr<Impl> impl);
  ~NetworkModel();
  NetworkModel(const NetworkModel&) = delete;
  NetworkModel& operator=(const NetworkModel&) = delete;

  // XXH3-128 of the model's canonical bytes: the identity a container records.
  const std::array<uint8_t, 16>& id() const noexcept { return id_; }
  std::string id_hex() const;  // 32 lowercase hex digits
  uint64_t parameter_count() const noexcept;
  // Bytes the loaded weights occupy (packed for the kernels).
  uint64_t weight_bytes() const noexcept;

  const Impl& impl() const noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
  std::array<uint8_t, 16> id_{};
};

}  // namespace nzip
