// codec/chunk_plan.h — how chunk method 4 codes one chunk: the model profile and the byte
// transform, chosen by the encoder from the chunk's bytes and recorded in the payload.
//
// Prose (letters and spaces make up most bytes) gets the prose profile and no transform.
// Other text keeps the general profile and no transform. Other data keeps the general
// profile and gets the transform that codes a sample of the
// chunk smallest with the model of the level, or of level 3 above it; the sample is an
// eighth of the chunk at most, so this costs a few percent of the chunk's coding time (on
// ../shared/corpus/float the choice matched the best transform for level 6 on every file
// but one, where it cost 0.07%). The decoder never repeats the choice: it reads it.
#pragma once

#include <cstdint>
#include <span>

#include "cm/level_config.h"
#include "codec/byte_transform.h"

namespace nzip::codec {

struct ChunkPlan {
  cm::Profile profile = cm::Profile::general;
  ByteTransform transform;
};

// True when at least 80% of the bytes (of a sample of up to 64 KiB) are ASCII letters or
// spaces. Code, logs, CSV and JSON stay below (they measure 0.0–0.78 in ../shared/corpus);
// English prose and wiki text measure 0.83–0.96.
bool looks_like_prose(std::span<const uint8_t> chunk);

// The plan for coding `chunk` at `level`.
// True when at least 95% of the bytes (of the same sample) are printable ASCII, tab, CR or
// LF: logs, CSV, JSON and code, where transforms for binary numbers cannot help, so the
// encoder does not spend trials on them.
bool looks_like_text(std::span<const uint8_t> chunk);

ChunkPlan plan_chunk(std::span<const uint8_t> chunk, int level);

}  // namespace nzip::codec
