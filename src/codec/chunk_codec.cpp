#include "codec/chunk_codec.h"

#include <cstring>
#include <string>

#include "cm/level_config.h"
#include "codec/cm_coding.h"
#include "codec/byte_transform.h"
#include "codec/chunk_plan.h"
#include "core/le_io.h"
#include "nzip/error.h"

namespace nzip::codec {

namespace {

// Method 4: [profile][transform descriptor][numeric layout, numeric profile only][coded bits
// of the transformed chunk]. The numeric layout is [element bytes u8][record elements u32 LE].
constexpr size_t kNumericLayoutBytes = 5;

void append_plan_header(const ChunkPlan& plan, std::vector<uint8_t>& out) {
  out.push_back(static_cast<uint8_t>(plan.profile));
  out.push_back(transform_descriptor(plan.transform));
  if (plan.profile != cm::Profile::numeric) return;
  const size_t at = out.size();
  out.resize(at + kNumericLayoutBytes);
  out[at] = static_cast<uint8_t>(plan.element_bytes);
  core::store_le32(out.data() + at + 1, plan.record_elements);
}

// Reads the plan header at the front of `payload` and removes it from the span.
ChunkPlan read_plan_header(std::span<const uint8_t>& payload) {
  if (payload.size() < 2) throw Error(ErrorCode::corrupt, "chunk payload is too short for its header");
  ChunkPlan plan;
  plan.profile = static_cast<cm::Profile>(payload[0]);
  plan.transform = transform_from_descriptor(payload[1]);
  payload = payload.subspan(2);
  if (plan.profile == cm::Profile::numeric) {
    if (payload.size() < kNumericLayoutBytes) throw Error(ErrorCode::corrupt, "chunk payload is too short for its header");
    plan.element_bytes = payload[0];
    plan.record_elements = core::load_le32(payload.data() + 1);
    payload = payload.subspan(kNumericLayoutBytes);
  }
  return plan;
}

// The predictor's configuration for a plan; throws nzip::Error(corrupt) for a profile or a
// numeric layout no writer makes.
cm::LevelConfig plan_config(const ChunkPlan& plan, int level) {
  if (plan.profile == cm::Profile::numeric) return cm::numeric_config(level, plan.element_bytes, plan.record_elements);
  return cm::level_config(level, plan.profile);
}

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
  if (!in.empty()) {
    const ChunkPlan plan = plan_chunk(in, level, hint);
    std::vector<uint8_t> transformed;
    std::span<const uint8_t> source = in;
    if (plan.transform.kind != TransformKind::none) {
      transformed.resize(in.size());
      apply_transform(plan.transform, in, transformed);
      source = transformed;
    }
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
      throw Error(ErrorCode::model_mismatch, "chunk needs a network model to decode");
  }
  throw Error(ErrorCode::corrupt, "unknown chunk method " + std::to_string(static_cast<int>(method)));
}

uint64_t codec_memory(int level) { return cm::predictor_memory(level); }

uint64_t default_chunk_size(int level) { return cm::level_config(level).chunk_size; }

}  // namespace nzip::codec
