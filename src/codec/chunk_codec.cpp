#include "codec/chunk_codec.h"

#include <cstring>
#include <string>

#include "cm/level_config.h"
#include "codec/cm_coding.h"
#include "codec/byte_transform.h"
#include "codec/chunk_plan.h"
#include "nzip/error.h"

namespace nzip::codec {

namespace {

void decode_planned(std::span<const uint8_t> payload, std::span<uint8_t> out, int level) {
  const ChunkPlan plan = read_plan_header(payload);
  const cm::LevelConfig config = plan_config(plan, level);
  if (plan.transform.kind == TransformKind::none) return decode_cm(payload, out, config);
  std::vector<uint8_t> transformed(out.size());
  decode_cm(payload, transformed, config);
  invert_transform(plan.transform, transformed, out);
}

}  // namespace

EncodedChunk encode_chunk(std::span<const uint8_t> in, int level, const NumericHint& hint) {
  cm::level_config(level);  // validates the level
  if (in.empty()) return {Method::stored, {}};
  return encode_planned_chunk(in, plan_chunk(in, level, hint), level);
}

EncodedChunk encode_planned_chunk(std::span<const uint8_t> in, const ChunkPlan& plan, int level) {
  if (!in.empty()) {
    std::vector<uint8_t> transformed;
    const std::span<const uint8_t> source = coding_order(plan, in, transformed);
    std::vector<uint8_t> coded;
    append_plan_header(plan, coded);
    encode_cm(source, plan_config(plan, level), coded);
    if (coded.size() < in.size()) return {Method::cm_planned, std::move(coded)};
  }
  return {Method::stored, std::vector<uint8_t>(in.begin(), in.end())};
}

void decode_chunk(Method method, std::span<const uint8_t> payload, std::span<uint8_t> out, int level) {
  switch (method) {
    case Method::stored:
      if (payload.size() != out.size())
        throw Error(ErrorCode::corrupt, "stored chunk has " + std::to_string(payload.size()) +
                                            " bytes, expected " + std::to_string(out.size()));
      if (!out.empty()) std::memcpy(out.data(), payload.data(), out.size());
      return;
    case Method::cm:
      decode_cm(payload, out, cm::level_config(level));
      return;
    case Method::cm_planned:
      decode_planned(payload, out, level);
      return;
    case Method::cm_network:
    case Method::network:
    case Method::cm_network_planned:
    case Method::network_planned:
      throw Error(ErrorCode::model_mismatch, "chunk needs a network model to decode");
  }
  throw Error(ErrorCode::corrupt, "unknown chunk method " + std::to_string(static_cast<int>(method)));
}

uint64_t codec_memory(int level) { return cm::predictor_memory(level); }

uint64_t default_chunk_size(int level) { return cm::level_config(level).chunk_size; }

}  // namespace nzip::codec
