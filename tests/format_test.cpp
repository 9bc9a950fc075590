// Proves the container layout of docs/FORMAT.md byte for byte: little-endian 64-bit fields
// round-trip far beyond 4 GiB (synthetic index entries, offsets and totals, without
// allocating 4 GiB), every header/frame/index/footer field is checked on parse with the
// right error code, the chunk-sequence rules hold, and an empty container has exactly the
// documented bytes at the documented offsets.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/hash.h"
#include "core/le_io.h"
#include "format/container_view.h"
#include "format/layout.h"
#include "format/stream_reader.h"
#include "format/stream_writer.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using namespace nzip;
using namespace nzip::format;

constexpr uint64_t kGiB = uint64_t{1} << 30;

using nzip_test::code_of;

Header valid_header() {
  Header h;
  h.level = 6;
  h.chunk_size = 2u << 20;
  return h;
}

TEST(LittleEndian, SixtyFourBitFieldsRoundTripBeyondFourGiB) {
  for (uint64_t v : {uint64_t{0}, uint64_t{0xFFFFFFFF}, uint64_t{0x100000000}, 5 * kGiB + 3,
                     uint64_t{0x0123456789ABCDEF}, UINT64_MAX}) {
    std::array<uint8_t, 8> b{};
    core::store_le64(b.data(), v);
    EXPECT_EQ(core::load_le64(b.data()), v);
  }
  std::array<uint8_t, 8> b{};
  core::store_le64(b.data(), 0x0102030405060708);
  EXPECT_EQ(b, (std::array<uint8_t, 8>{8, 7, 6, 5, 4, 3, 2, 1}));  // little-endian on any host
}

TEST(LittleEndian, ByteReaderNeverReadsPastTheEnd) {
  std::array<uint8_t, 5> b{1, 2, 3, 4, 5};
  core::ByteReader r(b, "test");
  EXPECT_EQ(r.u32(), 0x04030201u);
  EXPECT_EQ(code_of([&] { r.u16(); }), ErrorCode::truncated);
  EXPECT_EQ(r.u8(), 5);
  EXPECT_EQ(code_of([&] { r.u8(); }), ErrorCode::truncated);
}

TEST(Header, RoundTripsEveryField) {
  Header h = valid_header();
  h.version_minor = 7;     // a later minor version stays readable
  h.flags = 0x00010000u;   // unknown optional flag: ignored
  h.chunk_size = kMaxChunkSize;
  Header back = parse_header(encode_header(h));
  EXPECT_EQ(back.version_minor, 7);
  EXPECT_EQ(back.flags, 0x00010000u);
  EXPECT_EQ(back.level, 6);
  EXPECT_EQ(back.chunk_size, kMaxChunkSize);
}

TEST(Header, EachBadFieldHasItsErrorCode) {
  auto with = [](auto mutate) {
    Header h = valid_header();
    mutate(h);
    auto bytes = encode_header(h);
    return code_of([&] { parse_header(bytes); });
  };
  EXPECT_EQ(with([](Header& h) { h.version_major = 2; }), ErrorCode::unsupported_version);
  EXPECT_EQ(with([](Header& h) { h.flags = 4; }), ErrorCode::unsupported_version);       // unknown required flag
  EXPECT_EQ(with([](Header& h) { h.flags = kFlagDataset; }), ErrorCode::ok);             // bit 1: a dataset section
  EXPECT_EQ(with([](Header& h) { h.flags = kFlagEmbeddedModel; }), ErrorCode::corrupt);  // embedded model, no network
  EXPECT_EQ(with([](Header& h) { h.level = 0; }), ErrorCode::corrupt);
  EXPECT_EQ(with([](Header& h) { h.level = 10; }), ErrorCode::corrupt);
  EXPECT_EQ(with([](Header& h) { h.chunk_size = 0; }), ErrorCode::corrupt);
  EXPECT_EQ(with([](Header& h) { h.chunk_size = kMaxChunkSize + 1; }), ErrorCode::limit_exceeded);
  EXPECT_EQ(with([](Header& h) { h.chunk_size = UINT64_MAX; }), ErrorCode::limit_exceeded);
  EXPECT_EQ(with([](Header& h) { h.predictor = 2; }), ErrorCode::model_mismatch);
  EXPECT_EQ(with([](Header& h) { h.predictor = 1; }), ErrorCode::corrupt);  // network kind without an identity
  EXPECT_EQ(with([](Header& h) {
              h.predictor = 1;
              h.model_id[0] = 7;
            }),
            ErrorCode::ok);
  EXPECT_EQ(with([](Header& h) { h.model_id[3] = 1; }), ErrorCode::corrupt);

  auto bytes = encode_header(valid_header());
  bytes[0] ^= 1;
  EXPECT_EQ(code_of([&] { parse_header(bytes); }), ErrorCode::bad_magic);
  bytes = encode_header(valid_header());
  bytes[40] ^= 1;  // chunk size, without fixing the checksum
  EXPECT_EQ(code_of([&] { parse_header(bytes); }), ErrorCode::corrupt);
  bytes = encode_header(valid_header());
  bytes[18] = 1;  // reserved
  EXPECT_EQ(code_of([&] { parse_header(bytes); }), ErrorCode::corrupt);
}

