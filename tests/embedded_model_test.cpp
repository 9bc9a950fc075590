// Proves self-contained containers (docs/FORMAT.md, "Model section"; nzip --embed-model):
// a container that embeds its packed model decodes with no model given, streaming, from a
// non-seekable source and by random access, to the same bytes as the container without it,
// whose chunks it shares byte for byte; inspect reports the embedded size; a model given
// at decompression must be the same one; an embedded model that is damaged, truncated, not
// packed, or another model than the header names is a data error (never a crash or wrong
// output); the model section's head is checked field by field; the compressor refuses an
// embedded model that is not the model it codes with; and no_model (--no-model) keeps
// pure context mixing and excludes a model.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "api/memory_io.h"
#include "api/network_model_impl.h"
#include "core/hash.h"
#include "core/le_io.h"
#include "format/layout.h"
#include "format/stream_writer.h"
#include "model/model_file.h"
#include "model/transformer_weights.h"
#include "nzip/model.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace nzip {
namespace {

using nzip_test::Bytes;
using nzip_test::code_of;
using nzip_test::same_bytes;

model::ModelFile tiny_file(uint64_t seed) {
  return model::make_random_transformer(model::byte_transformer(16, 1, 2, 32, 32), seed, 0);
}

struct Fixture {
  model::ModelFile file = tiny_file(7);
  Bytes packed = pack_model(model::serialize_model(file));
  std::shared_ptr<const NetworkModel> model = api::make_network_model(file);
  Bytes input;
  Bytes plain;     // compressed with the model, not embedded
  Bytes embedded;  // the same, embedded

