// Proves the numeric profile of chunk method 4: the record length is found in synthetic and
// real records; the encoder picks the numeric profile for the corpus float tables by itself;
// a layout given by the caller (nzip --dtype/--record) round-trips at every level and thread
// count for little- and big-endian floats, integers, partial last elements and tiny inputs,
// with output bytes that do not depend on the thread count; bad layouts are refused up front;
// and a damaged numeric header is a corrupt-data error, not a crash.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "codec/byte_transform.h"
#include "codec/chunk_codec.h"
#include "codec/chunk_plan.h"
#include "codec/cm_coding.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::Method;
using nzip::codec::TransformKind;
using nzip_test::code_of;
using nzip_test::corpus_dir;
using nzip_test::read_file;
using Bytes = std::vector<uint8_t>;

// `records` records of `fields` float32 fields: field f has its own magnitude (2^f) and a
// pseudo-random mantissa, so the top bytes repeat with the record length. Little-endian
// unless big_endian; made from integers so every platform produces the same bits.
Bytes float_records(uint32_t records, uint32_t fields, bool big_endian) {
  uint64_t state = 42;
  Bytes b;
  for (uint32_t r = 0; r < records; ++r)
    for (uint32_t f = 0; f < fields; ++f) {
      const uint32_t mantissa = static_cast<uint32_t>(nzip_test::splitmix64(state) & 0x7FFFFF);
      const uint32_t bits = (127u + f) << 23 | mantissa;
      for (int k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(bits >> (8 * (big_endian ? 3 - k : k))));
    }
  return b;
}

// The bytes of `data` with each `e`-byte element reversed (most significant byte first).
Bytes msb_first(const Bytes& data, uint32_t e) {
  Bytes out(data.size());
  nzip::codec::apply_transform({nzip::codec::TransformKind::big_endian, e}, data, out);
  return out;
}

nzip::CompressOptions layout_options(uint32_t element_bytes, bool big_endian, uint64_t record_bytes, int level,
                                     unsigned threads, uint64_t chunk_size = 0) {
  nzip::CompressOptions o;
  o.level = level;
  o.threads = threads;
  o.chunk_size = chunk_size;
  o.layout = {element_bytes, big_endian, record_bytes};
  return o;
}

TEST(NumericProfile, FindsTheRecordLengthOfRecordsAndNoneInAColumn) {
  EXPECT_EQ(nzip::codec::detect_record_elements(msb_first(float_records(2000, 7, false), 4), 4, 4096), 7u);
  EXPECT_EQ(nzip::codec::detect_record_elements(msb_first(float_records(300, 37, false), 4), 4, 4096), 37u);
  // One slowly rising float64 column: each element is most like the one before it.
  Bytes column;
  for (uint64_t i = 0; i < 20000; ++i) {
    const uint64_t bits = (uint64_t{1023 + i / 1000} << 52) | ((i * 0x9E3779B97F4A7C15ull) >> 12);
    for (int k = 7; k >= 0; --k) column.push_back(static_cast<uint8_t>(bits >> (8 * k)));
  }
  EXPECT_EQ(nzip::codec::detect_record_elements(column, 8, 4096), 1u);
  // Too few elements to look for anything: no record.
  EXPECT_EQ(nzip::codec::detect_record_elements(Bytes(12, 7), 4, 4096), 1u);
  EXPECT_EQ(nzip::codec::detect_record_elements({}, 8, 4096), 1u);
}

TEST(NumericProfile, EncoderPicksItForCorpusFloatTables) {
  const uint64_t n = nzip_test::small_scale() ? 256 * 1024 : 512 * 1024;
  struct Case {
    const char* file;
    uint32_t element_bytes;
    uint32_t record_elements;
    TransformKind transform;
  };
  // The JPL coefficients get their Chebyshev continuity residuals (tests/chebyshev_test.cpp).
  for (const Case& c : {Case{"float/hep_cms_zmumu.rows.f64", 8, 15, TransformKind::big_endian},
                        Case{"float/hep_alice_hyp3o2.rows.f32", 4, 37, TransformKind::big_endian},
                        Case{"float/hep_nllscan.rows.f64", 8, 16, TransformKind::big_endian},
                        Case{"float/jpl_de405_cheb.rows.f64", 8, 1018, TransformKind::chebyshev}}) {
    const Bytes data = read_file(corpus_dir() / c.file, n);
    const auto plan = nzip::codec::plan_chunk(data, 6);
    EXPECT_EQ(plan.profile, nzip::cm::Profile::numeric) << c.file;
    EXPECT_EQ(plan.element_bytes, c.element_bytes) << c.file;
    EXPECT_EQ(plan.record_elements, c.record_elements) << c.file;
    EXPECT_EQ(plan.transform.kind, c.transform) << c.file;
  }
  // The encoder's own choice round-trips (the given-layout test below covers more inputs).
  const Bytes data = read_file(corpus_dir() / "float/hep_alice_hyp3o2.rows.f32", 64 * 1024);
  const auto enc = nzip::codec::encode_chunk(data, 1);
  ASSERT_EQ(enc.method, Method::cm_planned);
  EXPECT_EQ(enc.payload[0], static_cast<uint8_t>(nzip::cm::Profile::numeric));
  Bytes out(data.size());
  nzip::codec::decode_chunk(enc.method, enc.payload, out, 1);
  EXPECT_TRUE(nzip_test::same_bytes(data, out));
}

