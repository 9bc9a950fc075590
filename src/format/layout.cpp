#include "format/layout.h"

#include <algorithm>

#include "core/hash.h"
#include "core/le_io.h"
#include "nzip/error.h"

namespace nzip::format {
namespace {

using core::ByteReader;
using core::ByteWriter;

constexpr bool all_zero(std::span<const uint8_t> b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t v) { return v == 0; });
}

std::string method_list() {
  return "0 (stored), 1 (context mixing), 4 (planned context mixing), or with a model 2 (context mixing + "
         "network), 3 (network), 5 (planned context mixing + network) or 6 (planned network)";
}

}  // namespace

std::array<uint8_t, kHeaderSize> encode_header(const Header& h) {
  std::array<uint8_t, kHeaderSize> out{};
  ByteWriter w(out);
  w.bytes(kMagic);
  w.u16(h.version_major);
  w.u16(h.version_minor);
  w.u32(h.flags);
  w.u8(h.level);
  w.u8(h.predictor);
  w.u16(0);  // reserved
  w.bytes(h.model_id);
  w.u64(h.chunk_size);
  w.u32(core::check32(std::span<const uint8_t>(out).first(kHeaderSize - 4)));
  return out;
}

Header parse_header(std::span<const uint8_t, kHeaderSize> bytes) {
  ByteReader r(bytes, "header");
  if (!std::equal(kMagic.begin(), kMagic.end(), r.bytes(8).begin()))
    throw Error(ErrorCode::bad_magic, "not an nzip container (bad magic)");
  Header h;
  h.version_major = r.u16();
  h.version_minor = r.u16();
  // The version comes before the checksum: a later major version may lay the header out
  // differently, and deserves "unsupported version" rather than "corrupt".
  if (h.version_major != kVersionMajor)
    throw Error(ErrorCode::unsupported_version,
                "container format version " + std::to_string(h.version_major) + "." +
                    std::to_string(h.version_minor) + " is not supported (this build reads " +
                    std::to_string(kVersionMajor) + ".x)");
  h.flags = r.u32();
  h.level = r.u8();
  h.predictor = r.u8();
  const uint16_t reserved = r.u16();
  auto id = r.bytes(16);
  std::copy(id.begin(), id.end(), h.model_id.begin());
  h.chunk_size = r.u64();
  const uint32_t stored_check = r.u32();
  if (stored_check != core::check32(bytes.first(kHeaderSize - 4)))
    throw Error(ErrorCode::corrupt, "header checksum mismatch");
  const uint32_t unknown = h.flags & kRequiredFlagsMask & ~kKnownRequiredFlags;
  if (unknown != 0)
    throw Error(ErrorCode::unsupported_version,
                "container uses required features this build lacks (flags " +
                    std::to_string(unknown) + ")");
  if (reserved != 0) throw Error(ErrorCode::corrupt, "header: reserved bytes are not zero");
  if (h.level < 1 || h.level > 9)
    throw Error(ErrorCode::corrupt, "header: level " + std::to_string(h.level) + " out of range 1..9");
  if (h.predictor != kPredictorContextMixing && h.predictor != kPredictorNetwork)
    throw Error(ErrorCode::model_mismatch,
                "container needs predictor kind " + std::to_string(h.predictor) + " with model " +
                    model_name(h) + "; this build has context mixing (0) and network models (1) only");
  if (h.predictor == kPredictorContextMixing && !all_zero(h.model_id))
    throw Error(ErrorCode::corrupt, "header: model identity set for the model-free predictor");
  if (h.predictor == kPredictorNetwork && all_zero(h.model_id))
    throw Error(ErrorCode::corrupt, "header: network predictor without a model identity");
  if ((h.flags & kFlagEmbeddedModel) && h.predictor != kPredictorNetwork)
    throw Error(ErrorCode::corrupt, "header: embedded model flag set without a network predictor");
  if (h.chunk_size == 0) throw Error(ErrorCode::corrupt, "header: chunk size is 0");
  if (h.chunk_size > kMaxChunkSize)
    throw Error(ErrorCode::limit_exceeded, "header: chunk size " + std::to_string(h.chunk_size) +
                                               " exceeds the limit of " +
                                               std::to_string(kMaxChunkSize) + " bytes");
  return h;
}

std::array<uint8_t, kModelSectionHeadSize> encode_model_section_head(uint64_t model_size) {
  std::array<uint8_t, kModelSectionHeadSize> out{};
  ByteWriter w(out);
  w.bytes(kModelTag);
  w.zeros(4);
  w.u64(model_size);
  w.u32(core::check32(std::span<const uint8_t>(out).first(kModelSectionHeadSize - 4)));
  return out;
}

