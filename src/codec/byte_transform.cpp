#include "codec/byte_transform.h"

#include <cstring>
#include <string>

#include "nzip/error.h"

namespace nzip::codec {

namespace {

int log2_period(uint32_t p) { return p == 2 ? 1 : p == 4 ? 2 : p == 8 ? 3 : 0; }

void check_sizes(std::span<const uint8_t> in, std::span<uint8_t> out) {
  if (in.size() != out.size()) throw Error(ErrorCode::internal, "byte transform: sizes differ");
}

}  // namespace

bool is_column_transform(const ByteTransform& t) {
  return t.kind == TransformKind::column_delta || t.kind == TransformKind::column_xor;
}

bool is_record_transform(const ByteTransform& t) {
  return is_column_transform(t) || t.kind == TransformKind::chebyshev;
}

uint8_t transform_descriptor(const ByteTransform& t) {
  const unsigned order = is_record_transform(t) && t.source_big_endian ? 8 : 0;
  return static_cast<uint8_t>(static_cast<unsigned>(t.kind) << 4 | order | static_cast<unsigned>(log2_period(t.period)));
}

ByteTransform transform_from_descriptor(uint8_t d) {
  const unsigned kind = d >> 4;
  const unsigned lg = d & 7;
  const bool big = (d & 8) != 0;
  if (d == 0) return {};
  if ((kind == 1 || kind == 2) && !big && lg >= 1 && lg <= 3) return {static_cast<TransformKind>(kind), 1u << lg};
  if (((kind == 3 || kind == 4) && lg >= 1 && lg <= 3) || (kind == 5 && lg == 3)) {
    ByteTransform t{static_cast<TransformKind>(kind), 1u << lg};
    t.source_big_endian = big;
    return t;
  }
  throw Error(ErrorCode::corrupt, "unknown byte transform " + std::to_string(d));
}

namespace {

uint64_t load_element(const uint8_t* p, size_t bytes, bool big_endian) {
  uint64_t v = 0;
  for (size_t j = 0; j < bytes; ++j) v = v << 8 | p[big_endian ? j : bytes - 1 - j];
  return v;
}

void store_element(uint8_t* p, size_t bytes, bool big_endian, uint64_t v) {
  for (size_t j = 0; j < bytes; ++j) p[big_endian ? bytes - 1 - j : j] = static_cast<uint8_t>(v >> (8 * j));
}

// The column transforms: forward, element i becomes v[i] − v[i−stride] (or v[i] ^ v[i−stride])
// written most significant byte first; the first `stride` elements are only reordered.
// Backward undoes it in element order, so v[i−stride] is already restored when needed.
void column(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out, bool forward) {
  if (t.stride == 0) throw Error(ErrorCode::internal, "byte transform: column stride is zero");
  const size_t p = t.period;
  const size_t count = in.size() / p;
  const uint64_t mask = p == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * p)) - 1;
  const bool delta = t.kind == TransformKind::column_delta;
  // Forward reads the source order and writes most significant byte first; backward the
  // other way round. Restored values are read back from `out` for the inverse.
  const bool in_big = forward ? t.source_big_endian : true;
  const bool out_big = forward ? true : t.source_big_endian;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t v = load_element(in.data() + i * p, p, in_big);
    uint64_t r = v;
    if (i >= t.stride) {
      const size_t k = i - t.stride;
      const uint64_t before = forward ? load_element(in.data() + k * p, p, in_big) : load_element(out.data() + k * p, p, out_big);
      if (forward) r = delta ? (v - before) & mask : v ^ before;
      else r = delta ? (v + before) & mask : v ^ before;
    }
    store_element(out.data() + i * p, p, out_big, r);
  }
}

// The Chebyshev transform: forward, the float64 elements (in the source order) get their
// continuity residuals and are written most significant byte first; backward reads them so
// and restores the source.
void chebyshev(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out, bool forward) {
  if (t.period != 8 || !valid_chebyshev_series(t.stride, t.series))
    throw Error(ErrorCode::internal, "byte transform: Chebyshev series do not fit the record");
  const size_t count = in.size() / 8;
  const bool in_big = forward ? t.source_big_endian : true;
  const bool out_big = forward ? true : t.source_big_endian;
  std::vector<uint64_t> values(count);
  for (size_t i = 0; i < count; ++i) values[i] = load_element(in.data() + i * 8, 8, in_big);
  if (forward) encode_chebyshev_residuals(values, t.stride, t.series);
  else decode_chebyshev_residuals(values, t.stride, t.series);
  for (size_t i = 0; i < count; ++i) store_element(out.data() + i * 8, 8, out_big, values[i]);
}

// t (forward) or t⁻¹: big-endian reversal is its own inverse; byte planes swap the roles
// of the two index orders; the column transforms run their arithmetic backwards.
void transform_bytes(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out, bool forward) {
  check_sizes(in, out);
  const size_t n = in.size();
  const size_t p = t.period;
  const size_t whole = t.kind == TransformKind::none ? 0 : n / p * p;
  switch (t.kind) {
    case TransformKind::none:
      break;
    case TransformKind::column_delta:
    case TransformKind::column_xor:
      column(t, in, out, forward);
      break;
    case TransformKind::chebyshev:
      chebyshev(t, in, out, forward);
      break;
    case TransformKind::big_endian:
      for (size_t e = 0; e < whole; e += p)
        for (size_t j = 0; j < p; ++j) out[e + j] = in[e + p - 1 - j];
      break;
    case TransformKind::byte_planes: {
      const size_t count = whole / p;
      for (size_t j = 0; j < p; ++j)
        for (size_t e = 0; e < count; ++e) {
          const size_t element_order = e * p + j, plane_order = j * count + e;
          if (forward) out[plane_order] = in[element_order];
          else out[element_order] = in[plane_order];
        }
      break;
    }
  }
  if (n > whole) std::memcpy(out.data() + whole, in.data() + whole, n - whole);
}

}  // namespace

void apply_transform(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out) {
  transform_bytes(t, in, out, true);
}

void invert_transform(const ByteTransform& t, std::span<const uint8_t> in, std::span<uint8_t> out) {
  transform_bytes(t, in, out, false);
}

std::vector<ByteTransform> candidate_transforms() {
  return {{TransformKind::none, 1},        {TransformKind::big_endian, 4}, {TransformKind::big_endian, 8},
          {TransformKind::byte_planes, 4}, {TransformKind::byte_planes, 8}};
}

}  // namespace nzip::codec
