#include "format/container_view.h"

#include <algorithm>

#include "core/hash.h"
#include "core/le_io.h"
#include "format/dataset_section.h"
#include "nzip/error.h"

namespace nzip::format {

ContainerView::ContainerView(std::span<const uint8_t> bytes) : bytes_(bytes) {
  const size_t n = bytes.size();
  if (n < kMagic.size() ? !std::equal(bytes.begin(), bytes.end(), kMagic.begin())
                        : !std::equal(kMagic.begin(), kMagic.end(), bytes.begin()))
    throw Error(ErrorCode::bad_magic, "not an nzip container (bad magic)");
  if (n < kHeaderSize) throw Error(ErrorCode::truncated, "container ends inside the header");
  header_ = parse_header(bytes.first<kHeaderSize>());

  uint64_t first_frame = kHeaderSize;
  if (header_.flags & kFlagEmbeddedModel) {
    if (n < kHeaderSize + kModelSectionHeadSize) throw Error(ErrorCode::truncated, "container ends inside the model section");
    const uint64_t model_size =
        parse_model_section_head(bytes.subspan(kHeaderSize).first<kModelSectionHeadSize>());
    first_frame = kHeaderSize + kModelSectionHeadSize + model_size;  // ≤ 1 GiB more: no overflow
    if (first_frame > n) throw Error(ErrorCode::truncated, "container ends inside the embedded model");
    model_ = bytes.subspan(kHeaderSize + kModelSectionHeadSize, static_cast<size_t>(model_size));
  }
  if (header_.flags & kFlagDataset) {
    if (n - first_frame < kDatasetHeadSize) throw Error(ErrorCode::truncated, "container ends inside the dataset section");
    const DatasetHead dh = parse_dataset_head(bytes.subspan(first_frame).first<kDatasetHeadSize>());
    if (n - first_frame - kDatasetHeadSize < dh.body_size())
      throw Error(ErrorCode::truncated, "container ends inside the dataset section");
    dataset_ = parse_dataset_body(dh, bytes.subspan(first_frame + kDatasetHeadSize, dh.body_size()));
    first_frame += kDatasetHeadSize + dh.body_size();
  }
  const uint64_t min_size = first_frame + *index_size(0) + kFooterSize;
  if (n < min_size) throw Error(ErrorCode::truncated, "container too short to hold an index and a footer");
  const uint64_t footer_at = n - kFooterSize;
  const uint64_t index_offset = parse_footer(bytes.subspan(footer_at).first<kFooterSize>());
  if (index_offset < first_frame || index_offset > footer_at - *index_size(0))
    throw Error(ErrorCode::corrupt, "footer: index offset " + std::to_string(index_offset) + " out of range");
  // The index fills the space between its offset and the footer exactly.
  const uint64_t index_bytes = footer_at - index_offset;
  const uint64_t entry_bytes = index_bytes - kIndexHeadSize - kIndexTrailerSize;
  if (entry_bytes % kIndexEntrySize != 0)
    throw Error(ErrorCode::corrupt, "index size " + std::to_string(index_bytes) + " is not a whole number of entries");
  auto index = bytes.subspan(index_offset, index_bytes);
  const IndexHead head = parse_index_head(index.first<kIndexHeadSize>());
  if (head.chunk_count != entry_bytes / kIndexEntrySize)
    throw Error(ErrorCode::corrupt, "index lists " + std::to_string(head.chunk_count) +
                                        " chunks but has room for " + std::to_string(entry_bytes / kIndexEntrySize));
  const uint64_t stored_hash = core::load_le64(index.data() + index_bytes - kIndexTrailerSize);
  if (stored_hash != core::xxh3_64(index.first(index_bytes - kIndexTrailerSize)))
    throw Error(ErrorCode::corrupt, "index checksum mismatch");

  // chunk_count ≤ container size / 40 here, so this allocation is bounded by the input.
  entries_.reserve(head.chunk_count);
  FrameSequence seq(header_, first_frame);
  for (uint64_t i = 0; i < head.chunk_count; ++i) {
    auto eb = index.subspan(kIndexHeadSize + i * kIndexEntrySize).first<kIndexEntrySize>();
    IndexEntry e = parse_index_entry(eb, i);
    seq.add(e);
    // Offsets are contiguous from the header, so the frame lies before the index.
    if (seq.next_offset() > index_offset)
      throw Error(ErrorCode::corrupt, "frame extends past the index", i);
    FrameHeader f = parse_frame_header(bytes.subspan(e.offset).first<kFrameHeaderSize>(), i, header_);
    if (f.method != e.method || f.original_size != e.original_size || f.payload_size != e.payload_size ||
        f.checksum != e.checksum)
      throw Error(ErrorCode::corrupt, "index entry differs from the chunk's frame", i);
    entries_.push_back(e);
  }
  if (seq.next_offset() != index_offset)
    throw Error(ErrorCode::corrupt, "unaccounted bytes between the last chunk and the index");
  if (head.total_original_size != seq.total_original_size())
    throw Error(ErrorCode::corrupt, "index total size differs from the sum of chunk sizes");
  total_original_ = seq.total_original_size();
  if (dataset_) check_dataset_size(*dataset_, total_original_);
}

std::span<const uint8_t> ContainerView::payload(uint64_t i) const {
  const IndexEntry& e = entries_.at(i);
  return bytes_.subspan(e.offset + kFrameHeaderSize, e.payload_size);
}

}  // namespace nzip::format
