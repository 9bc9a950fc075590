#include "format/stream_writer.h"

#include <string>

#include "core/hash.h"
#include "core/le_io.h"
#include "format/dataset_section.h"
#include "nzip/error.h"

namespace nzip::format {

namespace {
Header with_flags(Header h, bool embedded, bool dataset) {
  h.flags = embedded ? (h.flags | kFlagEmbeddedModel) : (h.flags & ~kFlagEmbeddedModel);
  h.flags = dataset ? (h.flags | kFlagDataset) : (h.flags & ~kFlagDataset);
  return h;
}
}  // namespace

StreamWriter::StreamWriter(ByteSink& sink, const Header& header, std::span<const uint8_t> embedded_model,
                           const DatasetInfo* dataset)
    : StreamWriter(sink, with_flags(header, !embedded_model.empty(), dataset != nullptr), embedded_model,
                   dataset ? encode_dataset_section(*dataset) : std::vector<uint8_t>{}) {
  if (dataset) dataset_bytes_ = nzip::dataset_bytes(*dataset);  // checked by encode_dataset_section
}

StreamWriter::StreamWriter(ByteSink& sink, const Header& header, std::span<const uint8_t> embedded_model,
                           std::vector<uint8_t> dataset_section)
    : sink_(sink),
      header_(header),
      sequence_(header_, first_frame_offset(header_, embedded_model.size(), dataset_section.size())) {
  if (!embedded_model.empty() &&
      (embedded_model.size() > kMaxEmbeddedModelSize || header_.predictor != kPredictorNetwork))
    throw Error(ErrorCode::invalid_argument, "an embedded model needs a network predictor and at most 1 GiB");
  put(encode_header(header_));
  if (!embedded_model.empty()) {
    put(encode_model_section_head(embedded_model.size()));
    put(embedded_model);
  }
  put(dataset_section);
}

void StreamWriter::put(std::span<const uint8_t> bytes) {
  if (!bytes.empty()) sink_.write(bytes.data(), bytes.size());
  written_ += bytes.size();
}

void StreamWriter::write_chunk(uint8_t method, uint64_t original_size, uint64_t checksum,
                               std::span<const uint8_t> payload) {
  if (finished_) throw Error(ErrorCode::internal, "chunk written after the index");
  const uint64_t chunk = sequence_.chunk_count();
  IndexEntry e{written_, payload.size(), original_size, checksum, method};
  try {
    sequence_.add(e);
  } catch (const Error& err) {
    throw Error(ErrorCode::internal, std::string("writer produced an invalid chunk: ") + err.what());
  }
  FrameHeader f{method, original_size, payload.size(), checksum};
  put(encode_frame_header(f, chunk));
  put(payload);
  entries_.push_back(e);
}

void StreamWriter::finish() {
  if (finished_) return;
  if (dataset_bytes_ && *dataset_bytes_ != sequence_.total_original_size())
    throw Error(ErrorCode::invalid_argument,
                "the input holds " + std::to_string(sequence_.total_original_size()) + " bytes, but the dataset has " +
                    std::to_string(*dataset_bytes_));
  finished_ = true;
  const uint64_t index_offset = written_;
  core::Xxh3Stream hash;
  auto head = encode_index_head({sequence_.chunk_count(), sequence_.total_original_size()});
  hash.update(head);
  put(head);
  for (const IndexEntry& e : entries_) {
    auto bytes = encode_index_entry(e);
    hash.update(bytes);
    put(bytes);
  }
  std::array<uint8_t, kIndexTrailerSize> trailer{};
  core::store_le64(trailer.data(), hash.digest());
  put(trailer);
  put(encode_footer(index_offset));
}

}  // namespace nzip::format
