// codec/chunk_plan.h — how chunk method 4 codes one chunk: the model profile and the byte
// transform, chosen by the encoder from the chunk's bytes and recorded in the payload.
//
// Prose (letters and spaces make up most bytes) gets the level's prose profile
// (cm::prose_profile_for: the lean one at the default level) and no transform.
// Other text keeps the general profile and no transform. Other data gets the plan that
// codes a sample of the chunk smallest with the model of the level, or of level 3 above it:
// the general profile with one of the byte transforms, or the numeric profile (4- or 8-byte
// elements, most significant byte first, with the record length detected on the sample),
// the better numeric layout also with its column transforms (differences or XOR down the
// column), which must win by 2% because they change every byte, and the float64 layout
// (either byte order) with the Chebyshev transform when the sample holds an ephemeris's
// series (codec/chebyshev_detect.h), which must win by 2% over the best of the others.
// The sample is an eighth of the chunk at most, so this costs a few percent of the chunk's
// coding time. The decoder never repeats the choice: it reads it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cm/level_config.h"
#include "codec/byte_transform.h"

namespace nzip::codec {

// What the caller knows of the chunk's numbers (nzip --dtype/--record/--layout); zero
// element_bytes means "nothing: choose by trials".
struct NumericHint {
  uint32_t element_bytes = 0;    // 2..8
  bool big_endian = false;
  uint32_t record_elements = 0;  // 0 = detect
};

struct ChunkPlan {
  cm::Profile profile = cm::Profile::general;
  ByteTransform transform;
  // Numeric profile only: bytes per element and elements per record.
  uint32_t element_bytes = 0;
  uint32_t record_elements = 0;
};

// The record length, in elements of `element_bytes` bytes (most significant byte first), that
// best lines up the elements' top 12 bits (a float64's sign and exponent, a float32's and
// three mantissa bits) with those one record earlier: the smallest
// length within 10% of the best score, from 1 up to max_record or a quarter of the
// elements. 1 when nothing repeats.
uint32_t detect_record_elements(std::span<const uint8_t> elements, uint32_t element_bytes, uint32_t max_record);

// True when at least 80% of the bytes (of a sample of up to 64 KiB) are ASCII letters or
// spaces. Code, logs, CSV and JSON stay below (they measure 0.0–0.78 in ../shared/corpus);
// English prose and wiki text measure 0.83–0.96.
bool looks_like_prose(std::span<const uint8_t> chunk);

// The plan for coding `chunk` at `level`.
// True when at least 95% of the bytes (of the same sample) are printable ASCII, tab, CR or
// LF: logs, CSV, JSON and code, where transforms for binary numbers cannot help, so the
// encoder does not spend trials on them.
bool looks_like_text(std::span<const uint8_t> chunk);

// With a hint the chunk gets the numeric profile with the hinted layout (the record length
// detected when the hint has none); trials (in chunks of 64 KiB or more, on a smaller
// sample) only choose whether a column or Chebyshev transform helps.
ChunkPlan plan_chunk(std::span<const uint8_t> chunk, int level, const NumericHint& hint = {});

// The plan header that starts a planned chunk's payload (methods 4 and 5, docs/FORMAT.md):
// [profile u8][transform descriptor u8], then for the numeric profile [element bytes u8]
// [record elements u32 LE], then for the Chebyshev transform its series list. Appended to
// `out`. A column or Chebyshev transform's stride is the record length, so it is not stored twice.
void append_plan_header(const ChunkPlan& plan, std::vector<uint8_t>& out);

// Reads the plan header at the front of `payload` and removes it from the span; throws
// nzip::Error(corrupt) when the payload is too short, the transform descriptor unknown,
// a column or Chebyshev transform comes without a numeric layout of its element size, or a
// series list does not fit the record (valid_chebyshev_series).
ChunkPlan read_plan_header(std::span<const uint8_t>& payload);

// A plan in words, for nzip -l -v: "prose", "general", "general, byte planes of 4",
// "numeric: 4-byte elements, 37 per record, byte-reversed".
std::string describe_plan(const ChunkPlan& plan);
// The context-mixing configuration of a plan at `level`; throws nzip::Error(corrupt) for a
// profile or a numeric layout no writer makes.
cm::LevelConfig plan_config(const ChunkPlan& plan, int level);

// The bytes the coder sees for `chunk` under `plan`: the chunk itself when the plan has no
// transform, else its transform, written into `storage`.
std::span<const uint8_t> coding_order(const ChunkPlan& plan, std::span<const uint8_t> chunk,
                                      std::vector<uint8_t>& storage);

}  // namespace nzip::codec
