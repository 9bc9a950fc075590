// Proves the dataset section (docs/FORMAT.md, "Dataset section"; nzip --dataset): a container
// made with CompressOptions::dataset decodes to the same bytes streaming, by random access and
// through inspect, which returns the description unchanged; decompress_stream hands it to
// on_dataset before the first byte; the section sits at the documented offsets with header
// flag bit 1; empty and scalar datasets round-trip; a damaged head or body, a size beyond the
// limits, an unknown kind, reserved bytes, truncation, a flag without its section and a shape
// that disagrees with the chunks are each refused with their error code; an optional unknown
// flag bit is ignored and an unknown required one refused; the encoder refuses descriptions a
// reader would refuse, and an input whose length differs from the description.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "api/memory_io.h"
#include "core/hash.h"
#include "core/le_io.h"
#include "format/dataset_section.h"
#include "format/layout.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace nzip {
namespace {

using nzip_test::Bytes;
using nzip_test::code_of;

DatasetInfo sample_info(uint64_t rows, uint64_t cols) {
  DatasetInfo d;
  d.name = "/group/x";
  d.type = {0x03, 0x10, 0x20, 0x00, 0x00, 0x00, 0x08};  // opaque to the format
  d.element_size = 8;
  d.dims = {rows, cols};
  return d;
}

void expect_same(const DatasetInfo& a, const DatasetInfo& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.element_size, b.element_size);
  EXPECT_EQ(a.dims, b.dims);
}

Bytes make_container(const Bytes& input, const DatasetInfo& d) {
  CompressOptions o;
  o.level = 1;
  o.threads = 1;
  o.chunk_size = 4096;
  o.dataset = d;
  return compress(input, o);
}

// Re-encodes the header of `c` with `flags` (and a valid check).
void set_flags(Bytes& c, uint32_t flags) {
  format::Header h = format::parse_header(std::span<const uint8_t, format::kHeaderSize>(c.data(), format::kHeaderSize));
  h.flags = flags;
  const auto bytes = format::encode_header(h);
  std::copy(bytes.begin(), bytes.end(), c.begin());
}

// Rewrites the section's head field at `offset` (from the head's start) and fixes the head check.
void patch_head(Bytes& c, size_t offset, uint32_t value, size_t width) {
  uint8_t* head = c.data() + format::kHeaderSize;
  if (width == 1) head[offset] = static_cast<uint8_t>(value);
  else if (width == 2) core::store_le16(head + offset, static_cast<uint16_t>(value));
  else core::store_le32(head + offset, value);
  core::store_le32(head + 20, core::check32(std::span<const uint8_t>(head, 20)));
}

TEST(DatasetSection, RoundTripsStreamingRandomAccessAndInspect) {
  const DatasetInfo d = sample_info(1000, 3);
  const Bytes input = nzip_test::random_bytes(24000, 5);
  const Bytes c = make_container(input, d);
  EXPECT_EQ(decompress(c), input);

  // on_dataset comes before the first byte reaches the sink.
  std::vector<uint8_t> out;
  struct OrderSink final : ByteSink {
    std::vector<uint8_t>& out;
    bool& seen;
    OrderSink(std::vector<uint8_t>& o, bool& s) : out(o), seen(s) {}
    void write(const uint8_t* p, size_t n) override {
      EXPECT_TRUE(seen) << "bytes arrived before on_dataset";
      out.insert(out.end(), p, p + n);
    }
  };
  bool seen = false;
  DatasetInfo got;
  OrderSink sink(out, seen);
  DecompressOptions o;
  o.threads = 2;
  o.on_dataset = [&](const DatasetInfo* p) {
    ASSERT_NE(p, nullptr);
    got = *p;
    seen = true;
  };
  api::SpanSource src(c);
  decompress_stream(src, sink, o);
  EXPECT_EQ(out, input);
  expect_same(got, d);

  const ContainerInfo info = inspect(c);
  ASSERT_TRUE(info.dataset.has_value());
  expect_same(*info.dataset, d);
  EXPECT_EQ(info.original_size, input.size());
  const Bytes chunk2 = decompress_chunk(c, 2);
  EXPECT_TRUE(std::equal(chunk2.begin(), chunk2.end(), input.begin() + 8192));

  // A container without the section reports nullptr.
  bool called = false;
  DecompressOptions plain;
  plain.on_dataset = [&](const DatasetInfo* p) {
    called = true;
    EXPECT_EQ(p, nullptr);
  };
  CompressOptions co;
  co.level = 1;
  const Bytes c2 = compress(input, co);
  api::SpanSource src2(c2);
  std::vector<uint8_t> out2;
  api::VectorSink sink2(out2);
  decompress_stream(src2, sink2, plain);
  EXPECT_TRUE(called);
  EXPECT_FALSE(inspect(c2).dataset.has_value());
}

