// Proves the .nzm model file (docs/MODEL_FORMAT.md): a model written and read back is the
// same model; the id is the XXH3-128 of the canonical bytes, so it does not depend on the
// key order, whitespace, padding or data order of a semantically equal safetensors file,
// and it changes when any tensor byte, name, shape or metadata entry changes; the worked
// example of the spec has the documented header and id; every malformed header or file
// is refused with its specific error code before anything is allocated from it; and
// random truncations and byte flips of a valid file either load identically or throw
// nzip::Error, never crash.
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
#include "nzip/model.h"
#include "model_test_support.h"
#include "test_support.h"

namespace {

using namespace nzip;
using namespace nzip::model;
using Bytes = std::vector<uint8_t>;

using nzip_test::code_of;
using nzip_test::make_tensor;

// A safetensors file from a header text (not padded) and the data buffer.
Bytes raw_file(const std::string& header, const Bytes& data = {}) {
  Bytes out(8 + header.size() + data.size());
  core::store_le64(out.data(), header.size());
  std::copy(header.begin(), header.end(), out.begin() + 8);
  std::copy(data.begin(), data.end(), out.begin() + 8 + static_cast<long>(header.size()));
  return out;
}

ErrorCode parse_code(const Bytes& file) {
  return code_of([&] { parse_model_bytes(file); });
}

ModelArchitecture tiny_arch() {
  return byte_transformer(4, 1, 2, 8, 16);
}

// The worked example of docs/MODEL_FORMAT.md: an int8 weight "w" [2,3] = 1..6 and its
// per-row scale "w.scale" I32 [2] = {256, 512}.
ModelFile tiny_model() {
  ModelFile m;
  m.tensors.push_back(make_tensor("w", DType::I8, {2, 3}, {1, 2, 3, 4, 5, 6}));
  m.tensors.push_back(make_tensor("w.scale", DType::I32, {2}, {0, 1, 0, 0, 0, 2, 0, 0}));
  m.metadata = nzip_metadata(tiny_arch());
  m.architecture = tiny_arch();
  return m;
}

// A larger model for the sweeps: several dtypes, names out of order, a scalar, an empty tensor.
ModelFile sweep_model() {
  ModelFile m;
  nzip_test::Bytes r = nzip_test::random_bytes(200, 7);
  m.tensors.push_back(make_tensor("layers.0.wq", DType::I8, {4, 8}, Bytes(r.begin(), r.begin() + 32)));
  m.tensors.push_back(make_tensor("layers.0.wq.scale", DType::I32, {4}, Bytes(r.begin() + 32, r.begin() + 48)));
  m.tensors.push_back(make_tensor("embed", DType::I16, {8, 4}, Bytes(r.begin() + 48, r.begin() + 112)));
  m.tensors.push_back(make_tensor("bias", DType::I64, {}, Bytes(r.begin() + 112, r.begin() + 120)));
  m.tensors.push_back(make_tensor("empty", DType::U8, {0, 5}, {}));
  m.metadata = nzip_metadata(tiny_arch());
  m.metadata["trained_on"] = "text \"corpus\"\n";
  m.metadata["notes\t"] = "tab\t back\\slash / \xC3\xA9 \x01 \x7F \xF0\x9F\x98\x80";  // every escaping rule
  m.architecture = tiny_arch();
  return m;
}

void expect_same_model(const ModelFile& a, const ModelFile& b) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
    EXPECT_EQ(a.tensors[i].dtype, b.tensors[i].dtype);
    EXPECT_EQ(a.tensors[i].shape, b.tensors[i].shape);
    EXPECT_EQ(a.tensors[i].bytes, b.tensors[i].bytes);
  }
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.architecture, b.architecture);
  EXPECT_EQ(a.id, b.id);
}

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("nzip_model_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

struct TempDir {
  std::filesystem::path path = temp_dir();
  ~TempDir() { std::filesystem::remove_all(path); }
};

// ---- dtypes ------------------------------------------------------------------------------

TEST(ModelDType, NamesAndSizesRoundTrip) {
  for (const char* n : {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
                        "F64", "I64", "U64"}) {
    auto t = dtype_from_name(n);
    ASSERT_TRUE(t) << n;
    EXPECT_STREQ(dtype_name(*t), n);
  }
  EXPECT_EQ(dtype_size(DType::I8), 1u);
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::F32), 4u);
  EXPECT_EQ(dtype_size(DType::I64), 8u);
  EXPECT_TRUE(dtype_is_integer(DType::I16));
  EXPECT_FALSE(dtype_is_integer(DType::BF16));
  EXPECT_FALSE(dtype_from_name("i8"));
  EXPECT_FALSE(dtype_from_name("F4"));
}

