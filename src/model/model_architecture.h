// model/model_architecture.h — the network an nzip model file describes: its kind and
// dimensions, stored as a JSON string under "architecture" in the file's __metadata__
// (docs/MODEL_FORMAT.md). Parsed from untrusted bytes and checked against limits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nzip::model {

enum class ArchitectureKind : uint8_t {
  transformer,  // decoder-only transformer over bytes or tokens
  mamba,        // reserved: a Mamba-style state-space model (not built yet, refused)
};

inline constexpr size_t kMaxArchitectureBytes = 4096;

// Limits (inclusive) of each dimension; a model outside them is refused as corrupt.
struct DimensionLimit {
  const char* name;
  uint32_t min;
  uint32_t max;
};
inline constexpr DimensionLimit kDimensionLimits[] = {
    {"d_model", 1, 16384},   // width of the residual stream
    {"layers", 1, 256},      // transformer blocks
    {"heads", 1, 256},       // attention heads; must divide d_model
    {"ff", 1, 65536},        // hidden width of the feed-forward layer
    {"window", 1, 1 << 20},  // context length in symbols
    {"vocab", 2, 65536},     // symbols: 256 for a byte model
    {"element_size", 1, 2},  // bytes per weight: 1 = int8, 2 = int16
};

struct ModelArchitecture {
  ArchitectureKind kind = ArchitectureKind::transformer;
  uint32_t d_model = 0;
  uint32_t layers = 0;
  uint32_t heads = 0;
  uint32_t ff = 0;
  uint32_t window = 0;
  uint32_t vocab = 0;
  uint32_t element_size = 0;

  bool operator==(const ModelArchitecture&) const = default;
};

// A transformer over bytes (vocab 256) with int8 weights and the given dimensions (not yet
// validated: see validate_architecture).
inline ModelArchitecture byte_transformer(uint32_t d_model, uint32_t layers, uint32_t heads, uint32_t ff,
                                          uint32_t window) {
  ModelArchitecture a;
  a.kind = ArchitectureKind::transformer;
  a.d_model = d_model;
  a.layers = layers;
  a.heads = heads;
  a.ff = ff;
  a.window = window;
  a.vocab = 256;
  a.element_size = 1;
  return a;
}

// Parses the "architecture" metadata string: a flat JSON object with "kind" (a string) and
// exactly the dimensions of kDimensionLimits (non-negative integers), no other key, no
// duplicate key. Throws Error(corrupt) for anything else or a dimension out of its limits
// (or heads not dividing d_model), Error(unsupported_version) for the reserved kind "mamba".
ModelArchitecture parse_architecture(std::string_view text);

// Checks `a` as parse_architecture does (throws Error(corrupt)).
void validate_architecture(const ModelArchitecture& a);

// The canonical JSON the writer stores: keys in byte order, no whitespace, e.g.
// {"d_model":64,"element_size":1,"ff":256,"heads":4,"kind":"transformer","layers":2,"vocab":256,"window":128}
std::string architecture_to_json(const ModelArchitecture& a);

// "transformer" / "mamba".
const char* architecture_kind_name(ArchitectureKind k) noexcept;

// The dimensions in kDimensionLimits order, for display.
std::vector<std::pair<std::string, uint64_t>> architecture_dimensions(const ModelArchitecture& a);

}  // namespace nzip::model
