#include "format/stream_writer.h"

#include "core/hash.h"
#include "core/le_io.h"
#include "nzip/error.h"

namespace nzip::format {

namespace {
Header with_model_flag(Header h, bool embedded) {
  h.flags = embedded ? (h.flags | kFlagEmbeddedModel) : (h.flags & ~kFlagEmbeddedModel);
  return h;
}
}  // namespace

StreamWriter::StreamWriter(ByteSink& sink, const Header& header, std::span<const uint8_t> embedded_model)
    : sink_(sink),
      header_(with_model_flag(header, !embedded_model.empty())),
      sequence_(header_, first_frame_offset(header_, embedded_model.size())) {
  if (!embedded_model.empty() &&
      (embedded_model.size() > kMaxEmbeddedModelSize || header_.predictor != kPredictorNetwork))
    throw Error(ErrorCode::invalid_argument, "an embedded model needs a network predictor and at most 1 GiB");
  put(encode_header(header_));
  if (!embedded_model.empty()) {
    put(encode_model_section_head(embedded_model.size()));
    put(embedded_model);
  }
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