TEST(FrameHeader, RoundTripsAndIsBoundToItsChunkNumber) {
  Header h = valid_header();
  h.chunk_size = kMaxChunkSize;
  FrameHeader f{kMethodCm, kMaxChunkSize, kMaxChunkSize - 1, 0xFEDCBA9876543210};
  const uint64_t chunk = 5'000'000'000;  // chunk numbers are 64-bit too
  auto bytes = encode_frame_header(f, chunk);
  FrameHeader back = parse_frame_header(bytes, chunk, h);
  EXPECT_EQ(back.method, kMethodCm);
  EXPECT_EQ(back.original_size, kMaxChunkSize);
  EXPECT_EQ(back.payload_size, kMaxChunkSize - 1);
  EXPECT_EQ(back.checksum, 0xFEDCBA9876543210u);
  try {
    parse_frame_header(bytes, chunk + 1, h);  // a frame moved to another position
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::corrupt);
    EXPECT_EQ(e.chunk(), chunk + 1);
  }
}

TEST(FrameHeader, SizesAreCheckedAgainstTheHeader) {
  Header h = valid_header();
  auto code = [&](FrameHeader f) {
    auto bytes = encode_frame_header(f, 0);
    return code_of([&] { parse_frame_header(bytes, 0, h); });
  };
  EXPECT_EQ(code({kMethodStored, 10, 10, 0}), ErrorCode::ok);
  EXPECT_EQ(code({kMethodStored, 10, 9, 0}), ErrorCode::corrupt);    // stored: payload = original
  EXPECT_EQ(code({kMethodCm, 10, 11, 0}), ErrorCode::corrupt);       // payload > original
  EXPECT_EQ(code({kMethodCm, 0, 0, 0}), ErrorCode::corrupt);         // empty chunk
  EXPECT_EQ(code({kMethodCm, h.chunk_size + 1, 5, 0}), ErrorCode::corrupt);
  EXPECT_EQ(code({kMaxMethod + 1, 10, 10, 0}), ErrorCode::corrupt);  // unknown method
}

TEST(Index, EntriesAndHeadRoundTripSixtyFourBitValues) {
  IndexEntry e{5 * kGiB + 3, kGiB - 7, kGiB, UINT64_MAX - 1, kMethodCm};
  EXPECT_EQ(parse_index_entry(encode_index_entry(e), 4), e);
  IndexHead head{3'000'000'000'000, 6ull << 40};
  IndexHead back = parse_index_head(encode_index_head(head));
  EXPECT_EQ(back.chunk_count, head.chunk_count);
  EXPECT_EQ(back.total_original_size, head.total_original_size);
  EXPECT_EQ(index_size(0), kIndexHeadSize + kIndexTrailerSize);
  EXPECT_EQ(index_size(3), kIndexHeadSize + kIndexTrailerSize + 3 * kIndexEntrySize);
  EXPECT_FALSE(index_size(UINT64_MAX / 8).has_value());  // overflow is caught, not wrapped
}

TEST(Footer, RoundTripsAndChecksItself) {
  auto bytes = encode_footer((uint64_t{1} << 40) + 7);
  EXPECT_EQ(parse_footer(bytes), (uint64_t{1} << 40) + 7);
  bytes[2] ^= 0x10;
  EXPECT_EQ(code_of([&] { parse_footer(bytes); }), ErrorCode::corrupt);
  bytes = encode_footer(100);
  bytes[kFooterSize - 1] ^= 1;
  EXPECT_EQ(code_of([&] { parse_footer(bytes); }), ErrorCode::corrupt);
}

// Five 1 GiB chunks and a short one: the running offset and total pass 4 GiB with
// exact 64-bit arithmetic, checked entry by entry without any data.
TEST(FrameSequence, TotalsAndOffsetsBeyondFourGiB) {
  Header h = valid_header();
  h.chunk_size = kGiB;
  FrameSequence seq(h);
  uint64_t offset = kHeaderSize;
  for (int i = 0; i < 5; ++i) {
    IndexEntry e{offset, kGiB - 100, kGiB, 0, kMethodCm};
    seq.add(e);
    offset += kFrameHeaderSize + e.payload_size;
  }
  seq.add({offset, 10, 10, 0, kMethodStored});
  offset += kFrameHeaderSize + 10;
  EXPECT_EQ(seq.chunk_count(), 6u);
  EXPECT_EQ(seq.total_original_size(), 5 * kGiB + 10);
  EXPECT_EQ(seq.next_offset(), offset);
  EXPECT_GT(seq.next_offset(), 4 * kGiB);
  // Nothing may follow a short chunk.
  EXPECT_EQ(code_of([&] { seq.add({offset, 10, 10, 0, kMethodStored}); }), ErrorCode::corrupt);
}

