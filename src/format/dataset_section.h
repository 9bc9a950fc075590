// format/dataset_section.h — the dataset section (docs/FORMAT.md, "Dataset section"): which
// dataset the original bytes were read from (nzip --dataset), so that decompression can
// restore it. The format treats the datatype as an opaque, size-bounded, checksummed blob;
// only the command line's HDF5 glue interprets it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "nzip/nzip.h"

namespace nzip::format {

inline constexpr std::array<uint8_t, 4> kDatasetTag = {'D', 'S', 'E', 'T'};
inline constexpr size_t kDatasetHeadSize = 24;
inline constexpr uint8_t kDatasetKindHdf5 = 1;
// Limits: HDF5 itself allows at most 32 dimensions; names and serialised types far beyond
// these would be pathological, and the limits bound what a reader allocates.
inline constexpr uint32_t kMaxDatasetRank = 32;
inline constexpr uint32_t kMaxDatasetNameSize = 65535;
inline constexpr uint32_t kMaxDatasetTypeSize = uint32_t{1} << 20;

// The fields of the head that say how large the body is.
struct DatasetHead {
  uint8_t kind = kDatasetKindHdf5;
  uint32_t rank = 0;
  uint32_t element_size = 0;
  uint32_t name_size = 0;
  uint32_t type_size = 0;
  // Bytes after the head: dims, name, type and the 8-byte body check.
  uint64_t body_size() const noexcept { return 8 * uint64_t{rank} + name_size + type_size + 8; }
};

// The whole section, head to body check. Throws Error(invalid_argument) when `d` breaks a
// rule a reader would refuse (kind, rank, sizes, NUL in the name, dataset_bytes overflow).
std::vector<uint8_t> encode_dataset_section(const DatasetInfo& d);

// Checks tag, head check, kind (unsupported_version when unknown), reserved bytes and the
// limits (corrupt, or limit_exceeded beyond this build's limits).
DatasetHead parse_dataset_head(std::span<const uint8_t, kDatasetHeadSize> bytes);

// `body` is exactly head.body_size() bytes. Checks the body check (corrupt), the name (no
// NUL) and that element_size × Π dims fits in 64 bits (corrupt).
DatasetInfo parse_dataset_body(const DatasetHead& head, std::span<const uint8_t> body);

// Throws Error(corrupt) unless the container's total original size equals dataset_bytes(d).
void check_dataset_size(const DatasetInfo& d, uint64_t total_original_size);

}  // namespace nzip::format
