// Proves the packed form of a model file (docs/MODEL_FORMAT.md, "Packed form"): with either
// coding, packing then unpacking gives back the canonical bytes exactly, so a packed file
// loads to the same model with the same id as its raw form, and is smaller than it for a
// quantised transformer; the writer picks the smaller coding; model_info and the loader
// agree on a packed file; a packed file that is not of canonical bytes, or whose header
// lies (magic, version, checksum, reserved bytes, coding, sizes), is refused with its
// error code; and every truncation and random damage is an error or the identical model,
// never a crash or another model under the same id.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/le_io.h"
#include "model/model_file.h"
#include "model/model_pack.h"
#include "model/transformer_weights.h"
#include "nzip/model.h"
#include "model_test_support.h"
#include "test_support.h"

namespace {

using namespace nzip;
using namespace nzip::model;
using Bytes = std::vector<uint8_t>;
using nzip_test::code_of;
using nzip_test::make_tensor;

// Several dtypes (so several lanes), a scalar, an empty tensor, odd metadata.
ModelFile mixed_model() {
  ModelFile m;
  const Bytes r = nzip_test::random_bytes(400, 11);
  m.tensors.push_back(make_tensor("layers.0.wq", DType::I8, {8, 8}, Bytes(r.begin(), r.begin() + 64)));
  m.tensors.push_back(make_tensor("layers.0.wq.scale", DType::I32, {8}, Bytes(r.begin() + 64, r.begin() + 96)));
  m.tensors.push_back(make_tensor("embed", DType::I16, {8, 4}, Bytes(r.begin() + 96, r.begin() + 160)));
  m.tensors.push_back(make_tensor("bias", DType::I64, {}, Bytes(r.begin() + 160, r.begin() + 168)));
  m.tensors.push_back(make_tensor("empty", DType::U8, {0, 5}, {}));
  m.metadata = nzip_metadata(byte_transformer(4, 1, 2, 8, 16));
  m.metadata["notes"] = "packed \"test\"\n";
  m.architecture = byte_transformer(4, 1, 2, 8, 16);
  return m;
}

// A quantised transformer as the random generator makes it (int8 weights, I32 scales).
ModelFile transformer_model() { return make_random_transformer(byte_transformer(32, 1, 2, 64, 48), 5, 4); }

// Rewrites the packed header field at `offset` and fixes the header checksum.
Bytes with_field(Bytes f, size_t offset, std::initializer_list<uint8_t> bytes) {
  std::copy(bytes.begin(), bytes.end(), f.begin() + static_cast<long>(offset));
  core::store_le32(f.data() + 40, core::check32(std::span<const uint8_t>(f).first(40)));
  return f;
}

TEST(ModelPack, BothCodingsGiveBackTheCanonicalBytesAndTheSameId) {
  for (const ModelFile& m : {mixed_model(), transformer_model()}) {
    const Bytes canonical = serialize_model(m);
    for (PackCoding c : {PackCoding::binary, PackCoding::range}) {
      const Bytes packed = pack_canonical(canonical, c);
      ASSERT_TRUE(is_packed_model(packed));
      PackedHeader h;
      EXPECT_EQ(unpack_canonical(packed, &h), canonical);
      EXPECT_EQ(h.coding, c);
      EXPECT_EQ(h.raw_size, canonical.size());
      EXPECT_EQ(h.id, core::xxh3_128(canonical));
      const ModelFile back = parse_model_bytes(packed);
      EXPECT_EQ(back.id, parse_model_bytes(canonical).id);
      EXPECT_EQ(serialize_model(back), canonical);
    }
  }
}

TEST(ModelPack, AQuantisedTransformerShrinksAndTheWriterPicksTheSmallerCoding) {
  const Bytes canonical = serialize_model(transformer_model());
  const Bytes binary = pack_canonical(canonical, PackCoding::binary);
  const Bytes range = pack_canonical(canonical, PackCoding::range);
  const Bytes best = pack_canonical(canonical);
  EXPECT_EQ(best.size(), std::min(binary.size(), range.size()));
  EXPECT_LT(best.size(), canonical.size());
  // The public API does the same from any form, and unpacks back.
  EXPECT_EQ(pack_model(canonical), best);
  EXPECT_EQ(pack_model(best), best);
  EXPECT_EQ(model::unpack_canonical(best), canonical);
  EXPECT_EQ(nzip::unpack_model(canonical), canonical);
}

TEST(ModelPack, InfoAndLoaderAgreeOnAPackedFile) {
  const ModelFile m = transformer_model();
  const Bytes canonical = serialize_model(m);
  const Bytes packed = pack_canonical(canonical);
  const ModelInfo raw_info = model_info(canonical);
  const ModelInfo info = model_info(packed);
  EXPECT_TRUE(info.packed);
  EXPECT_FALSE(raw_info.packed);
  EXPECT_EQ(info.file_size, packed.size());
  EXPECT_EQ(info.raw_size, canonical.size());
  EXPECT_EQ(raw_info.raw_size, canonical.size());
  EXPECT_FALSE(info.coding.empty());
  EXPECT_EQ(info.id, raw_info.id);
  EXPECT_EQ(info.parameter_count, raw_info.parameter_count);
  EXPECT_FALSE(info.canonical);  // the file itself is not the canonical bytes
  EXPECT_EQ(NetworkModel::load(packed)->id(), NetworkModel::load(canonical)->id());
}

TEST(ModelPack, WriterWritesBothFormsWithTheSameIdAndBothLoad) {
  const auto dir = std::filesystem::temp_directory_path() / ("nzip_pack_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const ModelFile m = transformer_model();
  const ModelId raw_id = write_model_file((dir / "raw.nzm").string(), m, ModelForm::raw);
  const ModelId packed_id = write_model_file((dir / "packed.nzm").string(), m, ModelForm::packed);
  EXPECT_EQ(raw_id, packed_id);
  EXPECT_LT(std::filesystem::file_size(dir / "packed.nzm"), std::filesystem::file_size(dir / "raw.nzm"));
  EXPECT_EQ(load_nzip_model((dir / "packed.nzm").string()).id, raw_id);
  EXPECT_EQ(load_nzip_model((dir / "raw.nzm").string()).id, raw_id);
  const ModelSummary s = summarize_model_file((dir / "packed.nzm").string());
  EXPECT_TRUE(s.packed);
  EXPECT_EQ(s.id, raw_id);
  EXPECT_EQ(s.file_size, std::filesystem::file_size(dir / "packed.nzm"));
  std::filesystem::remove_all(dir);
}

// All-zero weights: the most a file can expand (each coding's floor), still within the
// ratio the reader accepts.
TEST(ModelPack, AllZeroWeightsPackFarAndStillUnpack) {
  ModelFile m = mixed_model();
  m.tensors.push_back(make_tensor("zeros", DType::I8, {1024, 1024}, Bytes(1 << 20, 0)));
  const Bytes canonical = serialize_model(m);
  for (PackCoding c : {PackCoding::binary, PackCoding::range}) {
    const Bytes packed = pack_canonical(canonical, c);
    EXPECT_LT(packed.size() * 400, canonical.size());
    EXPECT_EQ(unpack_canonical(packed), canonical);
  }
  EXPECT_EQ(parse_model_bytes(pack_canonical(canonical)).id, core::xxh3_128(canonical));
}

TEST(ModelPack, PackedBytesThatAreNotCanonicalAreRefused) {
  // A valid safetensors file in another key order: packing it as if canonical gives a
  // self-consistent packed file (its id hashes what it holds), which the loader refuses,
  // since a packed file's id must be the canonical one.
  const std::string header = R"({"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}})";
  Bytes raw(8 + header.size() + 2);
  core::store_le64(raw.data(), header.size());
  std::copy(header.begin(), header.end(), raw.begin() + 8);
  raw[8 + header.size()] = 1;
  raw[9 + header.size()] = 2;
  ASSERT_NE(serialize_model(parse_model_bytes(raw)), raw);
  const Bytes packed = pack_canonical(raw, PackCoding::binary);
  EXPECT_EQ(unpack_canonical(packed), raw);
  EXPECT_EQ(code_of([&] { parse_model_bytes(packed); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { model_info(packed); }), ErrorCode::corrupt);
}

