// model/canonical_form.h — the canonical bytes of a model file and the model's identity
// (docs/MODEL_FORMAT.md, "Canonical form and model id").
//
// Canonical form: the 8-byte little-endian header length N, then the header JSON with every
// object's keys in byte order and no whitespace, padded with spaces to a multiple of 8
// bytes, then the tensor data ordered by dtype size (largest first) and then by name, so
// that every tensor starts at a multiple of its element size. The model id is the XXH3-128
// (seed 0) of those bytes, in xxHash's canonical (big-endian) byte order.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"
#include "model/dtype.h"

namespace nzip::model {

using ModelId = core::Digest128;

// What the canonical header says about one tensor.
struct TensorDesc {
  std::string_view name;
  DType dtype = DType::U8;
  std::span<const uint64_t> shape;
  uint64_t size = 0;  // bytes: product(shape) × dtype size
};

struct CanonicalLayout {
  std::string header;               // JSON padded with spaces to a multiple of 8 bytes
  std::vector<size_t> data_order;   // indices into the tensors, in data-buffer order
  std::vector<uint64_t> offsets;    // data_offsets[0] of each tensor (by index)
};

// Lays out `tensors` (sorted by name, names unique) and `metadata` canonically. Pure: it
// trusts its input (the caller has checked it).
CanonicalLayout canonical_layout(std::span<const TensorDesc> tensors, const std::map<std::string, std::string>& metadata);

// Appends `s` as a JSON string the canonical way: '"' and '\' escaped with a backslash,
// bytes below 0x20 as \u00XX with lowercase hex, every other byte as it is.
void append_json_string(std::string& out, std::string_view s);

// The id of a model laid out as `layout`: XXH3-128 over le64(header size), the header and
// then each tensor's bytes in data order, which `feed(index, stream)` adds to the stream.
template <class Feed>
ModelId canonical_id(const CanonicalLayout& layout, Feed&& feed) {
  core::Xxh3_128Stream h;
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(layout.header.size()) >> (8 * i));
  h.update(len);
  h.update({reinterpret_cast<const uint8_t*>(layout.header.data()), layout.header.size()});
  for (size_t i : layout.data_order) feed(i, h);
  return h.digest();
}

// 32 lowercase hex digits.
std::string model_id_hex(const ModelId& id);

}  // namespace nzip::model
