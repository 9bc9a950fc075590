#include "format/stream_reader.h"

#include <algorithm>
#include <cstring>

#include "core/hash.h"
#include "core/le_io.h"
#include "format/dataset_section.h"

namespace nzip::format {

namespace {
// Payload buffers grow by at most this much beyond the bytes already read.
constexpr size_t kReadStep = size_t{1} << 20;
}  // namespace

StreamReader::StreamReader(ByteSource& source) : source_(source) {
  std::array<uint8_t, kHeaderSize> bytes{};
  // A short first read still deserves "not an nzip file" if the magic is already wrong.
  size_t got = 0;
  while (got < bytes.size()) {
    size_t n = source_.read(bytes.data() + got, bytes.size() - got);
    if (n == 0) break;
    got += n;
  }
  position_ = got;
  const size_t magic_bytes = std::min(got, kMagic.size());
  if (!std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(magic_bytes), kMagic.begin()))
    throw Error(ErrorCode::bad_magic, "not an nzip container (bad magic)");
  if (got < bytes.size()) throw Error(ErrorCode::truncated, "input ends inside the container header");
  header_ = parse_header(bytes);
  if (header_.flags & kFlagEmbeddedModel) {
    std::array<uint8_t, kModelSectionHeadSize> head{};
    read_exact(head.data(), head.size(), "the model section", std::nullopt);
    const size_t size = static_cast<size_t>(parse_model_section_head(head));  // ≤ 1 GiB
    // Grow with what arrives, as for payloads: a short stream claiming 1 GiB allocates little.
    size_t have = 0;
    while (have < size) {
      const size_t step = std::min(size - have, std::max(kReadStep, have));
      model_.resize(have + step);
      read_exact(model_.data() + have, step, "the embedded model", std::nullopt);
      have += step;
    }
  }
  uint64_t dataset_section_size = 0;
  if (header_.flags & kFlagDataset) {
    std::array<uint8_t, kDatasetHeadSize> head{};
    read_exact(head.data(), head.size(), "the dataset section", std::nullopt);
    const DatasetHead dh = parse_dataset_head(head);
    // body_size() ≤ 8·32 + 65535 + 1 MiB + 8 by the head's checks: a small allocation.
    std::vector<uint8_t> body(static_cast<size_t>(dh.body_size()));
    read_exact(body.data(), body.size(), "the dataset section", std::nullopt);
    dataset_ = parse_dataset_body(dh, body);
    dataset_section_size = kDatasetHeadSize + dh.body_size();
  }
  sequence_.emplace(header_, first_frame_offset(header_, model_.size(), dataset_section_size));
}

void StreamReader::read_exact(uint8_t* dst, size_t n, const std::string& what,
                              std::optional<uint64_t> chunk) {
  size_t got = 0;
  while (got < n) {
    size_t r = source_.read(dst + got, n - got);
    if (r == 0)
      throw Error(ErrorCode::truncated, "input ends inside " + what + " (at offset " +
                                            std::to_string(position_ + got) + ")",
                  chunk);
    if (r > n - got) throw Error(ErrorCode::io, "source returned more bytes than asked for");
    got += r;
  }
  position_ += n;
}

std::optional<ChunkFrame> StreamReader::next() {
  if (done_) return std::nullopt;
  const uint64_t chunk = sequence_->chunk_count();
  std::array<uint8_t, 4> tag{};
  read_exact(tag.data(), tag.size(), "the frame of chunk " + std::to_string(chunk) + " or the index",
             std::nullopt);
  if (tag == kIndexTag) {
    read_index_and_footer(tag);
    done_ = true;
    return std::nullopt;
  }
  if (tag != kChunkTag)
    throw Error(ErrorCode::corrupt, "bad frame tag at offset " + std::to_string(position_ - 4) +
                                        " (expected a chunk frame or the index)",
                chunk);
  ChunkFrame frame;
  frame.index = chunk;
  frame.offset = position_ - 4;
  std::array<uint8_t, kFrameHeaderSize> fh{};
  std::copy(tag.begin(), tag.end(), fh.begin());
  read_exact(fh.data() + 4, fh.size() - 4, "the frame header", chunk);
  frame.header = parse_frame_header(fh, chunk, header_);
  sequence_->add({frame.offset, frame.header.payload_size, frame.header.original_size,
                  frame.header.checksum, frame.header.method});

  // payload_size ≤ chunk size ≤ kMaxChunkSize was checked; still grow with what arrives.
  const size_t size = static_cast<size_t>(frame.header.payload_size);
  size_t have = 0;
  while (have < size) {
    const size_t step = std::min(size - have, std::max(kReadStep, have));
    frame.payload.resize(have + step);
    read_exact(frame.payload.data() + have, step, "the payload", chunk);
    have += step;
  }
  seen_.push_back({frame.offset, frame.header.payload_size, frame.header.original_size,
                   frame.header.checksum, frame.header.method});
  return frame;
}

void StreamReader::read_index_and_footer(const std::array<uint8_t, 4>& tag) {
  const uint64_t index_offset = position_ - 4;
  std::array<uint8_t, kIndexHeadSize> head_bytes{};
  std::copy(tag.begin(), tag.end(), head_bytes.begin());
  read_exact(head_bytes.data() + 4, head_bytes.size() - 4, "the index", std::nullopt);
  const IndexHead head = parse_index_head(head_bytes);
  if (head.chunk_count != seen_.size())
    throw Error(ErrorCode::corrupt, "index lists " + std::to_string(head.chunk_count) +
                                        " chunks but the container holds " + std::to_string(seen_.size()));
  if (head.total_original_size != sequence_->total_original_size())
    throw Error(ErrorCode::corrupt, "index total size " + std::to_string(head.total_original_size) +
                                        " differs from the chunks' total " +
                                        std::to_string(sequence_->total_original_size()));
  core::Xxh3Stream hash;
  hash.update(head_bytes);
  for (uint64_t i = 0; i < seen_.size(); ++i) {
    std::array<uint8_t, kIndexEntrySize> eb{};
    read_exact(eb.data(), eb.size(), "the index", i);
    hash.update(eb);
    if (parse_index_entry(eb, i) != seen_[i])
      throw Error(ErrorCode::corrupt, "index entry differs from the chunk's frame", i);
  }
  std::array<uint8_t, kIndexTrailerSize> trailer{};
  read_exact(trailer.data(), trailer.size(), "the index", std::nullopt);
  if (core::load_le64(trailer.data()) != hash.digest())
    throw Error(ErrorCode::corrupt, "index checksum mismatch");
  std::array<uint8_t, kFooterSize> footer{};
  read_exact(footer.data(), footer.size(), "the footer", std::nullopt);
  const uint64_t footer_offset = parse_footer(footer);
  if (footer_offset != index_offset)
    throw Error(ErrorCode::corrupt, "footer points to offset " + std::to_string(footer_offset) +
                                        " but the index is at " + std::to_string(index_offset));
  if (dataset_) check_dataset_size(*dataset_, sequence_->total_original_size());
  uint8_t extra = 0;
  if (source_.read(&extra, 1) != 0)
    throw Error(ErrorCode::corrupt, "unexpected data after the end of the container (offset " +
                                        std::to_string(position_) + ")");
}

}  // namespace nzip::format