TEST(ModelPack, PackingSomethingThatIsNotAModelIsAnInvalidArgument) {
  EXPECT_EQ(code_of([] { pack_canonical(Bytes{1, 2, 3}); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([] { pack_canonical(Bytes(100, 0xAB)); }), ErrorCode::invalid_argument);
}

TEST(ModelPackHostile, LyingHeadersAreRefusedWithTheirCodes) {
  const Bytes good = pack_canonical(serialize_model(mixed_model()));
  auto load = [](const Bytes& f) { return code_of([&] { parse_model_bytes(f); }); };
  auto unpack = [](const Bytes& f) { return code_of([&] { unpack_canonical(f); }); };
  ASSERT_EQ(load(good), ErrorCode::ok);
  EXPECT_EQ(unpack(Bytes(good.begin(), good.begin() + 47)), ErrorCode::truncated);
  EXPECT_EQ(unpack(Bytes(good.begin(), good.begin() + 5)), ErrorCode::truncated);
  Bytes magic = good;
  magic[3] = 'X';
  EXPECT_EQ(unpack(magic), ErrorCode::bad_magic);
  EXPECT_EQ(unpack(with_field(good, 8, {2, 0})), ErrorCode::unsupported_version);
  EXPECT_EQ(load(with_field(good, 8, {2, 0})), ErrorCode::unsupported_version);
  EXPECT_EQ(unpack(with_field(good, 10, {2})), ErrorCode::unsupported_version);  // unknown coding
  EXPECT_EQ(unpack(with_field(good, 11, {1})), ErrorCode::corrupt);              // reserved
  EXPECT_EQ(unpack(with_field(good, 12, {0, 0, 1, 0})), ErrorCode::corrupt);
  EXPECT_EQ(unpack(with_field(good, 44, {1, 0, 0, 0})), ErrorCode::corrupt);
  Bytes check = good;
  check[20] ^= 1;  // raw size changed, checksum not fixed
  EXPECT_EQ(unpack(check), ErrorCode::corrupt);
  EXPECT_EQ(unpack(with_field(good, 16, {9, 0, 0, 0, 0, 0, 0, 0})), ErrorCode::corrupt);  // below 10
  // More than the payload could ever expand to: refused before anything is decoded.
  EXPECT_EQ(unpack(with_field(good, 16, {0, 0, 0, 0x40, 0, 0, 0, 0})), ErrorCode::corrupt);
  EXPECT_EQ(unpack(with_field(good, 16, {0, 0, 0, 0, 1, 0, 0, 0})), ErrorCode::corrupt);
  EXPECT_EQ(unpack(with_field(good, 16, {0, 0, 0, 0, 0, 0, 0, 0x40})), ErrorCode::limit_exceeded);
  // A raw size one off, a wrong id: decoding or the id check fails.
  Bytes size = good;
  core::store_le64(size.data() + 16, core::load_le64(good.data() + 16) + 1);
  EXPECT_EQ(unpack(with_field(size, 16, {})), ErrorCode::corrupt);
  Bytes id = good;
  id[30] ^= 0x10;
  EXPECT_EQ(unpack(with_field(id, 30, {})), ErrorCode::corrupt);
}

// Every truncation and random damage of a packed file: an error, or (damage that cannot
// change the decoded bytes, such as bits past the coder's end) exactly the same model.
TEST(ModelPackHostile, TruncationsAndDamageGiveAnErrorOrTheSameModel) {
  for (PackCoding c : {PackCoding::binary, PackCoding::range}) {
    const Bytes canonical = serialize_model(mixed_model());
    const Bytes good = pack_canonical(canonical, c);
    const ModelId id = core::xxh3_128(canonical);
    auto check = [&](const Bytes& f, const std::string& what) {
      ErrorCode load_code = ErrorCode::ok, info_code = ErrorCode::ok;
      try {
        const ModelFile m = parse_model_bytes(f);
        EXPECT_EQ(m.id, id) << what;
        EXPECT_EQ(serialize_model(m), canonical) << what;
      } catch (const Error& e) {
        load_code = e.code();
      }
      try {
        model_info(f);
      } catch (const Error& e) {
        info_code = e.code();
      }
      EXPECT_EQ(load_code, info_code) << what;
      return load_code;
    };
    for (size_t n = 0; n < good.size(); ++n)
      EXPECT_NE(check(Bytes(good.begin(), good.begin() + static_cast<long>(n)), "cut " + std::to_string(n)), ErrorCode::ok);
    std::mt19937_64 rng(99);
    const int flips = nzip_test::small_scale() ? 500 : 5000;
    for (int i = 0; i < flips; ++i) {
      Bytes f = good;
      f[kPackedHeaderSize + rng() % (f.size() - kPackedHeaderSize)] ^= static_cast<uint8_t>(1 + rng() % 255);
      check(f, "flip " + std::to_string(i));
    }
    Bytes longer = good;
    longer.push_back(0x5A);
    check(longer, "one byte appended");
  }
}

}  // namespace