uint64_t parse_model_section_head(std::span<const uint8_t, kModelSectionHeadSize> bytes) {
  ByteReader r(bytes, "model section");
  if (!std::equal(kModelTag.begin(), kModelTag.end(), r.bytes(4).begin()))
    throw Error(ErrorCode::corrupt, "model section: bad tag (expected the embedded model after the header)");
  const uint32_t reserved = r.u32();
  const uint64_t size = r.u64();
  if (r.u32() != core::check32(bytes.first(kModelSectionHeadSize - 4)))
    throw Error(ErrorCode::corrupt, "model section: checksum mismatch");
  if (reserved != 0) throw Error(ErrorCode::corrupt, "model section: reserved bytes are not zero");
  if (size == 0) throw Error(ErrorCode::corrupt, "model section: empty model");
  if (size > kMaxEmbeddedModelSize)
    throw Error(ErrorCode::limit_exceeded, "model section: model of " + std::to_string(size) + " bytes exceeds the limit of " +
                                               std::to_string(kMaxEmbeddedModelSize));
  return size;
}

uint64_t first_frame_offset(const Header& h, uint64_t model_size, uint64_t dataset_section_size) {
  // Both sizes are bounded (1 GiB, a few MiB): no overflow.
  uint64_t offset = kHeaderSize;
  if (h.flags & kFlagEmbeddedModel) offset += kModelSectionHeadSize + model_size;
  if (h.flags & kFlagDataset) offset += dataset_section_size;
  return offset;
}

std::array<uint8_t, kFrameHeaderSize> encode_frame_header(const FrameHeader& f, uint64_t chunk) {
  std::array<uint8_t, kFrameHeaderSize> out{};
  ByteWriter w(out);
  w.bytes(kChunkTag);
  w.u8(f.method);
  w.zeros(3);
  w.u64(f.original_size);
  w.u64(f.payload_size);
  w.u64(f.checksum);
  w.u32(core::check32(std::span<const uint8_t>(out).first(kFrameHeaderSize - 4), chunk));
  return out;
}

FrameHeader parse_frame_header(std::span<const uint8_t, kFrameHeaderSize> bytes, uint64_t chunk,
                               const Header& header) {
  ByteReader r(bytes, "frame header");
  if (!std::equal(kChunkTag.begin(), kChunkTag.end(), r.bytes(4).begin()))
    throw Error(ErrorCode::corrupt, "expected a chunk frame (bad tag)", chunk);
  FrameHeader f;
  f.method = r.u8();
  const auto reserved = r.bytes(3);
  f.original_size = r.u64();
  f.payload_size = r.u64();
  f.checksum = r.u64();
  const uint32_t stored_check = r.u32();
  if (stored_check != core::check32(bytes.first(kFrameHeaderSize - 4), chunk))
    throw Error(ErrorCode::corrupt, "frame header checksum mismatch", chunk);
  if (!all_zero(reserved)) throw Error(ErrorCode::corrupt, "frame header: reserved bytes are not zero", chunk);
  if (!method_allowed(f.method, header.predictor))
    throw Error(ErrorCode::corrupt,
                "unknown method " + std::to_string(f.method) + " for predictor kind " +
                    std::to_string(header.predictor) + " (expected " + method_list() + ")",
                chunk);
  if (f.original_size == 0) throw Error(ErrorCode::corrupt, "original size is 0", chunk);
  if (f.original_size > header.chunk_size)
    throw Error(ErrorCode::corrupt,
                "original size " + std::to_string(f.original_size) + " exceeds the chunk size " +
                    std::to_string(header.chunk_size),
                chunk);
  if (f.payload_size > f.original_size)
    throw Error(ErrorCode::corrupt,
                "payload size " + std::to_string(f.payload_size) + " exceeds original size " +
                    std::to_string(f.original_size),
                chunk);
  if (f.method == kMethodStored && f.payload_size != f.original_size)
    throw Error(ErrorCode::corrupt, "stored chunk with payload size != original size", chunk);
  return f;
}

std::array<uint8_t, kIndexHeadSize> encode_index_head(const IndexHead& h) {
  std::array<uint8_t, kIndexHeadSize> out{};
  ByteWriter w(out);
  w.bytes(kIndexTag);
  w.zeros(4);
  w.u64(h.chunk_count);
  w.u64(h.total_original_size);
  return out;
}

