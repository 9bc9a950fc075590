// model/model_pack.h — the packed (entropy-coded) form of a model file (docs/MODEL_FORMAT.md,
// "Packed form"): a 48-byte header with its own magic, then the model's canonical bytes
// coded with nzip's own coders. Unpacking gives back the canonical bytes exactly, so a
// packed model has the same id as its raw form.
//
// Decoding treats the input as hostile: the header is checked (magic, version, checksum,
// reserved bytes, coding, sizes against limits and against the payload), the output grows
// only as bytes are actually decoded, and the result must hash to the id in the header.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "model/canonical_form.h"

namespace nzip::model {

// "\x89NZM\r\n\x1A\n". Read as a safetensors header length (u64 LE) it exceeds the 16 MiB
// limit by far, so no valid raw model file starts with it.
inline constexpr std::array<uint8_t, 8> kPackedMagic = {0x89, 'N', 'Z', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
inline constexpr uint16_t kPackedVersion = 1;
inline constexpr size_t kPackedHeaderSize = 48;
// A packed file never expands its canonical bytes more than this many times its payload
// (+16): the coders' probabilities are bounded away from 0 and 1, so every decoded byte
// costs at least 1/1423 of a byte of payload (range coding; binary: 1/709). A header
// claiming more is corrupt, which bounds what a hostile file can make the decoder produce.
inline constexpr uint64_t kMaxPackedRatio = 2048;

// How the canonical bytes are coded (the header's coding byte).
enum class PackCoding : uint8_t {
  binary = 0,  // adaptive bitwise models, binary arithmetic coder (coder/binary_coder.h)
  range = 1,   // adaptive symbol frequencies, multi-symbol range coder (coder/range_coder.h)
};
inline constexpr uint8_t kMaxPackCoding = 1;
const char* pack_coding_name(PackCoding c);

struct PackedHeader {
  uint16_t version = kPackedVersion;
  PackCoding coding = PackCoding::binary;
  uint64_t raw_size = 0;  // bytes of the canonical form
  ModelId id{};           // XXH3-128 of the canonical form
};

// True when `file` starts with kPackedMagic (fewer than 8 bytes: false).
bool is_packed_model(std::span<const uint8_t> file);

// Checks and returns the header of a packed file (the whole file, so the payload size is
// known). Throws Error(truncated) for fewer than 48 bytes, Error(bad_magic),
// Error(unsupported_version) for a newer version or an unknown coding, Error(corrupt) for
// a checksum, reserved byte or size that is wrong, Error(limit_exceeded) for a raw size
// beyond the model file limits.
PackedHeader parse_packed_header(std::span<const uint8_t> file);

// Codes `canonical` (the canonical bytes of a model file; checked: parsed as safetensors,
// Error(invalid_argument) when malformed) with `coding`.
std::vector<uint8_t> pack_canonical(std::span<const uint8_t> canonical, PackCoding coding);

// pack_canonical with whichever coding gives the smaller file (binary on a tie).
std::vector<uint8_t> pack_canonical(std::span<const uint8_t> canonical);

// The canonical bytes a packed file holds, checked against its id: Error(corrupt) when
// the payload is damaged or truncated, or decodes to bytes whose XXH3-128 is not the id.
// `header`, when given, receives the parsed header.
std::vector<uint8_t> unpack_canonical(std::span<const uint8_t> file, PackedHeader* header = nullptr);

}  // namespace nzip::model
