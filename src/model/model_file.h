// model/model_file.h — nzip model files (.nzm): a safetensors file whose __metadata__ names
// the nzip format, its version and the architecture, and whose canonical bytes hash to the
// model's identity (docs/MODEL_FORMAT.md).
//
// Reading treats the file as hostile: the header is parsed and checked completely
// (model/safetensors_header.h) and the declared sizes are checked against the real file
// size before any tensor byte is allocated or read.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/canonical_form.h"
#include "model/dtype.h"
#include "model/model_architecture.h"
#include "model/model_pack.h"
#include "model/safetensors_header.h"
#include "nzip/error.h"

namespace nzip::model {

inline constexpr const char* kFormatName = "nzm";  // __metadata__ "format"
inline constexpr uint32_t kFormatVersion = 1;      // __metadata__ "format_version"

struct Tensor {
  std::string name;
  DType dtype = DType::U8;
  std::vector<uint64_t> shape;  // row-major; empty = a scalar
  std::vector<uint8_t> bytes;   // elements little-endian; size = elements() × dtype size

  uint64_t elements() const;
};

// True for a quantisation-scale tensor ("<weight>.scale"), which is not counted as a parameter.
bool is_scale_name(std::string_view name);

struct ModelFile {
  std::vector<Tensor> tensors;                  // sorted by name after a load
  std::map<std::string, std::string> metadata;  // every __metadata__ entry, nzip's included
  // Set when metadata "format" is "nzm" (then checked: version, architecture, tensors).
  std::optional<ModelArchitecture> architecture;
  ModelId id{};  // of the canonical bytes; set by load/parse/write

  bool is_nzip_model() const { return architecture.has_value(); }

  // The tensor called `name`, or nullptr.
  const Tensor* find(std::string_view name) const;

  // The tensor called `name`, which must have `dtype` and `shape`; throws Error(corrupt)
  // naming the tensor and what differs otherwise (a model file that does not fit its code).
  const Tensor& tensor(std::string_view name, DType dtype, std::initializer_list<uint64_t> shape) const;

  // The elements of tensor `name` as T (int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t,
  // int64_t, uint64_t), decoded from little-endian on any host; dtype and shape checked as
  // tensor() does. Example: m.values<int8_t>("layers.0.wq", {256, 256}).
  template <class T>
  std::vector<T> values(std::string_view name, std::initializer_list<uint64_t> shape) const;

