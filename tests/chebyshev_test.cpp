// Proves the Chebyshev continuity transform (codec/chebyshev_residuals.h, chebyshev_detect.h):
// - fixed_point_sum equals a slow exact big-integer sum truncated to float64 whenever no term
//   falls below its unit, and is within one float64 step of it otherwise;
// - float_residual and restore_float are inverses on every class of bit pattern and count
//   float64 steps;
// - a join built exactly in integers is predicted exactly;
// - on the corpus's JPL DE405 records detection finds the layout JPL documents for DE405,
//   from any starting element, the residuals are a few bits, and decoding restores every bit;
// - detection finds nothing in the corpus's other float64 tables, in random bits or in a smooth
//   table;
// - the encoder picks the transform for DE405 and the synthetic ephemeris (either byte order),
//   DE405 then codes more than 10% smaller than with the plain numeric plan, and plan headers
//   whose series list no writer makes are refused as corrupt.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "codec/chebyshev_detect.h"
#include "codec/chebyshev_residuals.h"
#include "codec/chunk_codec.h"
#include "codec/chunk_plan.h"
#include "ephemeris_support.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::ChebyshevSeries;
using nzip::codec::TransformKind;
using nzip::codec::WeightedTerm;
using nzip_test::Bytes;

__extension__ typedef unsigned __int128 UInt128;

uint64_t bits_of(double v) { return std::bit_cast<uint64_t>(v); }

// Σ weight·value exactly, in 32-bit limbs with unit 2^-1100, truncated to float64 at the end:
// the reference for fixed_point_sum (normal results only).
uint64_t exact_sum(const std::vector<WeightedTerm>& terms) {
  constexpr int kUnit = 1100, kLimbs = 72;
  std::vector<int64_t> limbs(kLimbs, 0);
  for (const WeightedTerm& t : terms) {
    const uint64_t field = t.bits >> 52 & 0x7FF, fraction = t.bits & ((uint64_t{1} << 52) - 1);
    if (field == 0x7FF || t.weight == 0) continue;
    const uint64_t mantissa = field ? fraction | uint64_t{1} << 52 : fraction;
    const int exponent = field ? static_cast<int>(field) - 1075 : -1074;
    const int at = exponent + kUnit;
    UInt128 magnitude = static_cast<UInt128>(mantissa) * static_cast<uint64_t>(std::abs(t.weight)) << (at % 32);
    const bool negative = (t.bits >> 63 != 0) != (t.weight < 0);
    for (int k = at / 32; magnitude != 0; ++k, magnitude >>= 32) {
      const auto piece = static_cast<int64_t>(static_cast<uint32_t>(magnitude));
      limbs[k] += negative ? -piece : piece;
    }
  }
  int64_t carry = 0;
  for (int64_t& limb : limbs) {
    const int64_t v = limb + carry;
    limb = v & 0xFFFFFFFF;
    carry = (v - limb) / (int64_t{1} << 32);
  }
  const bool negative = carry < 0;
  if (negative) {  // two's complement: the magnitude is 2^(32·kLimbs) − value
    int64_t borrow = 1;
    for (int64_t& limb : limbs) {
      const int64_t v = (~limb & 0xFFFFFFFF) + borrow;
      limb = v & 0xFFFFFFFF;
      borrow = v >> 32;
    }
  }
  int top = -1;
  for (int k = kLimbs - 1; k >= 0 && top < 0; --k)
    if (limbs[k]) top = 32 * k + 31 - std::countl_zero(static_cast<uint32_t>(limbs[k]));
  if (top < 0) return 0;
  uint64_t mantissa = 0;
  for (int b = top; b > top - 53; --b) mantissa = mantissa << 1 | (b >= 0 ? (limbs[b / 32] >> (b % 32) & 1) : 0);
  const auto biased = static_cast<uint64_t>(top - kUnit + 1023);
  return (negative ? uint64_t{1} << 63 : 0) | biased << 52 | (mantissa & ((uint64_t{1} << 52) - 1));
}

uint64_t order_distance(uint64_t a, uint64_t b) {
  const auto key = [](uint64_t x) { return (x >> 63) ? ~x : x | uint64_t{1} << 63; };
  return key(a) > key(b) ? key(a) - key(b) : key(b) - key(a);
}