// ---- round trip and identity ---------------------------------------------------------------

TEST(ModelFile, WriteThenLoadGivesTheSameModelAndTheIdHashesTheFileBytes) {
  TempDir dir;
  const std::string path = (dir.path / "m.nzm").string();
  ModelFile m = sweep_model();
  const ModelId id = write_model_file(path, m);
  ModelFile back = load_nzip_model(path);
  EXPECT_EQ(back.id, id);
  EXPECT_EQ(compute_model_id(m), id);
  // Loaded tensors are sorted by name.
  std::sort(m.tensors.begin(), m.tensors.end(), [](const Tensor& a, const Tensor& b) { return a.name < b.name; });
  m.id = id;
  expect_same_model(m, back);

  const Bytes file = nzip_test::read_file(path);
  EXPECT_EQ(file, serialize_model(m));
  EXPECT_EQ(core::xxh3_128(file), id);  // canonical file: id = XXH3-128 of its bytes
  EXPECT_EQ(file.size() % 8, 0u);
  EXPECT_EQ((8 + core::load_le64(file.data())) % 8, 0u);  // data start 8-byte aligned

  ModelInfo info = model_info(path);
  EXPECT_TRUE(info.nzip_model);
  EXPECT_TRUE(info.canonical);
  EXPECT_EQ(info.format_version, "1");
  EXPECT_EQ(info.id_hex, model_id_hex(id));
  EXPECT_EQ(info.file_size, file.size());
  EXPECT_EQ(info.parameter_count, 32u + 32u + 1u);  // scale and empty tensor hold no parameters
  EXPECT_EQ(info.tensors.size(), 5u);
  ASSERT_TRUE(info.architecture);
  EXPECT_EQ(info.architecture->kind, "transformer");
  EXPECT_EQ(info.architecture->dimensions.size(), 7u);
  EXPECT_EQ(model_info(std::span<const uint8_t>(file)).id_hex, info.id_hex);
  // Only the renamed file is left: no temporary.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path), {}), 1);
}

TEST(ModelFile, CanonicalDataIsOrderedByElementSizeSoEveryTensorIsAligned) {
  ModelFile m = sweep_model();
  const Bytes file = serialize_model(m);
  ModelSummary s = summarize_model_bytes(file);
  for (const auto& t : s.header.tensors) {
    EXPECT_EQ((8 + s.header_size + t.begin) % dtype_size(t.dtype), 0u) << t.name;
  }
  // I64 first, then I32, I16, and the 1-byte types by name ("empty" holds no bytes).
  auto begin_of = [&](const char* n) {
    for (const auto& t : s.header.tensors)
      if (t.name == n) return t.begin;
    return uint64_t{999};
  };
  EXPECT_EQ(begin_of("bias"), 0u);
  EXPECT_EQ(begin_of("layers.0.wq.scale"), 8u);
  EXPECT_EQ(begin_of("embed"), 24u);
  EXPECT_EQ(begin_of("layers.0.wq"), 88u);
  EXPECT_EQ(begin_of("empty"), 88u);
}

TEST(ModelFile, IdIsTheSameForKeyOrderWhitespacePaddingAndDataOrderVariants) {
  const ModelFile m = tiny_model();
  const ModelId id = compute_model_id(m);
  const std::string arch = architecture_to_json(tiny_arch());
  std::string arch_escaped;
  for (char c : arch) {
    if (c == '"') arch_escaped += '\\';
    arch_escaped += c;
  }
  // Same content as another tool might write it: metadata first, keys in another order,
  // whitespace, "w" stored before "w.scale", and padding of spaces, tabs and newlines.
  const std::string header = "{ \"__metadata__\": {\"format_version\": \"1\", \"format\": \"nzm\",\n"
                             "  \"architecture\": \"" + arch_escaped + "\"},\n"
                             "  \"w\": {\"shape\": [2, 3], \"dtype\": \"I8\", \"data_offsets\": [0, 6]},\n"
                             "  \"w.scale\": {\"data_offsets\": [6, 14], \"dtype\": \"I32\", \"shape\": [2]}\n}\t\n   ";
  const Bytes data{1, 2, 3, 4, 5, 6, 0, 1, 0, 0, 0, 2, 0, 0};
  const Bytes file = raw_file(header, data);
  ModelFile loaded = parse_model_bytes(file);
  EXPECT_EQ(loaded.id, id);
  ModelSummary s = summarize_model_bytes(file);
  EXPECT_EQ(s.id, id);
  EXPECT_FALSE(s.canonical);
  EXPECT_NE(core::xxh3_128(file), id);
  // Written back, it is the canonical file.
  EXPECT_EQ(serialize_model(loaded), serialize_model(m));
  EXPECT_TRUE(summarize_model_bytes(serialize_model(loaded)).canonical);

  // An empty __metadata__ object is the same as none.
  ModelFile plain;
  plain.tensors.push_back(make_tensor("x", DType::U8, {1}, {9}));
  const ModelId plain_id = compute_model_id(plain);
  EXPECT_EQ(parse_model_bytes(raw_file(R"({"__metadata__":{},"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})", {9})).id,
            plain_id);
}