TEST(DatasetSection, SitsAtTheDocumentedOffsets) {
  const DatasetInfo d = sample_info(2, 2);
  const Bytes input(32, 7);
  const Bytes c = make_container(input, d);
  EXPECT_EQ(core::load_le32(c.data() + 12), format::kFlagDataset);
  const uint8_t* s = c.data() + format::kHeaderSize;
  EXPECT_EQ(std::string(s, s + 4), "DSET");
  EXPECT_EQ(s[4], 1);                          // kind: HDF5
  EXPECT_EQ(s[5], 2);                          // rank
  EXPECT_EQ(core::load_le16(s + 6), 0);        // reserved
  EXPECT_EQ(core::load_le32(s + 8), 8u);       // element size
  EXPECT_EQ(core::load_le32(s + 12), 8u);      // name size ("/group/x")
  EXPECT_EQ(core::load_le32(s + 16), 7u);      // type size
  EXPECT_EQ(core::load_le32(s + 20), core::check32(std::span<const uint8_t>(s, 20)));
  EXPECT_EQ(core::load_le64(s + 24), 2u);      // dims
  EXPECT_EQ(core::load_le64(s + 32), 2u);
  EXPECT_EQ(std::string(s + 40, s + 48), "/group/x");
  EXPECT_TRUE(std::equal(d.type.begin(), d.type.end(), s + 48));
  const size_t body = 16 + 8 + 7;
  EXPECT_EQ(core::load_le64(s + 24 + body), core::xxh3_64(std::span<const uint8_t>(s + 24, body)));
  // The first frame follows: header + head + body + body check.
  const size_t first_frame = format::kHeaderSize + 24 + body + 8;
  EXPECT_EQ(std::string(c.data() + first_frame, c.data() + first_frame + 4), "CHNK");
  EXPECT_EQ(inspect(c).chunks.at(0).offset, first_frame);
}

TEST(DatasetSection, EmptyAndScalarDatasetsRoundTrip) {
  DatasetInfo empty = sample_info(0, 3);
  const Bytes c = make_container({}, empty);
  EXPECT_TRUE(decompress(c).empty());
  EXPECT_EQ(inspect(c).chunks.size(), 0u);
  expect_same(*inspect(c).dataset, empty);

  DatasetInfo scalar = sample_info(1, 1);
  scalar.dims.clear();  // rank 0: one element
  const Bytes one(8, 0x42);
  const Bytes c2 = make_container(one, scalar);
  EXPECT_EQ(decompress(c2), one);
  expect_same(*inspect(c2).dataset, scalar);
}