TEST(Chebyshev, FixedPointSumMatchesTheExactSum) {
  uint64_t seed = 5;
  int exact = 0, close = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const size_t count = 1 + nzip_test::splitmix64(seed) % 128;
    // Exponents spread over 40 binary orders, or 160 so that some terms fall below the unit.
    const int spread = trial % 2 ? 40 : 160;
    const int base = static_cast<int>(nzip_test::splitmix64(seed) % 600) - 300;
    std::vector<WeightedTerm> terms;
    int largest = -100000, smallest = 100000;
    for (size_t i = 0; i < count; ++i) {
      const uint64_t r = nzip_test::splitmix64(seed);
      const int exponent = base + static_cast<int>(r % static_cast<uint64_t>(spread));
      const uint64_t bits = (r & uint64_t{1} << 63) | static_cast<uint64_t>(exponent + 1023) << 52 |
                            (nzip_test::splitmix64(seed) & ((uint64_t{1} << 52) - 1));
      auto weight = static_cast<int32_t>(nzip_test::splitmix64(seed) % 8191) - 4095;
      if (weight == 0) weight = 1;
      terms.push_back({bits, weight});
      largest = std::max(largest, exponent);
      smallest = std::min(smallest, exponent);
    }
    const uint64_t fast = nzip::codec::fixed_point_sum(terms);
    const uint64_t reference = exact_sum(terms);
    const int result_exponent = static_cast<int>(reference >> 52 & 0x7FF) - 1023;
    if (smallest - 52 >= largest + 1 - 100) {  // every term's lowest bit at or above the unit
      EXPECT_EQ(fast, reference) << "trial " << trial;
      ++exact;
    } else if (result_exponent > largest - 40) {  // no deep cancellation
      EXPECT_LE(order_distance(fast, reference), 1u) << "trial " << trial;
      ++close;
    }
  }
  EXPECT_GT(exact, 1000);
  EXPECT_GT(close, 1000);
  // Edge values: nothing, zeros, NaN and infinities count as zero; cancellation gives +0.
  EXPECT_EQ(nzip::codec::fixed_point_sum({}), 0u);
  const std::vector<WeightedTerm> specials = {{bits_of(0.0), 3}, {bits_of(INFINITY), 1}, {bits_of(NAN), 1},
                                              {bits_of(2.5), 2}, {bits_of(-5.0), 1}};
  EXPECT_EQ(nzip::codec::fixed_point_sum(specials), 0u);
  const std::vector<WeightedTerm> subnormal = {{1, 1}, {1, 1}};  // 2 · 2^-1074: below the normal range
  EXPECT_EQ(nzip::codec::fixed_point_sum(subnormal), 0u);
  const std::vector<WeightedTerm> huge = {{bits_of(1.5e308), 4000}};
  EXPECT_EQ(nzip::codec::fixed_point_sum(huge), bits_of(1.7976931348623157e308));
  EXPECT_EQ(nzip::codec::fixed_point_sum(std::vector<WeightedTerm>{{bits_of(0.75), -3}, {bits_of(1.0), 1}}),
            bits_of(-1.25));
}

TEST(Chebyshev, ResidualsInvertAndCountSteps) {
  const std::vector<uint64_t> values = {0,
                                        uint64_t{1} << 63,
                                        1,
                                        bits_of(1.0),
                                        bits_of(-1.0),
                                        bits_of(INFINITY),
                                        bits_of(-INFINITY),
                                        0x7FF8000000000123ull,
                                        0xFFF0000000000001ull,
                                        bits_of(1e300),
                                        bits_of(-3.25e-310),
                                        ~uint64_t{0}};
  for (const uint64_t a : values)
    for (const uint64_t p : values) EXPECT_EQ(nzip::codec::restore_float(nzip::codec::float_residual(a, p), p), a);
  uint64_t seed = 9;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t a = nzip_test::splitmix64(seed), p = nzip_test::splitmix64(seed);
    EXPECT_EQ(nzip::codec::restore_float(nzip::codec::float_residual(a, p), p), a);
  }
  EXPECT_EQ(nzip::codec::float_residual(bits_of(1.0), bits_of(1.0)), 0u);
  EXPECT_EQ(nzip::codec::float_residual(bits_of(std::nextafter(1.0, 2.0)), bits_of(1.0)), 2u);  // +1 step
  EXPECT_EQ(nzip::codec::float_residual(bits_of(std::nextafter(1.0, 0.0)), bits_of(1.0)), 1u);  // −1 step
  EXPECT_EQ(nzip::codec::float_residual(uint64_t{1} << 63, 0), 1u);  // −0 is one step below +0
}