  Fixture() {
    const auto path = nzip_test::corpus_dir() / "text/alice29.txt";
    input = std::filesystem::exists(path) ? nzip_test::read_file(path, 5000) : nzip_test::random_bytes(5000, 3);
    CompressOptions o;
    o.level = 2;
    o.threads = 1;
    o.chunk_size = 1024;
    o.model = model;
    plain = compress(input, o);
    o.embedded_model = packed;
    embedded = compress(input, o);
  }
};

const Fixture& fx() {
  static const Fixture f;
  return f;
}

// Offset of the first frame in an embedding container.
size_t first_frame() { return format::kHeaderSize + format::kModelSectionHeadSize + fx().packed.size(); }

TEST(EmbeddedModel, DecodesWithoutTheModelFileEveryWay) {
  const Fixture& f = fx();
  ASSERT_LT(f.packed.size(), model::serialize_model(f.file).size());
  EXPECT_EQ(f.embedded.size(), f.plain.size() + format::kModelSectionHeadSize + f.packed.size());
  EXPECT_TRUE(same_bytes(f.input, decompress(f.embedded)));
  // A source that returns a few bytes per read (a pipe).
  for (unsigned threads : {1u, 2u}) {
    api::SpanSource src(f.embedded);
    Bytes out;
    api::VectorSink sink(out);
    DecompressOptions d;
    d.threads = threads;
    decompress_stream(src, sink, d);
    EXPECT_TRUE(same_bytes(f.input, out));
  }
  const ContainerInfo info = inspect(f.embedded);
  EXPECT_EQ(info.embedded_model_size, f.packed.size());
  EXPECT_EQ(info.model, f.model->id_hex());
  EXPECT_EQ(inspect(f.plain).embedded_model_size, 0u);
  ASSERT_GE(info.chunks.size(), 3u);
  for (uint64_t i = 0; i < info.chunks.size(); ++i) {
    const Bytes one = decompress_chunk(f.embedded, i);
    EXPECT_TRUE(same_bytes(Bytes(f.input.begin() + static_cast<long>(i * 1024),
                                 f.input.begin() + static_cast<long>(i * 1024 + one.size())),
                           one));
  }
  // The chunks are those of the container without the model, shifted by the model section.
  EXPECT_TRUE(std::equal(f.plain.begin() + format::kHeaderSize, f.plain.end() - 20 - 32 - 40 * static_cast<long>(info.chunks.size()),
                         f.embedded.begin() + static_cast<long>(first_frame())));
  EXPECT_EQ(core::load_le32(f.embedded.data() + 12) & format::kFlagEmbeddedModel, format::kFlagEmbeddedModel);
  EXPECT_EQ(core::load_le32(f.plain.data() + 12), 0u);
}

TEST(EmbeddedModel, AModelGivenAtDecompressionMustBeTheSame) {
  const Fixture& f = fx();
  DecompressOptions same;
  same.model = f.model;
  EXPECT_TRUE(same_bytes(f.input, decompress(f.embedded, same)));
  DecompressOptions other;
  other.model = api::make_network_model(tiny_file(8));
  ASSERT_NE(other.model->id(), f.model->id());
  EXPECT_EQ(code_of([&] { decompress(f.embedded, other); }), ErrorCode::model_mismatch);
  EXPECT_EQ(code_of([&] { decompress_chunk(f.embedded, 0, other); }), ErrorCode::model_mismatch);
}

TEST(EmbeddedModel, AnotherModelThanTheHeaderNamesIsDamage) {
  const Fixture& f = fx();
  const Bytes other = pack_model(model::serialize_model(tiny_file(8)));
  format::Header h;
  h.level = 2;
  h.chunk_size = 1024;
  h.predictor = format::kPredictorNetwork;
  h.model_id = f.model->id();
  Bytes nz;
  api::VectorSink sink(nz);
  format::StreamWriter w(sink, h, other);
  w.write_chunk(format::kMethodStored, 3, core::xxh3_64(Bytes{1, 2, 3}), Bytes{1, 2, 3});
  w.finish();
  EXPECT_EQ(code_of([&] { decompress(nz); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { decompress_chunk(nz, 0); }), ErrorCode::corrupt);
  // The raw form of the right model is not what a model section holds.
  Bytes raw_nz;
  api::VectorSink raw_sink(raw_nz);
  format::StreamWriter raw_w(raw_sink, h, model::serialize_model(f.file));
  raw_w.finish();
  EXPECT_EQ(code_of([&] { decompress(raw_nz); }), ErrorCode::corrupt);
  // inspect decodes nothing, so it lists the container without judging the model.
  EXPECT_EQ(inspect(nz).embedded_model_size, other.size());
}

// Damage anywhere in the model section (head or packed model) and every truncation inside
// it: an error from every entry point, never output.
TEST(EmbeddedModel, DamagedOrTruncatedModelSectionIsAnError) {
  const Fixture& f = fx();
  std::mt19937_64 rng(5);
  const size_t end = first_frame();
  std::vector<size_t> positions;
  for (size_t p = format::kHeaderSize; p < format::kHeaderSize + format::kModelSectionHeadSize + 56; ++p) positions.push_back(p);
  const int samples = nzip_test::small_scale() ? 40 : 300;
  for (int i = 0; i < samples; ++i) positions.push_back(format::kHeaderSize + rng() % (end - format::kHeaderSize));
  for (size_t p : positions) {
    Bytes bad = f.embedded;
    bad[p] ^= static_cast<uint8_t>(1 + rng() % 255);
    ErrorCode stream = code_of([&] { decompress(bad); });
    ErrorCode chunk = code_of([&] { decompress_chunk(bad, 0); });
    // A flip may land where it changes nothing decoded (past the coder's last bit); then
    // the model is the same, verified by its id, and the output is right.
    if (stream == ErrorCode::ok) {
      EXPECT_TRUE(same_bytes(f.input, decompress(bad))) << "flip at " << p;
    } else {
      EXPECT_TRUE(stream == ErrorCode::corrupt || stream == ErrorCode::truncated ||
                  stream == ErrorCode::limit_exceeded)
          << "flip at " << p << ": " << static_cast<int>(stream);
    }
    EXPECT_EQ(stream == ErrorCode::ok, chunk == ErrorCode::ok) << "flip at " << p;
  }
  for (size_t n = format::kHeaderSize; n < end; n += (n < format::kHeaderSize + 64 ? 1 : 97)) {
    const Bytes cut(f.embedded.begin(), f.embedded.begin() + static_cast<long>(n));
    EXPECT_NE(code_of([&] { decompress(cut); }), ErrorCode::ok) << n;
    EXPECT_NE(code_of([&] { inspect(cut); }), ErrorCode::ok) << n;
  }
}

TEST(EmbeddedModel, SectionHeadIsCheckedFieldByField) {
  const auto good = format::encode_model_section_head(1234);
  EXPECT_EQ(format::parse_model_section_head(good), 1234u);
  auto fixed = [](std::array<uint8_t, format::kModelSectionHeadSize> b) {
    core::store_le32(b.data() + 16, core::check32(std::span<const uint8_t>(b).first(16)));
    return b;
  };
  auto bad_tag = good;
  bad_tag[0] = 'X';
  EXPECT_EQ(code_of([&] { format::parse_model_section_head(fixed(bad_tag)); }), ErrorCode::corrupt);
  auto reserved = good;
  reserved[5] = 1;
  EXPECT_EQ(code_of([&] { format::parse_model_section_head(fixed(reserved)); }), ErrorCode::corrupt);
  auto check = good;
  check[16] ^= 1;
  EXPECT_EQ(code_of([&] { format::parse_model_section_head(check); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { format::parse_model_section_head(format::encode_model_section_head(0)); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { format::parse_model_section_head(format::encode_model_section_head(format::kMaxEmbeddedModelSize + 1)); }),
            ErrorCode::limit_exceeded);
  // The flag is only valid with a network predictor.
  format::Header h;
  h.level = 2;
  h.chunk_size = 1024;
  h.flags = format::kFlagEmbeddedModel;
  EXPECT_EQ(code_of([&] { format::parse_header(format::encode_header(h)); }), ErrorCode::corrupt);
  h.predictor = format::kPredictorNetwork;
  h.model_id[0] = 1;
  EXPECT_EQ(format::parse_header(format::encode_header(h)).flags, format::kFlagEmbeddedModel);
  // An unknown required flag is still refused.
  h.flags = 4;  // bit 2 (bit 1 is the dataset section)
  EXPECT_EQ(code_of([&] { format::parse_header(format::encode_header(h)); }), ErrorCode::unsupported_version);
}

TEST(EmbeddedModel, CompressorRefusesAModelToEmbedThatIsNotItsModel) {
  const Fixture& f = fx();
  CompressOptions o;
  o.level = 2;
  o.embedded_model = f.packed;
  EXPECT_EQ(code_of([&] { compress(f.input, o); }), ErrorCode::invalid_argument);  // no model
  o.model = api::make_network_model(tiny_file(8));
  EXPECT_EQ(code_of([&] { compress(f.input, o); }), ErrorCode::invalid_argument);  // another model
  o.model = f.model;
  o.embedded_model = model::serialize_model(f.file);  // raw, not packed
  EXPECT_EQ(code_of([&] { compress(f.input, o); }), ErrorCode::invalid_argument);
  o.embedded_model = f.packed;
  o.embedded_model[60] ^= 1;  // damaged
  EXPECT_EQ(code_of([&] { compress(f.input, o); }), ErrorCode::invalid_argument);
}

// tests/golden/text_embedded.nz: text.txt with network.nzm embedded (level 1, 128-byte
// chunks, method 2). It must keep decoding with no model given, and the container writer and
// the model packer are pinned: the same inputs give the same header and model section
// (the chunks are method 5 now; NetworkGolden pins those).
TEST(EmbeddedGolden, DecodesWithoutAModelAndEncodesToTheSameBytes) {
  const std::filesystem::path dir = std::filesystem::path(NZIP_SOURCE_DIR) / "tests" / "golden";
  const Bytes nz = nzip_test::read_file(dir / "text_embedded.nz");
  const Bytes original = nzip_test::read_file(dir / "text.txt");
  const Bytes model_file = nzip_test::read_file(dir / "network.nzm");
  ASSERT_FALSE(nz.empty());
  EXPECT_TRUE(same_bytes(original, decompress(nz)));
  const ContainerInfo info = inspect(nz);
  const auto m = NetworkModel::load(model_file);
  EXPECT_EQ(info.model, m->id_hex());
  EXPECT_EQ(info.embedded_model_size, pack_model(model_file).size());
  CompressOptions o;
  o.level = 1;
  o.chunk_size = 128;
  o.model = m;
  o.embedded_model = pack_model(model_file);
  const Bytes now = compress(original, o);
  const size_t head = format::first_frame_offset(format::parse_header(std::span(nz).first<format::kHeaderSize>()),
                                                 info.embedded_model_size);
  ASSERT_GT(now.size(), head);
  EXPECT_TRUE(same_bytes(Bytes(nz.begin(), nz.begin() + static_cast<long>(head)),
                         Bytes(now.begin(), now.begin() + static_cast<long>(head))));
  EXPECT_TRUE(same_bytes(original, decompress(now)));
}

TEST(NoModel, KeepsPureContextMixingAndExcludesAModel) {
  const Fixture& f = fx();
  for (int level : {1, 6, 9}) {
    CompressOptions def;
    def.level = level;
    def.threads = 1;
    CompressOptions none = def;
    none.no_model = true;
    const Bytes a = compress(f.input, def);
    const Bytes b = compress(f.input, none);
    EXPECT_EQ(inspect(b).predictor, format::kPredictorContextMixing);
    // Below -8 the default is pure context mixing too; -8 and -9 use the built-in model
    // (tests/builtin_model_test.cpp).
    if (level < 8) {
      EXPECT_TRUE(same_bytes(a, b)) << "level " << level;
    } else {
      EXPECT_EQ(inspect(a).predictor, format::kPredictorNetwork);
    }
    EXPECT_TRUE(same_bytes(f.input, decompress(b)));
  }
  CompressOptions both;
  both.no_model = true;
  both.model = f.model;
  EXPECT_EQ(code_of([&] { compress(f.input, both); }), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace nzip