TEST(ModelFile, IdChangesWhenAnyTensorByteNameShapeOrMetadataChanges) {
  const ModelFile base = sweep_model();
  const ModelId id = compute_model_id(base);
  std::set<std::string> seen{model_id_hex(id)};
  for (size_t t = 0; t < base.tensors.size(); ++t) {
    for (size_t b = 0; b < base.tensors[t].bytes.size(); ++b) {
      ModelFile m = base;
      m.tensors[t].bytes[b] ^= 1;
      EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(m))).second) << base.tensors[t].name << " byte " << b;
    }
  }
  ModelFile renamed = base;
  renamed.tensors[2].name = "embeds";
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(renamed))).second);
  ModelFile reshaped = base;
  reshaped.tensors[2].shape = {4, 8};
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(reshaped))).second);
  ModelFile retyped = base;
  retyped.tensors[0].dtype = DType::U8;
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(retyped))).second);
  ModelFile meta = base;
  meta.metadata["trained_on"] = "text \"corpus\" ";
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(meta))).second);
  ModelFile extra = base;
  extra.metadata["note"] = "";
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(extra))).second);
  ModelFile arch = base;
  ModelArchitecture a = tiny_arch();
  a.window = 32;
  arch.metadata["architecture"] = architecture_to_json(a);
  EXPECT_TRUE(seen.insert(model_id_hex(compute_model_id(arch))).second);
}