TEST(DatasetSection, DamageAndLimitsHaveTheirErrorCodes) {
  const DatasetInfo d = sample_info(4, 4);
  const Bytes input = nzip_test::random_bytes(128, 9);
  const Bytes good = make_container(input, d);
  auto both = [](const Bytes& c) {
    const ErrorCode stream = code_of([&] { decompress(c); });
    const ErrorCode view = code_of([&] { inspect(c); });
    EXPECT_EQ(stream, view);
    return stream;
  };
  ASSERT_EQ(both(good), ErrorCode::ok);

  Bytes c = good;
  c[format::kHeaderSize + 9] ^= 1;  // element size, head check not fixed
  EXPECT_EQ(both(c), ErrorCode::corrupt);
  c = good;
  c[format::kHeaderSize + 24 + 32 + 2] ^= 0x20;  // a byte of the name
  EXPECT_EQ(both(c), ErrorCode::corrupt);
  c = good;
  c[format::kHeaderSize + 0] = 'X';  // tag
  EXPECT_EQ(both(c), ErrorCode::corrupt);

  c = good;
  patch_head(c, 12, format::kMaxDatasetNameSize + 1, 4);  // oversized name, valid head check
  EXPECT_EQ(both(c), ErrorCode::limit_exceeded);
  c = good;
  patch_head(c, 16, 0xFFFFFFFFu, 4);  // oversized type
  EXPECT_EQ(both(c), ErrorCode::limit_exceeded);
  c = good;
  patch_head(c, 5, 33, 1);  // rank beyond HDF5's 32
  EXPECT_EQ(both(c), ErrorCode::corrupt);
  c = good;
  patch_head(c, 4, 2, 1);  // an unknown kind
  EXPECT_EQ(both(c), ErrorCode::unsupported_version);
  c = good;
  patch_head(c, 6, 1, 2);  // reserved
  EXPECT_EQ(both(c), ErrorCode::corrupt);
  c = good;
  patch_head(c, 8, 0, 4);  // element size 0
  EXPECT_EQ(both(c), ErrorCode::corrupt);
  c = good;
  patch_head(c, 12, 0, 4);  // empty name
  EXPECT_EQ(both(c), ErrorCode::corrupt);

  // Truncated inside the section (streaming: the reader wants more; in memory likewise).
  c.assign(good.begin(), good.begin() + format::kHeaderSize + 30);
  EXPECT_EQ(code_of([&] { decompress(c); }), ErrorCode::truncated);
  EXPECT_EQ(code_of([&] { inspect(c); }), ErrorCode::truncated);
}

TEST(DatasetSection, ShapeMustMatchTheChunks) {
  const DatasetInfo d = sample_info(4, 4);
  const Bytes input = nzip_test::random_bytes(128, 9);
  Bytes c = make_container(input, d);
  // The same-sized section with another shape (a valid section, a wrong description).
  const Bytes other = format::encode_dataset_section(sample_info(8, 4));
  std::copy(other.begin(), other.end(), c.begin() + format::kHeaderSize);
  EXPECT_EQ(code_of([&] { decompress(c); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { inspect(c); }), ErrorCode::corrupt);
}

TEST(DatasetSection, FlagBitsAreHandledAsDocumented) {
  const DatasetInfo d = sample_info(4, 4);
  const Bytes input = nzip_test::random_bytes(128, 9);
  const Bytes good = make_container(input, d);
  Bytes c = good;
  set_flags(c, format::kFlagDataset | (1u << 16));  // an unknown optional bit: ignored
  EXPECT_EQ(decompress(c), input);
  EXPECT_EQ(code_of([&] { inspect(c); }), ErrorCode::ok);
  set_flags(c, format::kFlagDataset | (1u << 2));  // an unknown required bit: refused
  EXPECT_EQ(code_of([&] { decompress(c); }), ErrorCode::unsupported_version);
  EXPECT_EQ(code_of([&] { inspect(c); }), ErrorCode::unsupported_version);

  // The flag on a container without the section: a frame where the section should be.
  CompressOptions o;
  o.level = 1;
  Bytes plain = compress(input, o);
  set_flags(plain, format::kFlagDataset);
  EXPECT_EQ(code_of([&] { decompress(plain); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { inspect(plain); }), ErrorCode::corrupt);
  // The section without the flag: a reader takes its tag for a bad frame.
  c = good;
  set_flags(c, 0);
  EXPECT_EQ(code_of([&] { decompress(c); }), ErrorCode::corrupt);
}

TEST(DatasetSection, EncoderRefusesWhatReadersWouldRefuse) {
  auto refused = [](auto mutate) {
    DatasetInfo d = sample_info(2, 2);
    mutate(d);
    return code_of([&] { format::encode_dataset_section(d); });
  };
  EXPECT_EQ(refused([](DatasetInfo&) {}), ErrorCode::ok);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.name.clear(); }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.name = std::string("/a\0b", 4); }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.name.assign(70000, 'x'); }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.type.clear(); }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.dims.assign(33, 1); }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.element_size = 0; }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.kind = 2; }), ErrorCode::invalid_argument);
  EXPECT_EQ(refused([](DatasetInfo& d) { d.dims = {uint64_t{1} << 40, uint64_t{1} << 30}; }),
            ErrorCode::invalid_argument);  // 2^73 bytes

  // The input must hold exactly what the description says.
  CompressOptions o;
  o.level = 1;
  o.dataset = sample_info(4, 4);
  const Bytes short_input(127, 1);
  EXPECT_EQ(code_of([&] { compress(short_input, o); }), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace nzip
