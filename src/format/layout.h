// format/layout.h — the byte layout of container format v1 (docs/FORMAT.md): constants,
// the fixed-size structures, and their encoders/parsers.
//
// Parsers take exactly-sized spans of untrusted bytes, check every field (checksums,
// reserved bits, ranges against limits and the header), and throw nzip::Error naming the
// chunk where there is one. The format knows nothing of predictors: a method is a byte.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace nzip::format {

inline constexpr std::array<uint8_t, 8> kMagic = {0x89, 'N', 'Z', 'I', 'P', 0x0D, 0x0A, 0x1A};
inline constexpr std::array<uint8_t, 8> kEndMagic = {'N', 'Z', 'I', 'P', '-', 'E', 'N', 'D'};
inline constexpr std::array<uint8_t, 4> kChunkTag = {'C', 'H', 'N', 'K'};
inline constexpr std::array<uint8_t, 4> kIndexTag = {'I', 'N', 'D', 'X'};

inline constexpr uint16_t kVersionMajor = 1;
inline constexpr uint16_t kVersionMinor = 0;

// Header flag bits 0..15 are "required": a reader that does not know one must refuse the
// file. Bits 16..31 are "optional" and ignored when unknown.
inline constexpr uint32_t kRequiredFlagsMask = 0x0000FFFFu;
// Bit 0 (required): a model section follows the header, holding the container's model as
// a packed .nzm file (predictor kind 1 only).
inline constexpr uint32_t kFlagEmbeddedModel = 1u << 0;
// Bit 1 (required): a dataset section follows (after the model section when there is one),
// describing the dataset the original bytes were read from (nzip --dataset).
inline constexpr uint32_t kFlagDataset = 1u << 1;
inline constexpr uint32_t kKnownRequiredFlags = kFlagEmbeddedModel | kFlagDataset;

inline constexpr std::array<uint8_t, 4> kModelTag = {'M', 'O', 'D', 'L'};
inline constexpr size_t kModelSectionHeadSize = 20;
// Largest embedded model (packed bytes) this build writes or accepts.
inline constexpr uint64_t kMaxEmbeddedModelSize = uint64_t{1} << 30;

inline constexpr uint8_t kPredictorContextMixing = 0;  // no model
inline constexpr uint8_t kPredictorNetwork = 1;        // a network model, named by the model identity
inline constexpr uint8_t kMethodStored = 0;
inline constexpr uint8_t kMethodCm = 1;
inline constexpr uint8_t kMethodCmNetwork = 2;  // context mixing with the network's inputs (predictor kind 1 only)
inline constexpr uint8_t kMethodNetwork = 3;    // the network alone, multi-symbol range coding (kind 1 only)
inline constexpr uint8_t kMethodCmPlanned = 4;  // context mixing with a per-chunk profile and byte transform
inline constexpr uint8_t kMethodCmNetworkPlanned = 5;  // method 4's plan, then method 2's coding (kind 1 only)
inline constexpr uint8_t kMethodNetworkPlanned = 6;    // method 4's plan, then method 3's coding (kind 1 only)
inline constexpr uint8_t kMaxMethod = kMethodNetworkPlanned;

// Whether chunks coded with `method` may appear in a container of predictor kind `predictor`.
inline bool method_allowed(uint8_t method, uint8_t predictor) {
  if (method == kMethodCmNetwork || method == kMethodNetwork || method == kMethodCmNetworkPlanned ||
      method == kMethodNetworkPlanned)
    return predictor == kPredictorNetwork;
  return method <= kMaxMethod;
}

inline constexpr size_t kHeaderSize = 48;
inline constexpr size_t kFrameHeaderSize = 36;
inline constexpr size_t kIndexHeadSize = 24;
inline constexpr size_t kIndexEntrySize = 40;
inline constexpr size_t kIndexTrailerSize = 8;
inline constexpr size_t kFooterSize = 20;

// Largest chunk (original bytes) this build writes or accepts.
inline constexpr uint64_t kMaxChunkSize = uint64_t{1} << 30;

struct Header {
  uint16_t version_major = kVersionMajor;
  uint16_t version_minor = kVersionMinor;
  uint32_t flags = 0;
  uint8_t level = 0;
  uint8_t predictor = kPredictorContextMixing;
  std::array<uint8_t, 16> model_id{};  // all zero = no model
  uint64_t chunk_size = 0;
};

