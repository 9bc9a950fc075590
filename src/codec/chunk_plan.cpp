#include "codec/chunk_plan.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "codec/chebyshev_detect.h"
#include "codec/cm_coding.h"
#include "core/le_io.h"
#include "nzip/error.h"

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
// The column transforms change every byte's statistics, and on the corpus a sample that
// favours them by less than this (1/kColumnMargin, 2%) can lose on the whole chunk (JPL
// coefficients: +0.07% with no margin), so they must win by that much.
constexpr size_t kColumnMargin = 50;
// With a given layout only the column transforms are tried, on a sample of chunk/16 within
// these bounds, and only in chunks of at least kMinHintedTrialChunk bytes: the trials then cost
// under a tenth of the chunk's coding time.
constexpr size_t kMinHintedTrialSample = 16 * 1024;
constexpr size_t kMaxHintedTrialSample = 64 * 1024;
constexpr size_t kMinHintedTrialChunk = 64 * 1024;
// Below this a chunk is coded as it is: too short for element statistics to pay.
constexpr size_t kMinTransformChunk = 4096;
// Records longer than this many elements are not looked for (the search costs time in
// proportion to the length); a caller can still give longer ones.
constexpr uint32_t kMaxDetectedRecord = 4096;
// The numeric layout in a plan header: [element bytes u8][record elements u32 LE].
constexpr size_t kNumericLayoutBytes = 5;
// A Chebyshev transform's series in a plan header: [count u16 LE], then per series
// [offset u32 LE][coefficients u8][subintervals u8][components u8].
constexpr size_t kSeriesCountBytes = 2;
constexpr size_t kSeriesBytes = 7;

// A window of up to `n` bytes from the middle of the chunk, starting on an 8-byte boundary
// so every candidate period sees whole elements.
std::span<const uint8_t> middle_sample(std::span<const uint8_t> chunk, size_t n) {
  if (chunk.size() <= n) return chunk;
  const size_t start = (chunk.size() - n) / 2 / 8 * 8;
  return chunk.subspan(start, n);
}