// docs/MODEL_FORMAT.md, "Worked example": these exact bytes and this id.
TEST(ModelFile, WorkedExampleOfTheSpecHasTheDocumentedHeaderAndId) {
  const Bytes file = serialize_model(tiny_model());
  const std::string expected_header =
      R"({"__metadata__":{"architecture":"{\"d_model\":4,\"element_size\":1,\"ff\":8,\"heads\":2,)"
      R"(\"kind\":\"transformer\",\"layers\":1,\"vocab\":256,\"window\":16}","format":"nzm","format_version":"1"},)"
      R"("w":{"data_offsets":[8,14],"dtype":"I8","shape":[2,3]},)"
      R"("w.scale":{"data_offsets":[0,8],"dtype":"I32","shape":[2]}})";
  std::string padded = expected_header;
  while (padded.size() % 8) padded += ' ';
  ASSERT_EQ(core::load_le64(file.data()), padded.size());
  EXPECT_EQ(std::string(file.begin() + 8, file.begin() + 8 + static_cast<long>(padded.size())), padded);
  const Bytes data(file.begin() + 8 + static_cast<long>(padded.size()), file.end());
  EXPECT_EQ(data, (Bytes{0, 1, 0, 0, 0, 2, 0, 0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(file.size(), 8 + padded.size() + 14);
  EXPECT_EQ(model_id_hex(core::xxh3_128(file)), "5061cbe9e1dddf4850a9af32489e1134");
  EXPECT_EQ(model_id_hex(compute_model_id(tiny_model())), "5061cbe9e1dddf4850a9af32489e1134");
}

// ---- lookup for the model code --------------------------------------------------------------

TEST(ModelFile, TensorLookupChecksDtypeAndShapeAndDecodesLittleEndian) {
  const ModelFile m = parse_model_bytes(serialize_model(tiny_model()));
  EXPECT_EQ(m.values<int8_t>("w", {2, 3}), (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(m.values<int32_t>("w.scale", {2}), (std::vector<int32_t>{256, 512}));
  EXPECT_EQ(code_of([&] { m.values<int8_t>("w", {3, 2}); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { m.values<int16_t>("w", {2, 3}); }), ErrorCode::corrupt);
  EXPECT_EQ(code_of([&] { m.tensor("missing", DType::I8, {1}); }), ErrorCode::corrupt);
  EXPECT_EQ(m.find("missing"), nullptr);
  EXPECT_EQ(m.parameter_count(), 6u);

  ModelFile neg;
  neg.tensors.push_back(make_tensor("n", DType::I32, {2}, {0x01, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(neg.values<int32_t>("n", {2}), (std::vector<int32_t>{INT32_MIN + 1, -1}));
  neg.tensors.push_back(make_tensor("s", DType::I16, {}, {0x34, 0x12}));
  EXPECT_EQ(neg.values<int16_t>("s", {}), (std::vector<int16_t>{0x1234}));
}

// ---- nzip metadata and architecture -------------------------------------------------------

TEST(ModelFile, PlainSafetensorsIsReadableButNotAnNzipModel) {
  TempDir dir;
  const std::string path = (dir.path / "plain.safetensors").string();
  {
    std::ofstream f(path, std::ios::binary);
    const Bytes b = raw_file(R"({"__metadata__":{"format":"pt"},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                             {0, 0, 128, 63});
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
  ModelFile m = load_model_file(path);
  EXPECT_FALSE(m.is_nzip_model());
  EXPECT_EQ(m.tensors.size(), 1u);
  ModelInfo info = model_info(path);
  EXPECT_FALSE(info.nzip_model);
  EXPECT_FALSE(info.architecture);
  EXPECT_EQ(info.parameter_count, 1u);
  EXPECT_EQ(code_of([&] { load_nzip_model(path); }), ErrorCode::bad_magic);
}

std::string nzip_header(const std::string& version, const std::string& arch_json, const std::string& tensors = "") {
  std::string esc;
  for (char c : arch_json) {
    if (c == '"' || c == '\\') esc += '\\';
    esc += c;
  }
  return R"({"__metadata__":{"format":"nzm","format_version":")" + version + R"(","architecture":")" + esc + "\"}" +
         (tensors.empty() ? "" : "," + tensors) + "}";
}

TEST(ModelFile, NzipMetadataIsChecked) {
  const std::string arch = architecture_to_json(tiny_arch());
  EXPECT_EQ(parse_code(raw_file(nzip_header("1", arch))), ErrorCode::ok);
  EXPECT_EQ(parse_code(raw_file(nzip_header("2", arch))), ErrorCode::unsupported_version);
  EXPECT_EQ(parse_code(raw_file(nzip_header("01", arch))), ErrorCode::corrupt);
  EXPECT_EQ(parse_code(raw_file(nzip_header("one", arch))), ErrorCode::corrupt);
  EXPECT_EQ(parse_code(raw_file(R"({"__metadata__":{"format":"nzm","format_version":"1"}})")), ErrorCode::corrupt);
  EXPECT_EQ(parse_code(raw_file(R"({"__metadata__":{"format":"nzm","architecture":"{}"}})")), ErrorCode::corrupt);
  // Float tensors break bit-exact inference: refused in an nzip model.
  EXPECT_EQ(parse_code(raw_file(nzip_header("1", arch, R"("x":{"dtype":"F32","shape":[],"data_offsets":[0,4]})"),
                                {0, 0, 0, 0})),
            ErrorCode::corrupt);
  // Scales: I32/I16, a weight beside them, shape [] or [rows].
  const std::string w = R"("w":{"dtype":"I8","shape":[2,1],"data_offsets":[0,2]})";
  auto with_scale = [&](const std::string& dtype, const std::string& shape, uint64_t bytes) {
    Bytes data(2 + bytes, 0);
    return parse_code(raw_file(nzip_header("1", arch,
                                           w + R"(,"w.scale":{"dtype":")" + dtype + R"(","shape":)" + shape +
                                               R"(,"data_offsets":[2,)" + std::to_string(2 + bytes) + "]}"),
                               data));
  };
  EXPECT_EQ(with_scale("I32", "[]", 4), ErrorCode::ok);
  EXPECT_EQ(with_scale("I32", "[2]", 8), ErrorCode::ok);
  EXPECT_EQ(with_scale("I16", "[2]", 4), ErrorCode::ok);
  EXPECT_EQ(with_scale("I8", "[2]", 2), ErrorCode::corrupt);
  EXPECT_EQ(with_scale("I32", "[1]", 4), ErrorCode::corrupt);
  EXPECT_EQ(with_scale("I32", "[2,1]", 8), ErrorCode::corrupt);
  EXPECT_EQ(parse_code(raw_file(nzip_header("1", arch, R"("v.scale":{"dtype":"I32","shape":[],"data_offsets":[0,4]})"),
                                {0, 0, 0, 0})),
            ErrorCode::corrupt);
}

TEST(ModelArchitecture, ValidParsesAndRoundTripsThroughCanonicalJson) {
  const ModelArchitecture a = tiny_arch();
  EXPECT_EQ(parse_architecture(architecture_to_json(a)), a);
  EXPECT_EQ(architecture_to_json(a),
            R"({"d_model":4,"element_size":1,"ff":8,"heads":2,"kind":"transformer","layers":1,"vocab":256,"window":16})");
  EXPECT_EQ(parse_architecture(
                R"( { "kind" : "transformer", "vocab":256, "window":16, "d_model":4, "layers":1, "heads":2, "ff":8, "element_size":1 } )"),
            a);
}

TEST(ModelArchitecture, InvalidIsRefusedWithItsErrorCode) {
  const std::string good = R"("d_model":4,"element_size":1,"ff":8,"heads":2,"layers":1,"vocab":256,"window":16)";
  auto code = [](const std::string& s) { return code_of([&] { parse_architecture(s); }); };
  EXPECT_EQ(code("{\"kind\":\"transformer\"," + good + "}"), ErrorCode::ok);
  EXPECT_EQ(code("{\"kind\":\"mamba\"," + good + "}"), ErrorCode::unsupported_version);
  EXPECT_EQ(code("{\"kind\":\"rnn\"," + good + "}"), ErrorCode::corrupt);
  EXPECT_EQ(code("{" + good + "}"), ErrorCode::corrupt);  // no kind
  EXPECT_EQ(code(R"({"kind":"transformer","d_model":4})"), ErrorCode::corrupt);  // dimensions missing
  EXPECT_EQ(code("{\"kind\":\"transformer\",\"extra\":1," + good + "}"), ErrorCode::corrupt);
  EXPECT_EQ(code("{\"kind\":\"transformer\",\"kind\":\"transformer\"," + good + "}"), ErrorCode::corrupt);
  EXPECT_EQ(code("{\"kind\":\"transformer\",\"d_model\":4," + good + "}"), ErrorCode::corrupt);  // duplicate
  EXPECT_EQ(code("{\"kind\":1," + good + "}"), ErrorCode::corrupt);
  EXPECT_EQ(code("[]"), ErrorCode::corrupt);
  EXPECT_EQ(code(""), ErrorCode::corrupt);
  EXPECT_EQ(code("{\"kind\":\"transformer\"," + good + "} x"), ErrorCode::corrupt);
  EXPECT_EQ(code(std::string(kMaxArchitectureBytes + 1, ' ')), ErrorCode::corrupt);
  auto with = [&](const std::string& key, const std::string& value) {
    std::string s = "{\"kind\":\"transformer\"," + good + "}";
    const size_t at = s.find("\"" + key + "\":");
    const size_t from = at + key.size() + 3;
    const size_t to = s.find_first_of(",}", from);
    return code(s.substr(0, from) + value + s.substr(to));
  };
  EXPECT_EQ(with("d_model", "8"), ErrorCode::ok);
  EXPECT_EQ(with("d_model", "0"), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "-4"), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "4.0"), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "\"4\""), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "[4]"), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "99999999999"), ErrorCode::corrupt);
  EXPECT_EQ(with("d_model", "6"), ErrorCode::ok);
  EXPECT_EQ(with("heads", "4"), ErrorCode::ok);
  EXPECT_EQ(with("heads", "3"), ErrorCode::corrupt);  // does not divide d_model
  EXPECT_EQ(with("layers", "257"), ErrorCode::corrupt);
  EXPECT_EQ(with("vocab", "1"), ErrorCode::corrupt);
  EXPECT_EQ(with("element_size", "4"), ErrorCode::corrupt);
  EXPECT_EQ(with("window", "null"), ErrorCode::corrupt);
  EXPECT_EQ(with("window", "true"), ErrorCode::corrupt);
}

// ---- hostile files ----------------------------------------------------------------------------

struct HostileCase {
  const char* what;
  Bytes file;
  ErrorCode expected;
};

std::string tensor(const std::string& name, const std::string& dtype, const std::string& shape, uint64_t b, uint64_t e) {
  return "\"" + name + R"(":{"dtype":")" + dtype + R"(","shape":)" + shape + R"(,"data_offsets":[)" + std::to_string(b) +
         "," + std::to_string(e) + "]}";
}

std::vector<HostileCase> hostile_cases() {
  auto len_only = [](uint64_t n, size_t extra) {
    Bytes b(8 + extra, '{');
    core::store_le64(b.data(), n);
    return b;
  };
  const Bytes d8(8, 0);
  std::vector<HostileCase> c = {
      {"empty file", {}, ErrorCode::truncated},
      {"7 bytes", Bytes(7, 0), ErrorCode::truncated},
      {"header length beyond the file", len_only(100, 20), ErrorCode::truncated},
      {"header length 2^63", len_only(uint64_t{1} << 63, 20), ErrorCode::corrupt},
      {"header length 0", len_only(0, 0), ErrorCode::corrupt},
      {"header length 1", len_only(1, 1), ErrorCode::corrupt},
      {"header is an array", raw_file("[]"), ErrorCode::corrupt},
      {"header is a string", raw_file("\"{}\""), ErrorCode::corrupt},
      {"byte-order mark", raw_file("\xEF\xBB\xBF{}"), ErrorCode::corrupt},
      {"unterminated JSON", raw_file("{\"a\":"), ErrorCode::corrupt},
      {"bad JSON", raw_file("{,}"), ErrorCode::corrupt},
      {"garbage after the object", raw_file("{} x"), ErrorCode::corrupt},
      {"NUL padding", raw_file(std::string("{}\0\0", 4)), ErrorCode::corrupt},
      {"invalid UTF-8 in a string", raw_file("{\"__metadata__\":{\"k\":\"\xC3\x28\"}}"), ErrorCode::corrupt},
      {"comment", raw_file("{/* */}"), ErrorCode::corrupt},
      {"tensor entry not an object", raw_file(R"({"a":1})"), ErrorCode::corrupt},
      {"tensor entry an array", raw_file(R"({"a":[]})"), ErrorCode::corrupt},
      {"unknown dtype", raw_file("{" + tensor("a", "Q4", "[1]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"dtype not a string", raw_file(R"({"a":{"dtype":8,"shape":[1],"data_offsets":[0,1]}})", {0}), ErrorCode::corrupt},
      {"negative shape", raw_file("{" + tensor("a", "U8", "[-1]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"float shape", raw_file("{" + tensor("a", "U8", "[1.5]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"exponent shape", raw_file("{" + tensor("a", "U8", "[1e0]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"shape beyond 2^64", raw_file("{" + tensor("a", "U8", "[18446744073709551616]", 0, 1) + "}", {0}),
       ErrorCode::corrupt},
      {"shape not an array", raw_file("{" + tensor("a", "U8", "1", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"nested shape", raw_file("{" + tensor("a", "U8", "[[1]]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"shape string entry", raw_file("{" + tensor("a", "U8", "[\"1\"]", 0, 1) + "}", {0}), ErrorCode::corrupt},
      {"shape product overflow", raw_file("{" + tensor("a", "U8", "[4294967296,4294967296,2]", 0, 8) + "}", d8),
       ErrorCode::corrupt},
      {"shape × dtype size overflow", raw_file("{" + tensor("a", "I64", "[4611686018427387904]", 0, 8) + "}", d8),
       ErrorCode::corrupt},
      {"rank 9", raw_file("{" + tensor("a", "U8", "[1,1,1,1,1,1,1,1,1]", 0, 1) + "}", {0}), ErrorCode::limit_exceeded},
      {"size differs from shape × dtype", raw_file("{" + tensor("a", "I32", "[2]", 0, 4) + "}", {0, 0, 0, 0}),
       ErrorCode::corrupt},
      {"offsets begin after end", raw_file("{" + tensor("a", "U8", "[0]", 4, 0) + "}"), ErrorCode::corrupt},
      {"offsets beyond the file", raw_file("{" + tensor("a", "U8", "[1000]", 0, 1000) + "}", d8), ErrorCode::truncated},
      {"offsets near 2^64", raw_file("{" + tensor("a", "U8", "[8]", 18446744073709551607ull, 18446744073709551615ull) + "}", d8),
       ErrorCode::corrupt},
      {"huge tensor, tiny file", raw_file("{" + tensor("a", "U8", "[1099511627776]", 0, 1099511627776) + "}", d8),
       ErrorCode::truncated},
      {"overlapping tensors",
       raw_file("{" + tensor("a", "U8", "[4]", 0, 4) + "," + tensor("b", "U8", "[4]", 2, 6) + "}", Bytes(6, 0)),
       ErrorCode::corrupt},
      {"gap between tensors",
       raw_file("{" + tensor("a", "U8", "[4]", 0, 4) + "," + tensor("b", "U8", "[4]", 6, 10) + "}", Bytes(10, 0)),
       ErrorCode::corrupt},
      {"gap at the start", raw_file("{" + tensor("a", "U8", "[4]", 4, 8) + "}", d8), ErrorCode::corrupt},
      {"bytes after the last tensor", raw_file("{" + tensor("a", "U8", "[4]", 0, 4) + "}", d8), ErrorCode::corrupt},
      {"duplicate tensor name",
       raw_file("{" + tensor("a", "U8", "[4]", 0, 4) + "," + tensor("a", "U8", "[4]", 4, 8) + "}", d8),
       ErrorCode::corrupt},
      {"duplicate field", raw_file(R"({"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}})", {0}),
       ErrorCode::corrupt},
      {"unknown field", raw_file(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":0}})", {0}),
       ErrorCode::corrupt},
      {"missing dtype", raw_file(R"({"a":{"shape":[1],"data_offsets":[0,1]}})", {0}), ErrorCode::corrupt},
      {"missing shape", raw_file(R"({"a":{"dtype":"U8","data_offsets":[0,1]}})", {0}), ErrorCode::corrupt},
      {"missing offsets", raw_file(R"({"a":{"dtype":"U8","shape":[1]}})", {0}), ErrorCode::corrupt},
      {"one offset", raw_file(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", {0}), ErrorCode::corrupt},
      {"three offsets", raw_file(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}})", {0}), ErrorCode::corrupt},
      {"negative offset", raw_file(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}})", {0}), ErrorCode::corrupt},
      {"metadata not an object", raw_file(R"({"__metadata__":[]})"), ErrorCode::corrupt},
      {"metadata value a number", raw_file(R"({"__metadata__":{"k":1}})"), ErrorCode::corrupt},
      {"metadata value an object", raw_file(R"({"__metadata__":{"k":{"a":"b"}}})"), ErrorCode::corrupt},
      {"metadata value null", raw_file(R"({"__metadata__":{"k":null}})"), ErrorCode::corrupt},
      {"duplicate metadata key", raw_file(R"({"__metadata__":{"k":"a","k":"b"}})"), ErrorCode::corrupt},
      {"duplicate __metadata__", raw_file(R"({"__metadata__":{},"__metadata__":{}})"), ErrorCode::corrupt},
      {"deep nesting", raw_file("{\"__metadata__\":{\"k\":" + std::string(100000, '[') + "}}"), ErrorCode::corrupt},
      {"invalid architecture",
       raw_file(R"({"__metadata__":{"format":"nzm","format_version":"1","architecture":"{\"kind\":\"transformer\"}"}})"),
       ErrorCode::corrupt},
      {"name too long", raw_file("{" + tensor(std::string(kMaxNameBytes + 1, 'n'), "U8", "[0]", 0, 0) + "}"),
       ErrorCode::limit_exceeded},
  };
  return c;
}

TEST(ModelFileHostile, EachMalformedFileIsRefusedWithItsErrorCode) {
  for (const auto& c : hostile_cases()) {
    EXPECT_EQ(parse_code(c.file), c.expected) << c.what;
    // model info goes through the same checks.
    EXPECT_EQ(code_of([&] { summarize_model_bytes(c.file); }), c.expected) << c.what;
  }
}

TEST(ModelFileHostile, MinimalFilesThatAreValid) {
  EXPECT_EQ(parse_code(raw_file("{}")), ErrorCode::ok);
  EXPECT_EQ(parse_code(raw_file("{}   \n\t")), ErrorCode::ok);
  EXPECT_EQ(parse_code(raw_file("{" + tensor("a", "U8", "[0]", 0, 0) + "," + tensor("b", "U8", "[0,3]", 0, 0) + "}")),
            ErrorCode::ok);
  EXPECT_EQ(parse_code(raw_file("{" + tensor("", "U8", "[]", 0, 1) + "}", {7})), ErrorCode::ok);
}

TEST(ModelFileHostile, TooManyTensorsIsALimit) {
  std::string h = "{";
  for (size_t i = 0; i <= kMaxTensors; ++i) {
    if (i) h += ',';
    std::string name = "t";
    name += std::to_string(i);
    h += tensor(name, "U8", "[0]", 0, 0);
  }
  h += "}";
  EXPECT_EQ(parse_code(raw_file(h)), ErrorCode::limit_exceeded);
}

TEST(ModelFileHostile, HeaderOverTheLimitIsRefusedBeforeReadingIt) {
  // A 16 MiB + 8 header length in a file that is long enough: limit, not an allocation.
  Bytes b(8 + kMaxHeaderBytes + 8, ' ');
  core::store_le64(b.data(), kMaxHeaderBytes + 8);
  b[8] = '{';
  EXPECT_EQ(parse_code(b), ErrorCode::limit_exceeded);
}

TEST(ModelFileHostile, FilesThatCannotBeReadAreIoErrors) {
  TempDir dir;
  EXPECT_EQ(code_of([&] { load_model_file((dir.path / "missing.nzm").string()); }), ErrorCode::io);
  EXPECT_EQ(code_of([&] { load_model_file(dir.path.string()); }), ErrorCode::io);
  EXPECT_EQ(code_of([&] { model_info((dir.path / "missing.nzm").string()); }), ErrorCode::io);
}

// Every truncation and many random byte flips of a valid file: loads identically (the
// flip hit padding-equivalent bytes) or throws nzip::Error; summary and load agree.
TEST(ModelFileHostile, TruncationsAndByteFlipsLoadIdenticallyOrThrow) {
  const Bytes good = serialize_model(sweep_model());
  const ModelFile reference = parse_model_bytes(good);
  auto check = [&](const Bytes& f, const std::string& what) {
    ErrorCode load_code = ErrorCode::ok, summary_code = ErrorCode::ok;
    ModelFile m;
    try {
      m = parse_model_bytes(f);
    } catch (const Error& e) {
      load_code = e.code();
    }
    try {
      ModelSummary s = summarize_model_bytes(f);
      if (load_code == ErrorCode::ok) {
        EXPECT_EQ(s.id, m.id) << what;
      }
    } catch (const Error& e) {
      summary_code = e.code();
    }
    EXPECT_EQ(load_code, summary_code) << what;
    if (load_code == ErrorCode::ok && m.id == reference.id) expect_same_model(m, reference);
    return load_code;
  };
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_NE(check(Bytes(good.begin(), good.begin() + static_cast<long>(n)), "truncated to " + std::to_string(n)),
              ErrorCode::ok);
  }
  std::mt19937_64 rng(12345);
  const int flips = nzip_test::small_scale() ? 2000 : 20000;
  int accepted = 0;
  for (int i = 0; i < flips; ++i) {
    Bytes f = good;
    const int count = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < count; ++k) f[rng() % f.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    if (check(f, "flip " + std::to_string(i)) == ErrorCode::ok) ++accepted;
  }
  // Flips inside tensor data are accepted (with a different id): the file has no checksum,
  // its id is what a container checks.
  EXPECT_GT(accepted, 0);
}

// ---- writer --------------------------------------------------------------------------------

TEST(ModelFileWriter, RefusesModelsThatWouldNotLoad) {
  auto code = [](ModelFile m) { return code_of([&] { serialize_model(m); }); };
  ModelFile dup = tiny_model();
  dup.tensors.push_back(dup.tensors[0]);
  EXPECT_EQ(code(dup), ErrorCode::invalid_argument);
  ModelFile size = tiny_model();
  size.tensors[0].bytes.pop_back();
  EXPECT_EQ(code(size), ErrorCode::invalid_argument);
  ModelFile reserved = tiny_model();
  reserved.tensors[0].name = "__metadata__";
  EXPECT_EQ(code(reserved), ErrorCode::invalid_argument);
  ModelFile flt = tiny_model();
  flt.tensors.push_back(make_tensor("f", DType::F32, {}, {0, 0, 0, 0}));
  EXPECT_EQ(code(flt), ErrorCode::invalid_argument);
  ModelFile arch = tiny_model();
  arch.metadata["architecture"] = "{}";
  EXPECT_EQ(code(arch), ErrorCode::invalid_argument);
  ModelFile utf8 = tiny_model();
  utf8.metadata["bad"] = "\xC3\x28";
  EXPECT_EQ(code(utf8), ErrorCode::invalid_argument);
  ModelFile surrogate = tiny_model();
  surrogate.tensors[0].name = "\xED\xA0\x80";
  EXPECT_EQ(code(surrogate), ErrorCode::invalid_argument);
  ModelFile overlong = tiny_model();
  overlong.metadata["\xC0\xAF"] = "";
  EXPECT_EQ(code(overlong), ErrorCode::invalid_argument);
  ModelFile rank = tiny_model();
  rank.tensors.push_back(make_tensor("r", DType::U8, std::vector<uint64_t>(9, 1), {0}));
  EXPECT_EQ(code(rank), ErrorCode::invalid_argument);
}

TEST(ModelFileWriter, ReplacesAnExistingFileAndLeavesNothingOnFailure) {
  TempDir dir;
  const std::string path = (dir.path / "m.nzm").string();
  write_model_file(path, sweep_model());
  const ModelId id = write_model_file(path, tiny_model());
  EXPECT_EQ(load_nzip_model(path).id, id);
  ModelFile bad = tiny_model();
  bad.tensors[0].bytes.clear();
  EXPECT_EQ(code_of([&] { write_model_file(path, bad); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([&] { write_model_file((dir.path / "no" / "m.nzm").string(), tiny_model()); }), ErrorCode::io);
  EXPECT_EQ(load_nzip_model(path).id, id);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path), {}), 1);
}

}  // namespace