TEST(FrameSequence, OffsetsMustBeContiguous) {
  FrameSequence seq(valid_header());
  EXPECT_EQ(code_of([&] { seq.add({kHeaderSize + 1, 10, 10, 0, kMethodStored}); }), ErrorCode::corrupt);
  FrameSequence seq2(valid_header());
  try {
    seq2.add({kHeaderSize, 2u << 20, 2u << 20, 0, kMethodStored});
    seq2.add({kHeaderSize, 5, 5, 0, kMethodStored});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.chunk(), 1u);
  }
}

class VecSink : public ByteSink {
 public:
  void write(const uint8_t* src, size_t n) override { bytes.insert(bytes.end(), src, src + n); }
  std::vector<uint8_t> bytes;
};

class VecSource : public ByteSource {
 public:
  explicit VecSource(const std::vector<uint8_t>& b) : b_(b) {}
  size_t read(uint8_t* dst, size_t max) override {
    size_t n = std::min(max, b_.size() - pos_);
    std::copy_n(b_.begin() + static_cast<std::ptrdiff_t>(pos_), n, dst);
    pos_ += n;
    return n;
  }

 private:
  const std::vector<uint8_t>& b_;
  size_t pos_ = 0;
};

// docs/FORMAT.md: an empty input is header (48) + index head (24) + index checksum (8) +
// footer (20) = 100 bytes, at these offsets.
TEST(Layout, EmptyContainerHasTheDocumentedBytes) {
  VecSink sink;
  StreamWriter w(sink, valid_header());
  w.finish();
  const auto& b = sink.bytes;
  ASSERT_EQ(b.size(), 100u);
  EXPECT_TRUE(std::equal(kMagic.begin(), kMagic.end(), b.begin()));
  EXPECT_EQ(core::load_le16(&b[8]), 1);    // major
  EXPECT_EQ(core::load_le16(&b[10]), 0);   // minor
  EXPECT_EQ(core::load_le32(&b[12]), 0u);  // flags
  EXPECT_EQ(b[16], 6);                     // level
  EXPECT_EQ(b[17], 0);                     // predictor
  EXPECT_EQ(core::load_le64(&b[36]), 2u << 20);
  EXPECT_EQ(core::load_le32(&b[44]), core::check32(std::span(b).first(44)));
  EXPECT_EQ(std::string(b.begin() + 48, b.begin() + 52), "INDX");
  EXPECT_EQ(core::load_le64(&b[56]), 0u);  // chunk count
  EXPECT_EQ(core::load_le64(&b[64]), 0u);  // total original size
  EXPECT_EQ(core::load_le64(&b[72]), core::xxh3_64(std::span(b).subspan(48, 24)));
  EXPECT_EQ(core::load_le64(&b[80]), 48u);  // footer → index offset
  EXPECT_EQ(core::load_le32(&b[88]), core::check32(std::span(b).subspan(80, 8)));
  EXPECT_EQ(std::string(b.begin() + 92, b.end()), "NZIP-END");

  VecSource src(b);
  StreamReader r(src);
  EXPECT_FALSE(r.next().has_value());
  ContainerView v(b);
  EXPECT_EQ(v.entries().size(), 0u);
}

// A chunk frame sits right after the header: tag, method, sizes, checksum, then payload.
TEST(Layout, ChunkFrameAndIndexEntryAreAtTheDocumentedOffsets) {
  VecSink sink;
  StreamWriter w(sink, valid_header());
  const std::vector<uint8_t> data = {'a', 'b', 'c'};
  w.write_chunk(kMethodStored, 3, core::xxh3_64(data), data);
  w.finish();
  const auto& b = sink.bytes;
  ASSERT_EQ(b.size(), 48u + 36 + 3 + 24 + 40 + 8 + 20);
  EXPECT_EQ(std::string(b.begin() + 48, b.begin() + 52), "CHNK");
  EXPECT_EQ(b[52], kMethodStored);
  EXPECT_EQ(core::load_le64(&b[56]), 3u);
  EXPECT_EQ(core::load_le64(&b[64]), 3u);
  EXPECT_EQ(core::load_le64(&b[72]), core::xxh3_64(data));
  EXPECT_EQ(core::load_le32(&b[80]), core::check32(std::span(b).subspan(48, 32), 0));
  EXPECT_EQ(std::string(b.begin() + 84, b.begin() + 87), "abc");
  const size_t index = 87;
  EXPECT_EQ(core::load_le64(&b[index + 8]), 1u);
  EXPECT_EQ(core::load_le64(&b[index + 24]), 48u);  // entry 0: frame offset
  EXPECT_EQ(core::load_le64(&b[b.size() - 20]), index);

  ContainerView v(b);
  ASSERT_EQ(v.entries().size(), 1u);
  EXPECT_EQ(v.payload(0).size(), 3u);
  EXPECT_EQ(v.payload(0)[0], 'a');
}

}  // namespace