IndexHead parse_index_head(std::span<const uint8_t, kIndexHeadSize> bytes) {
  ByteReader r(bytes, "index");
  if (!std::equal(kIndexTag.begin(), kIndexTag.end(), r.bytes(4).begin()))
    throw Error(ErrorCode::corrupt, "index: bad tag");
  if (r.u32() != 0) throw Error(ErrorCode::corrupt, "index: reserved bytes are not zero");
  IndexHead h;
  h.chunk_count = r.u64();
  h.total_original_size = r.u64();
  return h;
}

std::array<uint8_t, kIndexEntrySize> encode_index_entry(const IndexEntry& e) {
  std::array<uint8_t, kIndexEntrySize> out{};
  ByteWriter w(out);
  w.u64(e.offset);
  w.u64(e.payload_size);
  w.u64(e.original_size);
  w.u64(e.checksum);
  w.u8(e.method);
  w.zeros(7);
  return out;
}

IndexEntry parse_index_entry(std::span<const uint8_t, kIndexEntrySize> bytes, uint64_t chunk) {
  ByteReader r(bytes, "index entry");
  IndexEntry e;
  e.offset = r.u64();
  e.payload_size = r.u64();
  e.original_size = r.u64();
  e.checksum = r.u64();
  e.method = r.u8();
  if (!all_zero(r.bytes(7))) throw Error(ErrorCode::corrupt, "index entry: reserved bytes are not zero", chunk);
  if (e.method > kMaxMethod)
    throw Error(ErrorCode::corrupt, "index entry: unknown method " + std::to_string(e.method), chunk);
  return e;
}

std::array<uint8_t, kFooterSize> encode_footer(uint64_t index_offset) {
  std::array<uint8_t, kFooterSize> out{};
  ByteWriter w(out);
  w.u64(index_offset);
  w.u32(core::check32(std::span<const uint8_t>(out).first(8)));
  w.bytes(kEndMagic);
  return out;
}

uint64_t parse_footer(std::span<const uint8_t, kFooterSize> bytes) {
  ByteReader r(bytes, "footer");
  const uint64_t offset = r.u64();
  const uint32_t check = r.u32();
  if (!std::equal(kEndMagic.begin(), kEndMagic.end(), r.bytes(8).begin()))
    throw Error(ErrorCode::corrupt, "footer: bad end magic (container truncated or damaged at the end)");
  if (check != core::check32(bytes.first(8))) throw Error(ErrorCode::corrupt, "footer checksum mismatch");
  return offset;
}

std::optional<uint64_t> index_size(uint64_t chunks) {
  constexpr uint64_t kFixed = kIndexHeadSize + kIndexTrailerSize;
  if (chunks > (UINT64_MAX - kFixed) / kIndexEntrySize) return std::nullopt;
  return kFixed + chunks * kIndexEntrySize;
}

void FrameSequence::add(const IndexEntry& e) {
  const uint64_t chunk = count_;
  if (e.offset != next_offset_)
    throw Error(ErrorCode::corrupt,
                "frame offset " + std::to_string(e.offset) + " should be " + std::to_string(next_offset_), chunk);
  if (!method_allowed(e.method, predictor_))
    throw Error(ErrorCode::corrupt, "method " + std::to_string(e.method) + " not allowed for predictor kind " +
                                        std::to_string(predictor_), chunk);
  if (e.original_size == 0) throw Error(ErrorCode::corrupt, "original size is 0", chunk);
  if (e.original_size > chunk_size_)
    throw Error(ErrorCode::corrupt, "original size " + std::to_string(e.original_size) +
                                        " exceeds the chunk size " + std::to_string(chunk_size_),
                chunk);
  if (e.payload_size > e.original_size)
    throw Error(ErrorCode::corrupt, "payload size exceeds original size", chunk);
  if (e.method == kMethodStored && e.payload_size != e.original_size)
    throw Error(ErrorCode::corrupt, "stored chunk with payload size != original size", chunk);
  if (last_was_short_)
    throw Error(ErrorCode::corrupt, "chunk follows a chunk shorter than the chunk size", chunk);
  const uint64_t frame = kFrameHeaderSize + e.payload_size;  // payload ≤ 1 GiB: no overflow
  if (next_offset_ > UINT64_MAX - frame || total_original_ > UINT64_MAX - e.original_size)
    throw Error(ErrorCode::limit_exceeded, "container exceeds 2^64 bytes", chunk);
  next_offset_ += frame;
  total_original_ += e.original_size;
  last_was_short_ = e.original_size < chunk_size_;
  ++count_;
}

std::string model_name(const Header& h) {
  if (h.predictor == kPredictorContextMixing && all_zero(h.model_id)) return "none (context mixing)";
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (uint8_t b : h.model_id) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

}  // namespace nzip::format
