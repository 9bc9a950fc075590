#include "format/dataset_section.h"

#include <algorithm>
#include <string>

#include "core/hash.h"
#include "core/le_io.h"
#include "nzip/error.h"

namespace nzip {

std::optional<uint64_t> dataset_bytes(const DatasetInfo& d) noexcept {
  uint64_t n = d.element_size;
  for (uint64_t dim : d.dims) {
    if (dim != 0 && n > UINT64_MAX / dim) return std::nullopt;
    n *= dim;
  }
  return n;
}

namespace format {
namespace {

using core::ByteReader;
using core::ByteWriter;

bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

}  // namespace

std::vector<uint8_t> encode_dataset_section(const DatasetInfo& d) {
  const char* problem = nullptr;
  if (d.kind != kDatasetKindHdf5) problem = "unknown dataset kind";
  else if (d.dims.size() > kMaxDatasetRank) problem = "more than 32 dimensions";
  else if (d.element_size == 0 || d.element_size > UINT32_MAX) problem = "element size out of range 1..2^32-1";
  else if (d.name.empty() || d.name.size() > kMaxDatasetNameSize || has_nul(d.name)) problem = "name empty, too long or with a NUL byte";
  else if (d.type.empty() || d.type.size() > kMaxDatasetTypeSize) problem = "serialised type empty or over 1 MiB";
  else if (!dataset_bytes(d)) problem = "size overflows 64 bits";
  if (problem != nullptr) throw Error(ErrorCode::invalid_argument, std::string("dataset description: ") + problem);

  DatasetHead head;
  head.kind = d.kind;
  head.rank = static_cast<uint32_t>(d.dims.size());
  head.element_size = static_cast<uint32_t>(d.element_size);
  head.name_size = static_cast<uint32_t>(d.name.size());
  head.type_size = static_cast<uint32_t>(d.type.size());
  std::vector<uint8_t> out(kDatasetHeadSize + head.body_size());
  ByteWriter w(out);
  w.bytes(kDatasetTag);
  w.u8(head.kind);
  w.u8(static_cast<uint8_t>(head.rank));
  w.u16(0);  // reserved
  w.u32(head.element_size);
  w.u32(head.name_size);
  w.u32(head.type_size);
  w.u32(core::check32(std::span<const uint8_t>(out).first(kDatasetHeadSize - 4)));
  for (uint64_t dim : d.dims) w.u64(dim);
  w.bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(d.name.data()), d.name.size()));
  w.bytes(d.type);
  const auto body = std::span<const uint8_t>(out).subspan(kDatasetHeadSize, head.body_size() - 8);
  w.u64(core::xxh3_64(body));
  return out;
}

DatasetHead parse_dataset_head(std::span<const uint8_t, kDatasetHeadSize> bytes) {
  ByteReader r(bytes, "dataset section");
  if (!std::equal(kDatasetTag.begin(), kDatasetTag.end(), r.bytes(4).begin()))
    throw Error(ErrorCode::corrupt, "dataset section: bad tag (expected the dataset description before the chunks)");
  DatasetHead h;
  h.kind = r.u8();
  h.rank = r.u8();
  const uint16_t reserved = r.u16();
  h.element_size = r.u32();
  h.name_size = r.u32();
  h.type_size = r.u32();
  if (r.u32() != core::check32(bytes.first(kDatasetHeadSize - 4)))
    throw Error(ErrorCode::corrupt, "dataset section: checksum mismatch");
  if (h.kind != kDatasetKindHdf5)
    throw Error(ErrorCode::unsupported_version,
                "dataset section of kind " + std::to_string(h.kind) + " (this build knows 1, HDF5)");
  if (reserved != 0) throw Error(ErrorCode::corrupt, "dataset section: reserved bytes are not zero");
  if (h.rank > kMaxDatasetRank)
    throw Error(ErrorCode::corrupt, "dataset section: rank " + std::to_string(h.rank) + " exceeds 32");
  if (h.element_size == 0) throw Error(ErrorCode::corrupt, "dataset section: element size is 0");
  if (h.name_size == 0) throw Error(ErrorCode::corrupt, "dataset section: empty name");
  if (h.type_size == 0) throw Error(ErrorCode::corrupt, "dataset section: empty type");
  if (h.name_size > kMaxDatasetNameSize || h.type_size > kMaxDatasetTypeSize)
    throw Error(ErrorCode::limit_exceeded, "dataset section: name of " + std::to_string(h.name_size) +
                                               " or type of " + std::to_string(h.type_size) +
                                               " bytes exceeds the limits (65535, 1 MiB)");
  return h;
}

DatasetInfo parse_dataset_body(const DatasetHead& head, std::span<const uint8_t> body) {
  if (body.size() != head.body_size()) throw Error(ErrorCode::internal, "dataset section body of the wrong size");
  ByteReader r(body, "dataset section");
  const uint64_t stored = core::load_le64(body.data() + body.size() - 8);
  if (stored != core::xxh3_64(body.first(body.size() - 8)))
    throw Error(ErrorCode::corrupt, "dataset section: body checksum mismatch");
  DatasetInfo d;
  d.kind = head.kind;
  d.element_size = head.element_size;
  d.dims.reserve(head.rank);
  for (uint32_t i = 0; i < head.rank; ++i) d.dims.push_back(r.u64());
  const auto name = r.bytes(head.name_size);
  d.name.assign(name.begin(), name.end());
  const auto type = r.bytes(head.type_size);
  d.type.assign(type.begin(), type.end());
  if (has_nul(d.name)) throw Error(ErrorCode::corrupt, "dataset section: NUL byte in the name");
  if (!dataset_bytes(d)) throw Error(ErrorCode::corrupt, "dataset section: shape × element size overflows 64 bits");
  return d;
}

void check_dataset_size(const DatasetInfo& d, uint64_t total_original_size) {
  const std::optional<uint64_t> expected = dataset_bytes(d);
  if (!expected || *expected != total_original_size)
    throw Error(ErrorCode::corrupt, "the chunks hold " + std::to_string(total_original_size) +
                                        " bytes but the dataset section describes " +
                                        (expected ? std::to_string(*expected) : std::string("more than 2^64")));
}

}  // namespace format
}  // namespace nzip
