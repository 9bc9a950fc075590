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

uint8_t transform_descriptor(ByteTransform t) {
  return static_cast<uint8_t>(static_cast<unsigned>(t.kind) << 4 | static_cast<unsigned>(log2_period(t.period)));
}

ByteTransform transform_from_descriptor(uint8_t d) {
  const unsigned kind = d >> 4;
  const unsigned lg = d & 15;
  if (kind == 0 && lg == 0) return {};
  if ((kind == 1 || kind == 2) && lg >= 1 && lg <= 3) return {static_cast<TransformKind>(kind), 1u << lg};
  throw Error(ErrorCode::corrupt, "unknown byte transform " + std::to_string(d));
}

namespace {

// t (forward) or t⁻¹: big-endian reversal is its own inverse; byte planes swap the roles
// of the two index orders.
void permute(ByteTransform t, std::span<const uint8_t> in, std::span<uint8_t> out, bool forward) {
  check_sizes(in, out);
  const size_t n = in.size();
  const size_t p = t.period;
  const size_t whole = t.kind == TransformKind::none ? 0 : n / p * p;
  switch (t.kind) {
    case TransformKind::none:
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

void apply_transform(ByteTransform t, std::span<const uint8_t> in, std::span<uint8_t> out) {
  permute(t, in, out, true);
}

void invert_transform(ByteTransform t, std::span<const uint8_t> in, std::span<uint8_t> out) {
  permute(t, in, out, false);
}

std::vector<ByteTransform> candidate_transforms() {
  return {{TransformKind::none, 1},        {TransformKind::big_endian, 4}, {TransformKind::big_endian, 8},
          {TransformKind::byte_planes, 4}, {TransformKind::byte_planes, 8}};
}

}  // namespace nzip::codec