struct FrameHeader {
  uint8_t method = kMethodStored;
  uint64_t original_size = 0;
  uint64_t payload_size = 0;
  uint64_t checksum = 0;  // XXH3-64 of the original bytes
};

struct IndexEntry {
  uint64_t offset = 0;  // of the chunk's frame, from the start of the container
  uint64_t payload_size = 0;
  uint64_t original_size = 0;
  uint64_t checksum = 0;
  uint8_t method = kMethodStored;
  bool operator==(const IndexEntry&) const = default;
};

struct IndexHead {
  uint64_t chunk_count = 0;
  uint64_t total_original_size = 0;
};

std::array<uint8_t, kHeaderSize> encode_header(const Header& h);
// Checks magic, version, checksum, flags, reserved bytes, level, predictor, chunk size.
Header parse_header(std::span<const uint8_t, kHeaderSize> bytes);

// The head of the model section (tag, reserved, size, check); the packed model follows.
std::array<uint8_t, kModelSectionHeadSize> encode_model_section_head(uint64_t model_size);
// Returns the model size; checks tag, checksum, reserved bytes, 1 ≤ size ≤ kMaxEmbeddedModelSize.
uint64_t parse_model_section_head(std::span<const uint8_t, kModelSectionHeadSize> bytes);

// Offset of the first chunk frame: right after the header, the model section (head +
// model_size bytes) when the header has kFlagEmbeddedModel, and the dataset section
// (dataset_section_size bytes, head to check) when it has kFlagDataset.
uint64_t first_frame_offset(const Header& h, uint64_t model_size, uint64_t dataset_section_size = 0);

std::array<uint8_t, kFrameHeaderSize> encode_frame_header(const FrameHeader& f, uint64_t chunk);
// `chunk` seeds the frame-header checksum, so a frame read at the wrong position fails.
// Checks tag, checksum, method, reserved bytes, and sizes against the header's chunk size.
FrameHeader parse_frame_header(std::span<const uint8_t, kFrameHeaderSize> bytes, uint64_t chunk,
                               const Header& header);

std::array<uint8_t, kIndexHeadSize> encode_index_head(const IndexHead& h);
IndexHead parse_index_head(std::span<const uint8_t, kIndexHeadSize> bytes);

std::array<uint8_t, kIndexEntrySize> encode_index_entry(const IndexEntry& e);
// Checks the reserved bytes and the method only; FrameSequence checks the rest.
IndexEntry parse_index_entry(std::span<const uint8_t, kIndexEntrySize> bytes, uint64_t chunk);

std::array<uint8_t, kFooterSize> encode_footer(uint64_t index_offset);
// Returns the index offset; checks the end magic and the footer checksum.
uint64_t parse_footer(std::span<const uint8_t, kFooterSize> bytes);

// Bytes of an index with `chunks` entries, tag to trailer; nullopt if it overflows 64 bits.
std::optional<uint64_t> index_size(uint64_t chunks);

// Checks that a sequence of chunks is well formed, one chunk at a time, in O(1) memory:
// frames are contiguous from the end of the header, every chunk but the last holds exactly
// chunk_size original bytes, payload ≤ original ≤ chunk_size, stored payload = original,
// and 64-bit totals do not overflow. Used by the streaming reader, the in-memory view, and
// the tests (with synthetic entries far beyond 4 GiB).
class FrameSequence {
 public:
  // Frames start at `first_frame` (first_frame_offset()).
  explicit FrameSequence(const Header& header, uint64_t first_frame = kHeaderSize)
      : chunk_size_(header.chunk_size), predictor_(header.predictor), next_offset_(first_frame) {}

  // Checks the next chunk's entry; throws corrupt naming the chunk.
  void add(const IndexEntry& e);

  uint64_t chunk_count() const noexcept { return count_; }
  uint64_t total_original_size() const noexcept { return total_original_; }
  // Offset where the next frame (or the index) must start.
  uint64_t next_offset() const noexcept { return next_offset_; }

 private:
  uint64_t chunk_size_;
  uint8_t predictor_;
  uint64_t next_offset_;
  uint64_t count_ = 0;
  uint64_t total_original_ = 0;
  bool last_was_short_ = false;
};

// "none (context mixing)" or the model identity in hex (32 digits).
std::string model_name(const Header& h);

}  // namespace nzip::format