  // Elements of all tensors, scale tensors left out for an nzip model.
  uint64_t parameter_count() const;
};

// Everything about a file that the header and a pass over the data give, without keeping
// the tensor bytes (what `nzip model info` shows).
struct ModelSummary {
  SafetensorsHeader header;                      // tensors by name, metadata
  std::optional<ModelArchitecture> architecture;  // nzip models only
  uint64_t file_size = 0;
  uint64_t header_size = 0;  // N, padding included
  bool canonical = false;    // the file is byte for byte its canonical form (id = XXH3-128 of the file)
  ModelId id{};
  uint64_t parameter_count = 0;
  // The packed form (model_pack.h): file_size is the packed file's, raw_size the canonical
  // bytes it unpacks to (for a raw file, raw_size = file_size).
  bool packed = false;
  uint64_t raw_size = 0;
  PackCoding coding = PackCoding::binary;  // packed files only
};

// Checks the nzip part of `metadata` for `tensors` (by name). Returns nullopt when metadata
// "format" is absent or not "nzm" (a plain safetensors file). Otherwise requires
// format_version "1" (a larger number: Error(unsupported_version)), a valid "architecture"
// (model_architecture.h), integer dtypes only, and for each "<w>.scale" tensor dtype I32 or
// I16, a tensor "<w>" that is not itself a scale, and shape [] or [first dimension of <w>].
// Throws Error(corrupt) otherwise.
std::optional<ModelArchitecture> check_nzip_metadata(const std::map<std::string, std::string>& metadata,
                                                     std::span<const TensorDesc> tensors);

// The metadata an nzip model carries for `arch`: format, format_version, architecture
// (canonical JSON). Callers may add their own entries.
std::map<std::string, std::string> nzip_metadata(const ModelArchitecture& arch);

// Parses a whole model file held in memory (any safetensors file, raw or packed; nzip
// metadata checked when present; a packed file must unpack to the canonical form, else
// Error(corrupt)). Throws nzip::Error (truncated, corrupt, limit_exceeded,
// unsupported_version) for anything malformed.
ModelFile parse_model_bytes(std::span<const uint8_t> file);

// Reads the model file at `path` as parse_model_bytes does; the data are read only after
// the header's total has been checked against the file's size. Error(io) when it cannot
// be read.
ModelFile load_model_file(const std::string& path);

// What the predictor loads: load_model_file, and the file must be an nzip model
// (Error(bad_magic) "not an nzip model" for plain safetensors).
ModelFile load_nzip_model(const std::string& path);

// Header, checks and id of the file at `path` (or in memory), reading the data in 1 MiB
// pieces to hash them: memory stays bounded whatever the file's size. A packed file is
// unpacked in memory first (model_pack.h) and must unpack to its canonical form.
ModelSummary summarize_model_file(const std::string& path);
ModelSummary summarize_model_bytes(std::span<const uint8_t> file);

// The canonical bytes of `model` (its `id` field is ignored). Checks the model first:
// unique names (not "__metadata__"), byte sizes that match shape × dtype, the limits of
// safetensors_header.h, and the nzip metadata rules when "format" is "nzm"; throws
// Error(invalid_argument) otherwise.
std::vector<uint8_t> serialize_model(const ModelFile& model);

// The id of `model`'s canonical bytes, computed without building them (checks as
// serialize_model does).
ModelId compute_model_id(const ModelFile& model);

// The two forms of a model file on disk: raw (the canonical safetensors bytes) or packed
// (those bytes entropy-coded, model_pack.h). Both have the same id.
enum class ModelForm { raw, packed };

// Writes `model` in canonical form (raw, or packed with the smaller coding) to `path`
// atomically: a temporary file beside it, synced, then renamed over `path` (permissions
// 0644). Nothing is left behind on error. Returns the id. Throws Error(invalid_argument) as
// serialize_model, Error(io) on a write failure.
ModelId write_model_file(const std::string& path, const ModelFile& model, ModelForm form = ModelForm::raw);

// ---------------------------------------------------------------------------------------

namespace detail {
template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, int8_t>) return DType::I8;
  else if constexpr (std::is_same_v<T, uint8_t>) return DType::U8;
  else if constexpr (std::is_same_v<T, int16_t>) return DType::I16;
  else if constexpr (std::is_same_v<T, uint16_t>) return DType::U16;
  else if constexpr (std::is_same_v<T, int32_t>) return DType::I32;
  else if constexpr (std::is_same_v<T, uint32_t>) return DType::U32;
  else if constexpr (std::is_same_v<T, int64_t>) return DType::I64;
  else {
    static_assert(std::is_same_v<T, uint64_t>, "values<T>: T must be a fixed-width integer");
    return DType::U64;
  }
}
}  // namespace detail

template <class T>
std::vector<T> ModelFile::values(std::string_view name, std::initializer_list<uint64_t> shape) const {
  const Tensor& t = tensor(name, detail::dtype_of<T>(), shape);
  using U = std::make_unsigned_t<T>;
  std::vector<T> out(t.bytes.size() / sizeof(T));
  for (size_t i = 0; i < out.size(); ++i) {
    U v = 0;
    for (size_t b = sizeof(T); b-- > 0;) v = static_cast<U>((static_cast<uint64_t>(v) << 8) | t.bytes[i * sizeof(T) + b]);
    out[i] = static_cast<T>(v);
  }
  return out;
}

}  // namespace nzip::model
