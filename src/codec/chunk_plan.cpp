#include "codec/chunk_plan.h"

#include <algorithm>
#include <vector>

#include "codec/cm_coding.h"

namespace nzip::codec {

namespace {

// Text and prose are judged on a sample of this many bytes from the middle of the chunk.
constexpr size_t kKindSample = 64 * 1024;
// Trials code a sample of chunk/8 bytes, within these bounds: enough for element statistics,
// and a small part of the chunk's own coding time.
constexpr size_t kMinTrialSample = 64 * 1024;
constexpr size_t kMaxTrialSample = 128 * 1024;
// Level 3 is the fastest level with the sparse and record contexts that model interleaved
// elements; without them (levels 1, 2) byte planes look better on a sample than they are
// for the higher levels' models.
constexpr int kMaxTrialLevel = 3;
// Byte planes reorder the whole chunk, so a sample says less about them than about the
// element-local transforms: they must beat the best of those by 1/kPlanesMargin (2%).
constexpr size_t kPlanesMargin = 50;
// Below this a chunk is coded as it is: too short for element statistics to pay.
constexpr size_t kMinTransformChunk = 4096;

// A window of up to `n` bytes from the middle of the chunk, starting on an 8-byte boundary
// so every candidate period sees whole elements.
std::span<const uint8_t> middle_sample(std::span<const uint8_t> chunk, size_t n) {
  if (chunk.size() <= n) return chunk;
  const size_t start = (chunk.size() - n) / 2 / 8 * 8;
  return chunk.subspan(start, n);
}

// Bytes the model of `level` codes `data` into.
size_t trial_size(std::span<const uint8_t> data, int level) {
  std::vector<uint8_t> out;
  encode_cm(data, cm::level_config(level), out);
  return out.size();
}

// Whether at least `percent`% of the bytes of the chunk's middle sample satisfy `is_kind`.
template <typename Predicate>
bool share_at_least(std::span<const uint8_t> chunk, size_t percent, Predicate is_kind) {
  const std::span<const uint8_t> s = middle_sample(chunk, kKindSample);
  if (s.empty()) return false;
  size_t count = 0;
  for (const uint8_t c : s) count += is_kind(c) ? 1 : 0;
  return count * 100 >= s.size() * percent;
}

}  // namespace

bool looks_like_text(std::span<const uint8_t> chunk) {
  return share_at_least(chunk, 95, [](uint8_t c) { return (c >= 32 && c < 127) || c == '\n' || c == '\r' || c == '\t'; });
}

bool looks_like_prose(std::span<const uint8_t> chunk) {
  return share_at_least(chunk, 80, [](uint8_t c) { return c == ' ' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

ChunkPlan plan_chunk(std::span<const uint8_t> chunk, int level) {
  ChunkPlan plan;
  if (looks_like_prose(chunk)) {
    plan.profile = cm::Profile::prose;
    return plan;
  }
  if (chunk.size() < kMinTransformChunk || looks_like_text(chunk)) return plan;
  const std::span<const uint8_t> sample =
      middle_sample(chunk, std::clamp(chunk.size() / 8, kMinTrialSample, kMaxTrialSample));
  const int trial_level = std::min(level, kMaxTrialLevel);
  std::vector<uint8_t> transformed(sample.size());
  size_t best = SIZE_MAX, best_planes = SIZE_MAX;
  ByteTransform planes;
  for (const ByteTransform& t : candidate_transforms()) {
    apply_transform(t, sample, transformed);
    const size_t size = trial_size(transformed, trial_level);
    // Ties keep the earlier (simpler) candidate; "none" comes first.
    if (t.kind == TransformKind::byte_planes) {
      if (size < best_planes) best_planes = size, planes = t;
    } else if (size < best) {
      best = size;
      plan.transform = t;
    }
  }
  if (best_planes < best - best / kPlanesMargin) plan.transform = planes;
  return plan;
}

}  // namespace nzip::codec
