// Proves that chunk method 4's byte transforms are exact inverses for every kind, period,
// column stride, Chebyshev series layout, source byte order and length (including lengths that are not a multiple of
// the period, and empty input), that they move and compute bytes where docs/FORMAT.md says,
// and that the descriptor byte round-trips while every descriptor no writer makes is refused
// as corrupt.
#include <gtest/gtest.h>

#include <vector>

#include "codec/byte_transform.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::ByteTransform;
using nzip::codec::TransformKind;
using nzip_test::code_of;

// Every transform a descriptor can name (column strides are 1 there; the Chebyshev series
// list is not in the descriptor).
std::vector<ByteTransform> described_transforms() {
  std::vector<ByteTransform> out = {{}};
  for (auto kind : {TransformKind::big_endian, TransformKind::byte_planes})
    for (uint32_t p : {2u, 4u, 8u}) out.push_back({kind, p});
  for (auto kind : {TransformKind::column_delta, TransformKind::column_xor})
    for (uint32_t p : {2u, 4u, 8u})
      for (bool big : {false, true}) out.push_back({kind, p, 1, big});
  for (bool big : {false, true}) out.push_back({TransformKind::chebyshev, 8, 1, big});
  return out;
}

// The transforms that run without a series list, plus column transforms over records of 3
// and 37 elements and Chebyshev transforms over such records (one series that wraps round
// the end of the 3-element record; two that fill all but one of the 37).
std::vector<ByteTransform> all_transforms() {
  std::vector<ByteTransform> out;
  for (const ByteTransform& t : described_transforms())
    if (t.kind != TransformKind::chebyshev) out.push_back(t);
  for (auto kind : {TransformKind::column_delta, TransformKind::column_xor})
    for (uint32_t p : {2u, 4u, 8u})
      for (uint32_t stride : {3u, 37u}) out.push_back({kind, p, stride, stride == 3});
  for (bool big : {false, true}) {
    out.push_back({TransformKind::chebyshev, 8, 3, big, {{1, 2, 1, 1}}});
    out.push_back({TransformKind::chebyshev, 8, 37, big, {{0, 5, 2, 3}, {31, 3, 1, 2}}});
  }
  return out;
}

TEST(ByteTransform, InverseRestoresEveryLength) {
  for (const ByteTransform& t : all_transforms()) {
    for (size_t n : {0, 1, 3, 7, 8, 9, 15, 16, 17, 1000, 4099}) {
      const auto in = nzip_test::random_bytes(n, n * 31 + t.period);
      std::vector<uint8_t> fwd(n), back(n);
      nzip::codec::apply_transform(t, in, fwd);
      nzip::codec::invert_transform(t, fwd, back);
      EXPECT_TRUE(nzip_test::same_bytes(in, back))
          << "kind " << int(t.kind) << " period " << t.period << " stride " << t.stride << " n " << n;
    }
  }
}

TEST(ByteTransform, MovesBytesAsDocumented) {
  const std::vector<uint8_t> in = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<uint8_t> out(in.size());
  nzip::codec::apply_transform({TransformKind::big_endian, 4}, in, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{3, 2, 1, 0, 7, 6, 5, 4, 8, 9}));  // the tail stays
  nzip::codec::apply_transform({TransformKind::byte_planes, 4}, in, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{0, 4, 1, 5, 2, 6, 3, 7, 8, 9}));
  nzip::codec::apply_transform({}, in, out);
  EXPECT_EQ(out, in);
}

// Little-endian 16-bit elements 0x0102, 0x0105, 0x0101 (and a tail byte): differences
// 0x0003 and 0xFFFC (mod 2^16), XORs 0x0007 and 0x0004, all written most significant byte
// first; with stride 2 the third element is taken against the first.
TEST(ByteTransform, ColumnTransformsComputeAsDocumented) {
  const std::vector<uint8_t> in = {0x02, 0x01, 0x05, 0x01, 0x01, 0x01, 0xAA};
  std::vector<uint8_t> out(in.size());
  nzip::codec::apply_transform({TransformKind::column_delta, 2}, in, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x01, 0x02, 0x00, 0x03, 0xFF, 0xFC, 0xAA}));
  nzip::codec::apply_transform({TransformKind::column_xor, 2}, in, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x01, 0x02, 0x00, 0x07, 0x00, 0x04, 0xAA}));
  nzip::codec::apply_transform({TransformKind::column_delta, 2, 2}, in, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x01, 0x02, 0x01, 0x05, 0xFF, 0xFF, 0xAA}));
  // Big-endian source: the same numbers stored the other way round give the same output.
  const std::vector<uint8_t> big = {0x01, 0x02, 0x01, 0x05, 0x01, 0x01, 0xAA};
  nzip::codec::apply_transform({TransformKind::column_delta, 2, 1, true}, big, out);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x01, 0x02, 0x00, 0x03, 0xFF, 0xFC, 0xAA}));
  EXPECT_EQ(nzip_test::code_of([&] { nzip::codec::apply_transform({TransformKind::column_delta, 2, 0}, in, out); }),
            ErrorCode::internal);
}

// A Chebyshev transform needs float64 elements and series that fit its record.
TEST(ByteTransform, ChebyshevRefusesSeriesThatDoNotFit) {
  const std::vector<uint8_t> in(80, 1);
  std::vector<uint8_t> out(in.size());
  const auto code = [&](const ByteTransform& t) {
    return nzip_test::code_of([&] { nzip::codec::apply_transform(t, in, out); });
  };
  EXPECT_EQ(code({TransformKind::chebyshev, 8, 5, false, {{0, 2, 2, 1}}}), ErrorCode::ok);
  EXPECT_EQ(code({TransformKind::chebyshev, 8, 5, false, {}}), ErrorCode::internal);
  EXPECT_EQ(code({TransformKind::chebyshev, 8, 5, false, {{0, 2, 3, 1}}}), ErrorCode::internal);  // 6 > 5
  EXPECT_EQ(code({TransformKind::chebyshev, 4, 5, false, {{0, 2, 2, 1}}}), ErrorCode::internal);
}

TEST(ByteTransform, DescriptorRoundTripsAndRejectsUnknown) {
  for (const ByteTransform& t : described_transforms())
    EXPECT_EQ(nzip::codec::transform_from_descriptor(nzip::codec::transform_descriptor(t)), t);
  int accepted = 0;
  for (int d = 0; d < 256; ++d) {
    const auto code = code_of([&] { nzip::codec::transform_from_descriptor(static_cast<uint8_t>(d)); });
    if (code == ErrorCode::ok) ++accepted;
    else EXPECT_EQ(code, ErrorCode::corrupt) << d;
  }
  // None, two kinds × three periods, two column kinds × three periods × two byte orders, and
  // Chebyshev (float64 only) in two byte orders.
  EXPECT_EQ(accepted, 21);
}

}  // namespace