TEST(NumericProfile, GivenLayoutsRoundTripWithTheSameBytesForAnyThreadCount) {
  Bytes int16_ramp;
  for (uint32_t i = 0; i < 3000; ++i) {
    const uint16_t v = static_cast<uint16_t>(i * 7 + (i % 5));
    int16_ramp.push_back(static_cast<uint8_t>(v));
    int16_ramp.push_back(static_cast<uint8_t>(v >> 8));
  }
  Bytes partial = float_records(200, 3, false);
  partial.erase(partial.end() - 3, partial.end());  // ends inside an element
  struct Case {
    const char* what;
    Bytes data;
    uint32_t element_bytes;
    bool big_endian;
    uint64_t record_bytes;
  };
  const Case cases[] = {
      {"f4 records, record given", float_records(500, 5, false), 4, false, 20},
      {"f4 records, record detected", float_records(500, 5, false), 4, false, 0},
      {"big-endian f4 records", float_records(500, 5, true), 4, true, 20},
      {"f4 data read as f8", float_records(301, 4, false), 8, false, 0},
      {"i2 ramp", int16_ramp, 2, false, 0},
      {"partial last element", partial, 4, false, 12},
      {"shorter than an element", Bytes{1, 2, 3}, 4, false, 0},
      {"one byte", Bytes{9}, 8, false, 16},
      {"empty", Bytes{}, 4, false, 0},
  };
  for (const Case& c : cases) {
    for (const int level : {1, 6, 9}) {
      // 1000-byte chunks (rounded down to whole elements) give several chunks per input.
      const Bytes one = nzip::compress(c.data, layout_options(c.element_bytes, c.big_endian, c.record_bytes, level, 1, 1001));
      const Bytes two = nzip::compress(c.data, layout_options(c.element_bytes, c.big_endian, c.record_bytes, level, 3, 1001));
      EXPECT_EQ(one, two) << c.what << " level " << level;
      EXPECT_TRUE(nzip_test::same_bytes(c.data, nzip::decompress(one))) << c.what << " level " << level;
      EXPECT_EQ(nzip::inspect(one).chunk_size, 1001 / c.element_bytes * c.element_bytes) << c.what;
    }
  }
}

TEST(NumericProfile, CodesRecordsSmallerThanTheGeneralProfile) {
  const Bytes data = read_file(corpus_dir() / "float/hep_cms_zmumu.rows.f64", 128 * 1024);
  // The general profile's best plan for these records: big-endian 8-byte elements.
  std::vector<uint8_t> general;
  nzip::codec::encode_cm(msb_first(data, 8), nzip::cm::level_config(3), general);
  const Bytes numeric = nzip::compress(data, layout_options(8, false, 120, 3, 1));
  EXPECT_TRUE(nzip_test::same_bytes(data, nzip::decompress(numeric)));
  EXPECT_LT(numeric.size() * 100, general.size() * 99) << "the numeric profile should win by 1% at least";
}

TEST(NumericProfile, BadLayoutsAreRefusedBeforeAnyOutput) {
  const Bytes data = float_records(10, 2, false);
  EXPECT_EQ(code_of([&] { nzip::compress(data, layout_options(3, false, 0, 6, 1)); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { nzip::compress(data, layout_options(16, false, 0, 6, 1)); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { nzip::compress(data, layout_options(4, false, 6, 6, 1)); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { nzip::compress(data, layout_options(0, false, 8, 6, 1)); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { nzip::compress(data, layout_options(2, false, 2 * (uint64_t{1} << 16) + 2, 6, 1)); }),
            ErrorCode::invalid_argument);
}

TEST(NumericProfile, DamagedNumericHeaderIsCorrupt) {
  const Bytes data = float_records(200, 4, false);
  const auto enc = nzip::codec::encode_chunk(data, 1, {4, false, 4});
  ASSERT_EQ(enc.method, Method::cm_planned);
  ASSERT_EQ(enc.payload[0], static_cast<uint8_t>(nzip::cm::Profile::numeric));
  Bytes out(data.size());
  auto decode = [&](const Bytes& payload) {
    return code_of([&] { nzip::codec::decode_chunk(Method::cm_planned, payload, out, 1); });
  };
  EXPECT_EQ(decode(enc.payload), ErrorCode::ok);
  EXPECT_TRUE(nzip_test::same_bytes(data, out));
  // Layout: [2] element bytes, [3..6] record elements (little-endian).
  for (const int e : {0, 1, 3, 5, 16, 255}) {
    Bytes bad = enc.payload;
    bad[2] = static_cast<uint8_t>(e);
    EXPECT_EQ(decode(bad), ErrorCode::corrupt) << "element bytes " << e;
  }
  Bytes zero_record = enc.payload;
  std::memset(zero_record.data() + 3, 0, 4);
  EXPECT_EQ(decode(zero_record), ErrorCode::corrupt);
  Bytes huge_record = enc.payload;
  std::memset(huge_record.data() + 3, 0xFF, 4);
  EXPECT_EQ(decode(huge_record), ErrorCode::corrupt);
  for (size_t cut = 0; cut < 7; ++cut) EXPECT_EQ(decode(Bytes(enc.payload.begin(), enc.payload.begin() + cut)), ErrorCode::corrupt);
}

}  // namespace
