// codec/cm_coding.h — a byte sequence through the context-mixing predictor and the binary
// arithmetic coder, and back. Chunk methods 1 and 2 and the encoder's transform trials use it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cm/level_config.h"

namespace nzip::codec {

// A correct coded stream never needs more zero bytes past its end than this; a decoder that
// reads more has met a payload that was cut short or damaged (every coded method checks it).
inline constexpr uint64_t kMaxCoderOverrun = 8;

// Appends the coded bits of `in` to `out`. Stops early, leaving `out` longer than `in`, once
// coding cannot beat storing (the caller then stores the chunk).
void encode_cm(std::span<const uint8_t> in, const cm::LevelConfig& config, std::vector<uint8_t>& out);

// Decodes exactly out.size() bytes from `payload`; throws nzip::Error(corrupt) when the
// payload ends early. Never reads outside `payload`.
void decode_cm(std::span<const uint8_t> payload, std::span<uint8_t> out, const cm::LevelConfig& config);

}  // namespace nzip::codec
