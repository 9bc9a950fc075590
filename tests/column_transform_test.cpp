// Proves that chunk method 4 uses the column transforms (differences or XOR down a column)
// when, and only when, they help: a smooth float32 series and a counter of int32 timestamps
// get one — with or without a given layout — code smaller than with the plain numeric plan,
// and round-trip; the corpus's HEP tables keep the plain plan and its JPL table gets the Chebyshev
// transform instead (numeric_profile_test);
// and a plan header that names a column transform without a matching numeric layout is
// refused as corrupt.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "codec/chunk_codec.h"
#include "codec/chunk_plan.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::ChunkPlan;
using nzip::codec::Method;
using nzip::codec::TransformKind;
using nzip_test::Bytes;
using nzip_test::code_of;

void put_le32(Bytes& b, uint32_t u) {
  for (int k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(u >> (8 * k)));
}

// 24,000 float32 samples of a slow sine (amplitude 100) plus noise of about ±0.02: a
// measured signal whose neighbours share sign, exponent and high mantissa bits. (The bits
// may differ between libms; the test needs only the shape.)
Bytes smooth_series() {
  Bytes b;
  uint32_t lcg = 12345;
  for (uint32_t i = 0; i < 24000; ++i) {
    double noise = -2.0;
    for (int k = 0; k < 4; ++k) {
      lcg = lcg * 1103515245u + 12345u;
      noise += static_cast<double>(lcg >> 8) / 16777216.0;
    }
    const auto v = static_cast<float>(std::sin(i * 0.001) * 100.0 + noise * 0.01);
    uint32_t u;
    std::memcpy(&u, &v, 4);
    put_le32(b, u);
  }
  return b;
}

// 20,000 increasing uint32 timestamps with steps of 0..1023: small differences, wide values.
Bytes timestamps() {
  Bytes b;
  uint32_t lcg = 777, t = 1700000000u;
  for (uint32_t i = 0; i < 20000; ++i) {
    lcg = lcg * 1664525u + 1013904223u;
    t += lcg >> 22;
    put_le32(b, t);
  }
  return b;
}

bool is_column(const ChunkPlan& p) {
  return p.transform.kind == TransformKind::column_delta || p.transform.kind == TransformKind::column_xor;
}

// The chunk coded with `plan`, checked to decode back to `data`; its payload size.
size_t coded_size(const Bytes& data, const ChunkPlan& plan, int level) {
  const auto enc = nzip::codec::encode_planned_chunk(data, plan, level);
  EXPECT_EQ(enc.method, Method::cm_planned);
  Bytes out(data.size());
  nzip::codec::decode_chunk(enc.method, enc.payload, out, level);
  EXPECT_TRUE(nzip_test::same_bytes(data, out));
  return enc.payload.size();
}

TEST(ColumnTransform, ChosenForSmoothSeriesAndCountersAndSmallerThanThePlainPlan) {
  for (const Bytes& data : {smooth_series(), timestamps()}) {
    for (const bool hinted : {false, true}) {
      nzip::codec::NumericHint hint;
      if (hinted) hint = {4, false, 1};
      const ChunkPlan plan = nzip::codec::plan_chunk(data, 3, hint);
      ASSERT_EQ(plan.profile, nzip::cm::Profile::numeric) << hinted;
      ASSERT_TRUE(is_column(plan)) << nzip::codec::describe_plan(plan);
      EXPECT_EQ(plan.element_bytes, 4u);
      EXPECT_EQ(plan.transform.stride, plan.record_elements);
      ChunkPlan plain = plan;
      plain.transform = {TransformKind::big_endian, 4};
      const size_t with = coded_size(data, plan, 3), without = coded_size(data, plain, 3);
      EXPECT_LT(with * 100, without * 97) << "column " << with << " plain " << without;
    }
  }
}

TEST(ColumnTransform, BigEndianSourceRoundTrips) {
  Bytes data = smooth_series();
  for (size_t i = 0; i + 4 <= data.size(); i += 4) std::swap(data[i], data[i + 3]), std::swap(data[i + 1], data[i + 2]);
  const ChunkPlan plan = nzip::codec::plan_chunk(data, 3, {4, true, 1});
  ASSERT_TRUE(is_column(plan)) << nzip::codec::describe_plan(plan);
  EXPECT_TRUE(plan.transform.source_big_endian);
  coded_size(data, plan, 3);
}

TEST(ColumnTransform, HeaderWithoutMatchingLayoutIsCorrupt) {
  const Bytes data = timestamps();
  const auto enc = nzip::codec::encode_chunk(data, 1);
  ASSERT_EQ(enc.method, Method::cm_planned);
  const uint8_t descriptor = enc.payload[1];
  ASSERT_TRUE(descriptor >> 4 == 3 || descriptor >> 4 == 4) << int(descriptor);  // a column transform
  Bytes out(data.size());
  auto decode = [&](const Bytes& payload) {
    return code_of([&] { nzip::codec::decode_chunk(Method::cm_planned, payload, out, 1); });
  };
  EXPECT_EQ(decode(enc.payload), ErrorCode::ok);
  Bytes general = enc.payload;  // the general profile has no columns to follow
  general[0] = static_cast<uint8_t>(nzip::cm::Profile::general);
  EXPECT_EQ(decode(general), ErrorCode::corrupt);
  Bytes other_period = enc.payload;  // 8-byte columns over 4-byte elements
  other_period[1] = static_cast<uint8_t>((descriptor & 0xF8) | 3);
  EXPECT_EQ(decode(other_period), ErrorCode::corrupt);
}

}  // namespace