// Two polynomials whose c₀ and c₁ were solved from the join in integer arithmetic.
TEST(Chebyshev, ExactJoinIsPredictedExactly) {
  const Bytes data = nzip_test::synthetic_ephemeris(4);
  std::vector<uint64_t> v(data.size() / 8);
  std::memcpy(v.data(), data.data(), data.size());
  for (size_t c = 0; c < 3; ++c) {
    const uint64_t* prev = v.data() + 4 * c;       // interval 0, component c
    const uint64_t* cur = v.data() + 12 + 4 * c;  // interval 1
    EXPECT_EQ(nzip::codec::predict_slope_coefficient(prev, cur, 4), cur[1]);
    EXPECT_EQ(nzip::codec::predict_value_coefficient(prev, cur, 4), cur[0]);
  }
  std::vector<uint64_t> coded = v;
  nzip::codec::encode_chebyshev_residuals(coded, nzip_test::kEphemerisRecordElements, nzip_test::ephemeris_series());
  size_t zeros = 0;
  for (size_t i = 0; i < v.size(); ++i) zeros += coded[i] != v[i] && coded[i] == 0;
  EXPECT_EQ(zeros, 2u * (3 * 2 * 4 - 3) + 2u * 3);  // c₀ and c₁ of 21 joins in series A and 3 in B
  nzip::codec::decode_chebyshev_residuals(coded, nzip_test::kEphemerisRecordElements, nzip_test::ephemeris_series());
  EXPECT_EQ(coded, v);
}

// JPL's DE405 header (GROUP 1050), less the two dates that casacore's table leaves out.
std::vector<ChebyshevSeries> de405_series() {
  return {{0, 14, 4, 3},   {168, 10, 2, 3}, {228, 13, 2, 3}, {306, 11, 1, 3}, {339, 8, 1, 3},
          {363, 7, 1, 3},  {384, 6, 1, 3},  {402, 6, 1, 3},  {420, 6, 1, 3},  {438, 13, 8, 3},
          {750, 11, 2, 3}, {816, 10, 4, 2}, {896, 10, 4, 3}};
}
constexpr uint32_t kDe405Record = 1018;

std::vector<uint64_t> float64_elements(const Bytes& data) {
  std::vector<uint64_t> v(data.size() / 8);
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t x = 0;
    for (int b = 7; b >= 0; --b) x = x << 8 | data[8 * i + b];
    v[i] = x;
  }
  return v;
}

TEST(Chebyshev, FindsDe405LayoutAndCodesItsJoinsInAFewBits) {
  const uint32_t records = nzip_test::small_scale() ? 12 : 40;
  const std::vector<uint64_t> v = float64_elements(
      nzip_test::read_file(nzip_test::corpus_dir() / "float/jpl_de405_cheb.rows.f64", uint64_t{records} * kDe405Record * 8));
  ASSERT_EQ(v.size(), size_t{records} * kDe405Record);
  EXPECT_EQ(nzip::codec::detect_chebyshev_series(v, kDe405Record), de405_series());
  for (const uint64_t shift : {1u, 500u, 1017u}) {
    const std::vector<uint64_t> later(v.begin() + static_cast<std::ptrdiff_t>(shift), v.end());
    EXPECT_EQ(nzip::codec::detect_chebyshev_series(later, kDe405Record),
              nzip::codec::rebase_chebyshev_series(de405_series(), kDe405Record, shift))
        << "from element " << shift;
  }
  std::vector<uint64_t> coded = v;
  nzip::codec::encode_chebyshev_residuals(coded, kDe405Record, de405_series());
  std::vector<int> widths;
  for (const auto& link : nzip::codec::chebyshev_links(v.size(), kDe405Record, de405_series()))
    for (const size_t at : {link.cur, link.cur + 1}) widths.push_back(64 - std::countl_zero(coded[at]));
  // 92 polynomials per record, all of which follow another except, in the first record, the 38
  // of the bodies' first intervals; two residuals per join.
  EXPECT_EQ(widths.size(), size_t{2} * (92 * records - 38));
  std::sort(widths.begin(), widths.end());
  EXPECT_LE(widths[widths.size() / 2], 4);        // median: a few bits
  EXPECT_LE(widths[widths.size() * 99 / 100], 14);  // 99th percentile
  EXPECT_LE(widths.back(), 17);                   // worst: 2^16 steps, against 52 mantissa bits
  nzip::codec::decode_chebyshev_residuals(coded, kDe405Record, de405_series());
  EXPECT_EQ(coded, v);
}

