// codec/byte_transform.h — reversible reorderings of a chunk's bytes for fixed-size numbers.
//
// Arrays of little-endian numbers put the least predictable byte (the low mantissa) first
// and the most predictable (sign, exponent) last. `big_endian` reverses each element so the
// context models see the high bytes first and can condition the low bytes on them;
// `byte_planes` groups byte j of every element together, which suits slowly varying columns.
// `column_delta` and `column_xor` replace each element by its difference from (or XOR with)
// the element `stride` elements earlier — the same field of the previous record — and
// write the result most significant byte first: smooth columns (time series, grids, counters)
// become small numbers whose high bytes are nearly constant. Bytes after the last whole
// element are left in place. Chunk method 4 stores which transform a chunk used in one
// descriptor byte (docs/FORMAT.md); the stride of the column transforms is the plan's record
// length.
// `chebyshev` (float64 only) replaces the first two coefficients of each piecewise Chebyshev
// polynomial of an ephemeris by their distance from what continuity with the previous
// interval predicts (codec/chebyshev_residuals.h) and writes every element most significant
// byte first; its series layout follows the numeric layout in the plan header.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "codec/chebyshev_residuals.h"

namespace nzip::codec {

enum class TransformKind : uint8_t { none = 0, big_endian = 1, byte_planes = 2, column_delta = 3, column_xor = 4,
                                    chebyshev = 5 };

struct ByteTransform {
  TransformKind kind = TransformKind::none;
  uint32_t period = 1;  // element size in bytes: 1 for none; 2, 4 or 8 otherwise
  // Column and Chebyshev transforms: elements between an element and the one it is taken
  // against, or elements per period (≥ 1; not in the descriptor), and whether the input's
  // elements are big-endian.
  uint32_t stride = 1;
  bool source_big_endian = false;
  // Chebyshev only: the series in each period of `stride` elements (valid_chebyshev_series).
  std::vector<ChebyshevSeries> series = {};

  bool operator==(const ByteTransform&) const = default;
};

// Whether t is column_delta or column_xor.
bool is_column_transform(const ByteTransform& t);
// Whether t needs the numeric profile's record length (the column and Chebyshev transforms).
bool is_record_transform(const ByteTransform& t);

// One byte: kind in the high nibble, log2(period) in the low three bits, and for the column
// and Chebyshev transforms the source byte order in bit 3 (1 = big-endian).
uint8_t transform_descriptor(const ByteTransform& t);
// Inverse of transform_descriptor; throws nzip::Error(corrupt) for a descriptor no writer makes.
ByteTransform transform_from_descriptor(uint8_t d);

// out = t(in); out.size() == in.size(). A column transform with stride 0, or a Chebyshev
// transform whose series do not fit its stride, throws nzip::Error(internal).
void apply_transform(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out);
// out = t⁻¹(in); out.size() == in.size().
void invert_transform(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out);

// The transforms the encoder tries on a chunk that is not prose: none, and both kinds with
// 4- and 8-byte elements (float32/int32, float64/int64). Period 2 decodes but is not tried.
std::vector<ByteTransform> candidate_transforms();

}  // namespace nzip::codec
