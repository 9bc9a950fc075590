// codec/chunk_codec.h — turns one chunk of original bytes into a payload and back.
//
// This is the seam between the container (which stores payloads and knows nothing of
// predictors) and the predictors (src/cm, later src/model). Each chunk starts from a fresh
// predictor state, so chunks are independent.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "codec/chunk_plan.h"

namespace nzip::codec {

// How a chunk's payload was made; stored per chunk in the container.
enum class Method : uint8_t {
  stored = 0,  // payload is the original bytes
  cm = 1,      // context mixing + binary arithmetic coding (no longer written alone; still decoded)
  cm_network = 2,  // context mixing with a network model's inputs (codec/network_codec.h)
  network = 3,     // the network model alone + multi-symbol range coding
  cm_planned = 4,  // a profile byte and a byte-transform descriptor, then context mixing of
                   // the transformed chunk with that profile's model (codec/chunk_plan.h)
  cm_network_planned = 5,  // method 4's plan header, then method 2's coding of the transformed
                           // chunk with the plan's context-mixing model
  network_planned = 6,     // method 4's plan header, then method 3's coding of the transformed chunk
};

// Whether chunks of `method` need the container's network model.
constexpr bool needs_network(Method method) {
  return method == Method::cm_network || method == Method::network || method == Method::cm_network_planned ||
         method == Method::network_planned;
}

// Whether a network method's payload starts with a plan header (methods 5 and 6).
constexpr bool is_planned_network(Method method) {
  return method == Method::cm_network_planned || method == Method::network_planned;
}

// Whether a network method codes bytes with the network alone (methods 3 and 6).
constexpr bool is_network_only(Method method) {
  return method == Method::network || method == Method::network_planned;
}

struct EncodedChunk {
  Method method = Method::stored;
  std::vector<uint8_t> payload;
};

// Compresses `in` with the predictor of `level` (1..9) as Method::cm_planned, planned by
// plan_chunk (codec/chunk_plan.h) with `hint`. Falls back to Method::stored when coding
// would not make the chunk smaller, so a payload is never longer than `in`.
EncodedChunk encode_chunk(std::span<const uint8_t> in, int level, const NumericHint& hint = {});

// The same with the plan already made (plan_chunk of `in` at `level`).
EncodedChunk encode_planned_chunk(std::span<const uint8_t> in, const ChunkPlan& plan, int level);

// Decodes `payload` into exactly out.size() bytes. Throws nzip::Error(corrupt) when the
// payload is inconsistent (for example ends early); never reads outside `payload`.
void decode_chunk(Method method, std::span<const uint8_t> payload, std::span<uint8_t> out, int level);

// Default chunk size of `level` in bytes (the predictor's table, cm/level_config.cpp).
uint64_t default_chunk_size(int level);

// Memory one encoder or decoder of `level` holds, independent of the chunk size (bytes).
uint64_t codec_memory(int level);

}  // namespace nzip::codec