TEST(Chebyshev, FindsNothingInOtherTables) {
  for (const auto& [file, record] : {std::pair{"float/hep_nllscan.rows.f64", 16u}, {"float/hep_cms_zmumu.rows.f64", 15u}}) {
    const std::vector<uint64_t> v = float64_elements(nzip_test::read_file(nzip_test::corpus_dir() / file, 128 * 1024));
    EXPECT_TRUE(nzip::codec::detect_chebyshev_series(v, record).empty()) << file;
  }
  const Bytes noise = nzip_test::random_bytes(64 * 1024, 3);
  EXPECT_TRUE(nzip::codec::detect_chebyshev_series(float64_elements(noise), 64).empty());
  std::vector<uint64_t> smooth;  // a table of 24 slowly varying columns
  for (int k = 0; k < 300; ++k)
    for (int j = 0; j < 24; ++j) smooth.push_back(bits_of(1000.0 * std::sin(0.01 * k + j) + j));
  EXPECT_TRUE(nzip::codec::detect_chebyshev_series(smooth, 24).empty());
  // Too short for two records, and records shorter than a polynomial.
  EXPECT_TRUE(nzip::codec::detect_chebyshev_series(std::vector<uint64_t>(smooth.begin(), smooth.begin() + 40), 24).empty());
  EXPECT_TRUE(nzip::codec::detect_chebyshev_series(smooth, 1).empty());
}

Bytes byte_swapped_elements(Bytes data) {
  for (size_t i = 0; i + 8 <= data.size(); i += 8) std::reverse(data.begin() + static_cast<std::ptrdiff_t>(i), data.begin() + static_cast<std::ptrdiff_t>(i + 8));
  return data;
}

TEST(Chebyshev, EncoderUsesItForEphemeridesAndItPays) {
  const uint32_t records = nzip_test::small_scale() ? 24 : 64;
  const Bytes de405 =
      nzip_test::read_file(nzip_test::corpus_dir() / "float/jpl_de405_cheb.rows.f64", uint64_t{records} * kDe405Record * 8);
  const nzip::codec::ChunkPlan plan = nzip::codec::plan_chunk(de405, 3);
  ASSERT_EQ(plan.transform.kind, TransformKind::chebyshev);
  EXPECT_EQ(plan.record_elements, kDe405Record);
  EXPECT_EQ(plan.transform.series, de405_series());  // offsets from the chunk's start, not the sample's
  EXPECT_FALSE(plan.transform.source_big_endian);
  nzip::codec::ChunkPlan plain = plan;
  plain.transform = {TransformKind::big_endian, 8};
  const auto chebyshev = nzip::codec::encode_planned_chunk(de405, plan, 3);
  const auto numeric = nzip::codec::encode_planned_chunk(de405, plain, 3);
  EXPECT_LT(chebyshev.payload.size() * 10, numeric.payload.size() * 9) << chebyshev.payload.size() << " vs " << numeric.payload.size();
  Bytes out(de405.size());
  nzip::codec::decode_chunk(chebyshev.method, chebyshev.payload, out, 3);
  EXPECT_TRUE(nzip_test::same_bytes(de405, out));
  EXPECT_NE(nzip::codec::describe_plan(plan).find("Chebyshev continuity residuals (13 series)"), std::string::npos);

  // The synthetic ephemeris, little- and big-endian, without and with a given layout, from a
  // chunk that starts inside a record.
  const Bytes ephemeris = nzip_test::synthetic_ephemeris(300);  // 72,000 bytes: a given layout's trials need 64 KiB
  for (const bool big : {false, true}) {
    const Bytes data = big ? byte_swapped_elements(ephemeris) : ephemeris;
    const Bytes from_inside(data.begin() + 8 * 7, data.end());
    for (const nzip::codec::NumericHint& hint : {nzip::codec::NumericHint{}, nzip::codec::NumericHint{8, big, 30}}) {
      const nzip::codec::ChunkPlan p = nzip::codec::plan_chunk(from_inside, 3, hint);
      ASSERT_EQ(p.transform.kind, TransformKind::chebyshev) << big;
      EXPECT_EQ(p.transform.source_big_endian, big);
      EXPECT_EQ(p.transform.series, nzip::codec::rebase_chebyshev_series(nzip_test::ephemeris_series(), 30, 7));
      const auto enc = nzip::codec::encode_chunk(from_inside, 3, hint);
      Bytes back(from_inside.size());
      nzip::codec::decode_chunk(enc.method, enc.payload, back, 3);
      EXPECT_TRUE(nzip_test::same_bytes(from_inside, back)) << big;
    }
  }
}

