// model/safetensors_header.h — parsing and checking the JSON header of a safetensors file
// (the layout of .nzm model files, docs/MODEL_FORMAT.md). The bytes are untrusted: every
// field, number, size and offset is checked, with limits, before anything is allocated
// from it.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model/dtype.h"

namespace nzip::model {

// Limits of this build. A header beyond them is refused with ErrorCode::limit_exceeded.
inline constexpr uint64_t kMaxHeaderBytes = uint64_t{16} << 20;  // JSON header, padding included
inline constexpr size_t kMaxTensors = 65536;
inline constexpr size_t kMaxRank = 8;
inline constexpr size_t kMaxNameBytes = 1024;  // tensor names and metadata keys
inline constexpr size_t kMaxMetadataEntries = 1024;
inline constexpr uint64_t kMaxDataBytes = uint64_t{1} << 40;  // the tensor data buffer

// One tensor as the header declares it; offsets are relative to the start of the data buffer.
struct TensorEntry {
  std::string name;
  DType dtype = DType::U8;
  std::vector<uint64_t> shape;  // may be empty (a scalar: one element)
  uint64_t begin = 0;           // data_offsets[0]
  uint64_t end = 0;             // data_offsets[1]
  uint64_t elements() const;    // product of shape (checked not to overflow on parse)
};

struct SafetensorsHeader {
  std::vector<TensorEntry> tensors;            // sorted by name (byte order)
  std::map<std::string, std::string> metadata;  // "__metadata__"; empty when absent
  uint64_t data_size = 0;                      // bytes the tensors cover: [0, data_size)
};

// Parses the header length field: the first 8 bytes of the file (little-endian N). Checks
// N against kMaxHeaderBytes and against `file_size` (N must fit after the 8 length bytes).
// Throws Error(truncated) when the file is shorter than 8 bytes or than 8 + N,
// Error(limit_exceeded) or Error(corrupt) for an impossible N.
uint64_t parse_header_length(std::span<const uint8_t> first8, uint64_t file_size);

// Parses and checks the N header bytes. `data_size` is the number of bytes after the header
// (file size − 8 − N). Checks: UTF-8 JSON object starting with '{', only spaces or other JSON
// whitespace after it; no duplicate keys; "__metadata__" an object of string → string;
// every other key a tensor entry with exactly "dtype" (a known dtype), "shape" (array of at
// most kMaxRank non-negative integers) and "data_offsets" ([begin, end], non-negative
// integers); byte size = product(shape) × dtype size without overflow and = end − begin;
// the tensors, sorted by offset, cover [0, data_size) exactly with no gap or overlap.
// Throws Error(corrupt), Error(truncated) (data ends before the tensors do) or
// Error(limit_exceeded).
SafetensorsHeader parse_safetensors_header(std::span<const uint8_t> header, uint64_t data_size);

}  // namespace nzip::model