// Bytes the model `config` codes `data` into.
size_t trial_size(std::span<const uint8_t> data, const cm::LevelConfig& config) {
  std::vector<uint8_t> out;
  encode_cm(data, config, out);
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

uint32_t detect_record_elements(std::span<const uint8_t> elements, uint32_t element_bytes, uint32_t max_record) {
  const size_t n = elements.size() / element_bytes;
  std::vector<uint16_t> keys(n);
  for (size_t i = 0; i < n; ++i)
    keys[i] = static_cast<uint16_t>((elements[i * element_bytes] << 8 | elements[i * element_bytes + 1]) >> 4);
  const size_t max_r = std::min<size_t>(max_record, n / 4);
  // Scores are match rates in 1/65536 units, compared as integers.
  std::vector<uint64_t> rate(max_r + 1, 0);
  uint64_t best = 0;
  for (size_t r = 1; r <= max_r; ++r) {
    uint64_t hits = 0;
    for (size_t i = r; i < n; ++i) hits += keys[i] == keys[i - r];
    rate[r] = (hits << 16) / (n - r);
    best = std::max(best, rate[r]);
  }
  for (size_t r = 1; r <= max_r; ++r)
    if (rate[r] * 10 >= best * 9 && rate[r] > 0) return static_cast<uint32_t>(r);
  return 1;
}

bool looks_like_text(std::span<const uint8_t> chunk) {
  return share_at_least(chunk, 95, [](uint8_t c) { return (c >= 32 && c < 127) || c == '\n' || c == '\r' || c == '\t'; });
}

bool looks_like_prose(std::span<const uint8_t> chunk) {
  return share_at_least(chunk, 80, [](uint8_t c) { return c == ' ' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

namespace {

// The numeric plan for elements of `e` bytes: most significant byte first (reversing
// little-endian elements), with `record` elements per record or, when 0, the record length
// detected on `sample` (bytes of the chunk in their original order).
ChunkPlan numeric_plan(std::span<const uint8_t> sample, uint32_t e, bool big_endian, uint32_t record) {
  ChunkPlan plan;
  plan.profile = cm::Profile::numeric;
  plan.transform = big_endian ? ByteTransform{} : ByteTransform{TransformKind::big_endian, e};
  plan.element_bytes = e;
  plan.record_elements = record;
  if (record == 0) {
    std::vector<uint8_t> msb_first(sample.size());
    apply_transform(plan.transform, sample, msb_first);
    plan.record_elements = detect_record_elements(msb_first, e, kMaxDetectedRecord);
  }
  return plan;
}

// Bytes the numeric plan `plan` codes `sample` (bytes of the chunk in their original order) into.
size_t numeric_trial_size(const ChunkPlan& plan, std::span<const uint8_t> sample, int trial_level) {
  std::vector<uint8_t> transformed(sample.size());
  apply_transform(plan.transform, sample, transformed);
  return trial_size(transformed, cm::numeric_config(trial_level, plan.element_bytes, plan.record_elements));
}

// A plan and the size its trial coded the sample into.
struct SizedPlan {
  ChunkPlan plan;
  size_t size = SIZE_MAX;
};

// The Chebyshev variant of a float64 numeric plan, with the series found in `sample` (bytes of
// the chunk in their original order, starting `sample_start` bytes into it, a multiple of 8),
// and the size it codes the sample into; none when the sample holds no series.
std::optional<SizedPlan> chebyshev_variant(const ChunkPlan& base, std::span<const uint8_t> sample,
                                           size_t sample_start, int trial_level) {
  if (base.element_bytes != 8 || base.record_elements < 2) return std::nullopt;
  const bool big_endian = base.transform.kind == TransformKind::none;  // no reversal: the source is big-endian
  std::vector<uint64_t> values(sample.size() / 8);
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t v = core::load_le64(sample.data() + 8 * i);
    values[i] = big_endian ? __builtin_bswap64(v) : v;
  }
  const std::vector<ChebyshevSeries> series = detect_chebyshev_series(values, base.record_elements);
  if (series.empty()) return std::nullopt;
  SizedPlan variant{base, 0};
  variant.plan.transform = {TransformKind::chebyshev, 8, base.record_elements, big_endian, series};
  variant.size = numeric_trial_size(variant.plan, sample, trial_level);
  // The plan counts offsets from the chunk's first element, the sample from its own.
  const uint64_t sample_element = sample_start / 8;
  variant.plan.transform.series =
      rebase_chebyshev_series(series, base.record_elements, base.record_elements - sample_element % base.record_elements);
  return variant;
}

// `numeric` itself or one of its column transforms (differences or XOR down the column),
// whichever codes the sample smallest, a column transform only when it wins by kColumnMargin.
SizedPlan best_column_variant(const SizedPlan& numeric, std::span<const uint8_t> sample, int trial_level) {
  SizedPlan best = numeric;
  const ChunkPlan& base = numeric.plan;
  for (const TransformKind kind : {TransformKind::column_delta, TransformKind::column_xor}) {
    ChunkPlan plan = base;
    plan.transform = {kind, base.element_bytes, base.record_elements,
                      base.transform.kind == TransformKind::none};  // no reversal: the source is big-endian
    const size_t s = numeric_trial_size(plan, sample, trial_level);
    if (s < best.size && s < numeric.size - numeric.size / kColumnMargin) best = {plan, s};
  }
  return best;
}

// `best`, or the Chebyshev variant of the float64 plan `float64` when the sample holds series
// and it codes the sample smaller than `best` by kColumnMargin. Float64 ephemerides often look
// better as float32 pairs to the plain numeric trials (their coefficients' low bits are
// zero), so the variant is tried whichever element size won. `sample` starts `sample_start`
// bytes into the chunk.
SizedPlan with_chebyshev_variant(const SizedPlan& best, const ChunkPlan& float64, std::span<const uint8_t> sample,
                                 size_t sample_start, int trial_level) {
  const std::optional<SizedPlan> c = chebyshev_variant(float64, sample, sample_start, trial_level);
  return c && c->size < best.size - best.size / kColumnMargin ? *c : best;
}

}  // namespace

ChunkPlan plan_chunk(std::span<const uint8_t> chunk, int level, const NumericHint& hint) {
  const std::span<const uint8_t> sample =
      middle_sample(chunk, std::clamp(chunk.size() / 8, kMinTrialSample, kMaxTrialSample));
  const int trial_level = std::min(level, kMaxTrialLevel);
  if (hint.element_bytes) {
    const ChunkPlan plain = numeric_plan(sample, hint.element_bytes, hint.big_endian, hint.record_elements);
    // The three trials are all a given layout costs beyond coding, so they run on a smaller
    // sample (a sixteenth of the chunk, 16 to 64 KiB), and not at all on short chunks.
    if (chunk.size() < kMinHintedTrialChunk) return plain;
    const std::span<const uint8_t> small =
        middle_sample(chunk, std::clamp(chunk.size() / 16, kMinHintedTrialSample, kMaxHintedTrialSample));
    const SizedPlan best = best_column_variant({plain, numeric_trial_size(plain, small, trial_level)}, small, trial_level);
    return with_chebyshev_variant(best, plain, small, static_cast<size_t>(small.data() - chunk.data()), trial_level).plan;
  }
  ChunkPlan plan;
  if (looks_like_prose(chunk)) {
    plan.profile = cm::prose_profile_for(level);
    return plan;
  }
  if (chunk.size() < kMinTransformChunk || looks_like_text(chunk)) return plan;
  std::vector<uint8_t> transformed(sample.size());
  size_t best = SIZE_MAX, best_planes = SIZE_MAX;
  ByteTransform planes;
  for (const ByteTransform& t : candidate_transforms()) {
    apply_transform(t, sample, transformed);
    const size_t size = trial_size(transformed, cm::level_config(trial_level));
    // Ties keep the earlier (simpler) candidate; "none" comes first.
    if (t.kind == TransformKind::byte_planes) {
      if (size < best_planes) best_planes = size, planes = t;
    } else if (size < best) {
      best = size;
      plan.transform = t;
    }
  }
  if (best_planes < best - best / kPlanesMargin) {
    plan.transform = planes;
    best = best_planes;
  }
  // The better numeric layout also tries its column transforms (two more trials, not four);
  // the float64 layout its Chebyshev transform when the sample holds series.
  SizedPlan numeric_best;
  ChunkPlan float64;
  for (const uint32_t e : {4u, 8u}) {
    const ChunkPlan numeric = numeric_plan(sample, e, false, 0);
    const size_t size = numeric_trial_size(numeric, sample, trial_level);
    if (size < numeric_best.size) numeric_best = {numeric, size};
    if (e == 8) float64 = numeric;
  }
  numeric_best = best_column_variant(numeric_best, sample, trial_level);
  // Ephemerides are also written big-endian (JPL's older binary files); the trials above
  // assume little-endian numbers, the Chebyshev detection tries both.
  const size_t sample_start = static_cast<size_t>(sample.data() - chunk.data());
  const SizedPlan little = with_chebyshev_variant(numeric_best, float64, sample, sample_start, trial_level);
  numeric_best = little.plan.transform.kind == TransformKind::chebyshev
                     ? little
                     : with_chebyshev_variant(numeric_best, numeric_plan(sample, 8, true, 0), sample, sample_start, trial_level);
  if (numeric_best.size < best) plan = numeric_best.plan;
  return plan;
}

void append_plan_header(const ChunkPlan& plan, std::vector<uint8_t>& out) {
  out.push_back(static_cast<uint8_t>(plan.profile));
  out.push_back(transform_descriptor(plan.transform));
  if (plan.profile != cm::Profile::numeric) return;
  const size_t at = out.size();
  out.resize(at + kNumericLayoutBytes);
  out[at] = static_cast<uint8_t>(plan.element_bytes);
  core::store_le32(out.data() + at + 1, plan.record_elements);
  if (plan.transform.kind != TransformKind::chebyshev) return;
  const std::vector<ChebyshevSeries>& series = plan.transform.series;
  const size_t list = out.size();
  out.resize(list + kSeriesCountBytes + series.size() * kSeriesBytes);
  core::store_le16(out.data() + list, static_cast<uint16_t>(series.size()));
  uint8_t* p = out.data() + list + kSeriesCountBytes;
  for (const ChebyshevSeries& s : series) {
    core::store_le32(p, s.offset);
    p[4] = s.coefficients;
    p[5] = s.subintervals;
    p[6] = s.components;
    p += kSeriesBytes;
  }
}

namespace {

// The series list of a Chebyshev plan header, at the front of `payload` (removed from it).
std::vector<ChebyshevSeries> read_series(std::span<const uint8_t>& payload, uint32_t period) {
  if (payload.size() < kSeriesCountBytes) throw Error(ErrorCode::corrupt, "chunk payload is too short for its header");
  const size_t count = core::load_le16(payload.data());
  payload = payload.subspan(kSeriesCountBytes);
  if (payload.size() / kSeriesBytes < count) throw Error(ErrorCode::corrupt, "chunk payload is too short for its header");
  std::vector<ChebyshevSeries> series(count);
  for (ChebyshevSeries& s : series) {
    s = {core::load_le32(payload.data()), payload[4], payload[5], payload[6]};
    payload = payload.subspan(kSeriesBytes);
  }
  if (!valid_chebyshev_series(period, series))
    throw Error(ErrorCode::corrupt, "Chebyshev series that do not fit the record length");
  return series;
}

}  // namespace

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
  if (is_record_transform(plan.transform)) {
    // The column is the numeric layout's: one record back, in elements of the plan's size.
    if (plan.profile != cm::Profile::numeric || plan.transform.period != plan.element_bytes || plan.record_elements == 0)
      throw Error(ErrorCode::corrupt, "column transform without a matching numeric layout");
    plan.transform.stride = plan.record_elements;
  }
  if (plan.transform.kind == TransformKind::chebyshev) plan.transform.series = read_series(payload, plan.record_elements);
  return plan;
}

std::string describe_plan(const ChunkPlan& plan) {
  const std::string period = std::to_string(plan.transform.period);
  switch (plan.profile) {
    case cm::Profile::prose:
      return "prose";
    case cm::Profile::prose_lean:
      return "prose (lean)";
    case cm::Profile::prose_direct:
      return "prose (lean, no APM)";
    case cm::Profile::numeric: {
      std::string s = "numeric: " + std::to_string(plan.element_bytes) + "-byte elements, " +
                      std::to_string(plan.record_elements) + " per record";
      if (plan.transform.kind == TransformKind::big_endian) s += ", byte-reversed";
      if (plan.transform.kind == TransformKind::column_delta) s += ", differences down the column";
      if (plan.transform.kind == TransformKind::column_xor) s += ", XOR down the column";
      if (plan.transform.kind == TransformKind::chebyshev)
        s += ", Chebyshev continuity residuals (" + std::to_string(plan.transform.series.size()) + " series)";
      return s;
    }
    case cm::Profile::general:
      break;
  }
  switch (plan.transform.kind) {
    case TransformKind::big_endian:
      return "general, byte-reversed elements of " + period;
    case TransformKind::byte_planes:
      return "general, byte planes of " + period;
    case TransformKind::none:
    case TransformKind::column_delta:  // numeric plans only (read_plan_header)
    case TransformKind::column_xor:
    case TransformKind::chebyshev:
      break;
  }
  return "general";
}

cm::LevelConfig plan_config(const ChunkPlan& plan, int level) {
  if (plan.profile == cm::Profile::numeric) return cm::numeric_config(level, plan.element_bytes, plan.record_elements);
  return cm::level_config(level, plan.profile);
}

std::span<const uint8_t> coding_order(const ChunkPlan& plan, std::span<const uint8_t> chunk,
                                      std::vector<uint8_t>& storage) {
  if (plan.transform.kind == TransformKind::none) return chunk;
  storage.resize(chunk.size());
  apply_transform(plan.transform, chunk, storage);
  return storage;
}

}  // namespace nzip::codec