// [profile numeric][descriptor: Chebyshev, 8 bytes][E 8][R 16], then the series list.
Bytes chebyshev_header(const std::vector<ChebyshevSeries>& series, size_t count_override = SIZE_MAX,
                       uint8_t element_bytes = 8) {
  Bytes h = {static_cast<uint8_t>(nzip::cm::Profile::numeric), 0x53, element_bytes, 16, 0, 0, 0};
  const size_t count = count_override == SIZE_MAX ? series.size() : count_override;
  h.push_back(static_cast<uint8_t>(count));
  h.push_back(static_cast<uint8_t>(count >> 8));
  for (const ChebyshevSeries& s : series) {
    for (int b = 0; b < 4; ++b) h.push_back(static_cast<uint8_t>(s.offset >> (8 * b)));
    h.insert(h.end(), {s.coefficients, s.subintervals, s.components});
  }
  return h;
}

ErrorCode header_code(const Bytes& header) {
  return nzip_test::code_of([&] {
    std::span<const uint8_t> payload(header);
    nzip::codec::read_plan_header(payload);
  });
}

TEST(Chebyshev, PlanHeaderRoundTripsAndRefusesSeriesNoWriterMakes) {
  const std::vector<ChebyshevSeries> good = {{2, 3, 2, 2}, {14, 2, 1, 2}};  // the second wraps to element 1
  const Bytes header = chebyshev_header(good);
  std::span<const uint8_t> payload(header);
  const nzip::codec::ChunkPlan plan = nzip::codec::read_plan_header(payload);
  EXPECT_TRUE(payload.empty());
  EXPECT_EQ(plan.transform.series, good);
  EXPECT_EQ(plan.transform.stride, 16u);
  Bytes written;
  nzip::codec::append_plan_header(plan, written);
  EXPECT_EQ(written, header);

  EXPECT_EQ(header_code(chebyshev_header({})), ErrorCode::corrupt);                       // no series
  EXPECT_EQ(header_code(chebyshev_header({{0, 1, 1, 1}})), ErrorCode::corrupt);           // one coefficient
  EXPECT_EQ(header_code(chebyshev_header({{0, 65, 1, 1}})), ErrorCode::corrupt);          // 65 coefficients
  EXPECT_EQ(header_code(chebyshev_header({{0, 2, 0, 1}})), ErrorCode::corrupt);           // no interval
  EXPECT_EQ(header_code(chebyshev_header({{0, 2, 1, 0}})), ErrorCode::corrupt);           // no component
  EXPECT_EQ(header_code(chebyshev_header({{16, 2, 1, 1}})), ErrorCode::corrupt);          // offset past the record
  EXPECT_EQ(header_code(chebyshev_header({{0, 3, 2, 1}, {4, 2, 1, 1}})), ErrorCode::corrupt);   // overlap
  EXPECT_EQ(header_code(chebyshev_header({{1, 3, 2, 1}, {15, 3, 1, 1}})), ErrorCode::corrupt);  // overlap across the end
  EXPECT_EQ(header_code(chebyshev_header({{8, 2, 1, 1}, {4, 2, 1, 1}})), ErrorCode::corrupt);   // out of order
  EXPECT_EQ(header_code(chebyshev_header({{0, 17, 1, 1}})), ErrorCode::corrupt);          // longer than the record
  EXPECT_EQ(header_code(chebyshev_header(good, 3)), ErrorCode::corrupt);                  // list cut short
  EXPECT_EQ(header_code(chebyshev_header(good, SIZE_MAX, 4)), ErrorCode::corrupt);        // float32 layout
  Bytes cut = chebyshev_header(good);
  cut.resize(8);
  EXPECT_EQ(header_code(cut), ErrorCode::corrupt);  // no room for the count
}

}  // namespace
