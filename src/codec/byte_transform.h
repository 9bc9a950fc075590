// codec/byte_transform.h — reversible reorderings of a chunk's bytes for fixed-size numbers.
//
// Arrays of little-endian numbers put the least predictable byte (the low mantissa) first
// and the most predictable (sign, exponent) last. `big_endian` reverses each element so the
// context models see the high bytes first and can condition the low bytes on them;
// `byte_planes` groups byte j of every element together, which suits slowly varying columns.
// Bytes after the last whole element are left in place. Chunk method 4 stores which
// transform a chunk used in one descriptor byte (docs/FORMAT.md).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nzip::codec {

enum class TransformKind : uint8_t { none = 0, big_endian = 1, byte_planes = 2 };

struct ByteTransform {
  TransformKind kind = TransformKind::none;
  uint32_t period = 1;  // element size in bytes: 1 for none; 2, 4 or 8 otherwise

  bool operator==(const ByteTransform&) const = default;
};

// One byte: kind in the high nibble, log2(period) in the low one.
uint8_t transform_descriptor(ByteTransform t);
// Inverse of transform_descriptor; throws nzip::Error(corrupt) for a descriptor no writer makes.
ByteTransform transform_from_descriptor(uint8_t d);

// out = t(in); out.size() == in.size().
void apply_transform(ByteTransform t, std::span<const uint8_t> in, std::span<uint8_t> out);
// out = t⁻¹(in); out.size() == in.size().
void invert_transform(ByteTransform t, std::span<const uint8_t> in, std::span<uint8_t> out);

// The transforms the encoder tries on a chunk that is not prose: none, and both kinds with
// 4- and 8-byte elements (float32/int32, float64/int64). Period 2 decodes but is not tried.
std::vector<ByteTransform> candidate_transforms();

}  // namespace nzip::codec
