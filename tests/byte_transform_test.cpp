// Proves that chunk method 4's byte transforms are exact inverses for every kind, period and
// length (including lengths that are not a multiple of the period, and empty input), that
// they move bytes where docs/FORMAT.md says, and that the descriptor byte round-trips while
// every descriptor no writer makes is refused as corrupt.
#include <gtest/gtest.h>

#include <vector>

#include "codec/byte_transform.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::ByteTransform;
using nzip::codec::TransformKind;
using nzip_test::code_of;

std::vector<ByteTransform> all_transforms() {
  std::vector<ByteTransform> out = {{}};
  for (auto kind : {TransformKind::big_endian, TransformKind::byte_planes})
    for (uint32_t p : {2u, 4u, 8u}) out.push_back({kind, p});
  return out;
}

TEST(ByteTransform, InverseRestoresEveryLength) {
  for (const ByteTransform& t : all_transforms()) {
    for (size_t n : {0, 1, 3, 7, 8, 9, 15, 16, 17, 1000, 4099}) {
      const auto in = nzip_test::random_bytes(n, n * 31 + t.period);
      std::vector<uint8_t> fwd(n), back(n);
      nzip::codec::apply_transform(t, in, fwd);
      nzip::codec::invert_transform(t, fwd, back);
      EXPECT_TRUE(nzip_test::same_bytes(in, back)) << "kind " << int(t.kind) << " period " << t.period << " n " << n;
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

TEST(ByteTransform, DescriptorRoundTripsAndRejectsUnknown) {
  for (const ByteTransform& t : all_transforms())
    EXPECT_EQ(nzip::codec::transform_from_descriptor(nzip::codec::transform_descriptor(t)), t);
  int accepted = 0;
  for (int d = 0; d < 256; ++d) {
    const auto code = code_of([&] { nzip::codec::transform_from_descriptor(static_cast<uint8_t>(d)); });
    if (code == ErrorCode::ok) ++accepted;
    else EXPECT_EQ(code, ErrorCode::corrupt) << d;
  }
  EXPECT_EQ(accepted, 7);  // none, and two kinds × three periods
}

}  // namespace
