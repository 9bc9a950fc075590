// Proves the network-model path of nzip (nzip --model): the network's distribution, mixed
// into context mixing (method 2) or coding alone (method 3), round-trips corpus excerpts
// of text, binary and float data exactly — the encoder runs the model teacher-forced in
// segments, the decoder steps it in lockstep lanes, so a round trip proves both give the
// same frequencies; the container's bytes do not depend on the thread count or the SIMD
// target; lanes of different lengths and any split of lanes decode alike; an oracle network
// really lowers the cost of context mixing; and a missing or different model, a damaged
// payload, or a network method in a model-free container give clear errors, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "api/memory_io.h"
#include "api/network_model_impl.h"
#include "cm/logistic.h"
#include "cm/network_mix.h"
#include "cm/predictor.h"
#include "codec/network_codec.h"
#include "format/layout.h"
#include "model/model_file.h"
#include "model/transformer_weights.h"
#include "nn/simd_target.h"
#include "nn_test_support.h"
#include "nzip/model.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace nzip {
namespace {

using nzip_test::Bytes;
using nzip_test::code_of;
using nzip_test::same_bytes;

model::ModelArchitecture tiny_arch() {
  return model::byte_transformer(32, 1, 2, 64, 48);
}

std::shared_ptr<const NetworkModel> tiny_model(uint64_t seed = 5) {
  return api::make_network_model(model::make_random_transformer(tiny_arch(), seed, 4));
}

// The first n bytes of a corpus file (random bytes when the corpus is absent).
Bytes excerpt(const std::string& rel, size_t n) {
  const auto path = nzip_test::corpus_dir() / rel;
  if (!std::filesystem::exists(path)) return nzip_test::random_bytes(n, 3);
  return nzip_test::read_file(path, n);
}

size_t scaled(size_t n) { return nzip_test::small_scale() ? n / 4 : n; }

// The network's own likeliest continuation (argmax at each step; ties to the lower byte),
// with every 7th byte taken from `mix` so it is not a pure cycle: data a random network
// does predict, so network-only coding really codes instead of storing.
Bytes greedy_bytes(const NetworkModel& m, size_t n, const Bytes& mix = {}) {
  const auto& tm = m.impl().transformer;
  model::TransformerState s = tm.make_state();
  model::TransformerState* lane[] = {&s};
  Bytes out;
  std::vector<uint16_t> f(256);
  uint8_t prev = 0;
  for (size_t t = 0; t < n; ++t) {
    tm.step(lane, std::span<const uint8_t>(&prev, 1), f.data());
    prev = static_cast<uint8_t>(std::max_element(f.begin(), f.end()) - f.begin());
    if (t % 7 == 6 && t < mix.size()) prev = mix[t];
    out.push_back(prev);
  }
  return out;
}

CompressOptions model_options(const std::shared_ptr<const NetworkModel>& m, bool network_only, unsigned threads = 1) {
  CompressOptions o;
  o.level = 2;
  o.threads = threads;
  o.chunk_size = 1024;  // several chunks, so the decoder runs several lanes
  o.model = m;
  o.network_only = network_only;
  return o;
}

DecompressOptions with_model(const std::shared_ptr<const NetworkModel>& m, unsigned threads = 1) {
  DecompressOptions o;
  o.threads = threads;
  o.model = m;
  return o;
}

struct Sample {
  const char* rel;
  size_t bytes;
};
const Sample kSamples[] = {{"text/alice29.txt", 6000}, {"binary/kennedy.xls", 3000},
                           {"float/hep_taus_pt.f32", 3000}};

TEST(NetworkCodec, CorpusExcerptsRoundTripWithBothMethodsAndRecordTheModel) {
  const auto m = tiny_model();
  for (const Sample& s : kSamples) {
    const Bytes in = excerpt(s.rel, scaled(s.bytes));
    for (bool only : {false, true}) {
      SCOPED_TRACE(std::string(s.rel) + (only ? " network only" : " cm + network"));
      const Bytes nz = compress(in, model_options(m, only));
      const ContainerInfo info = inspect(nz);
      EXPECT_EQ(info.predictor, format::kPredictorNetwork);
      EXPECT_EQ(info.model, m->id_hex());
      for (const ChunkInfo& c : info.chunks)
        EXPECT_TRUE(c.method == (only ? 6 : 5) || c.method == 0) << "method " << int{c.method};
      EXPECT_TRUE(same_bytes(in, decompress(nz, with_model(m))));
      // Random access decodes a chunk alone (one lane).
      if (info.chunks.size() > 1) {
        const Bytes one = decompress_chunk(nz, 1, with_model(m));
        EXPECT_TRUE(same_bytes(Bytes(in.begin() + 1024, in.begin() + 1024 + static_cast<long>(one.size())), one));
      }
    }
  }
}

// A model whose position table spans a record (P = 148) gets chunks of whole records, so that
// row t mod P lines up with the fields in every chunk: 1000-byte chunks become 888 bytes
// (6 records), and with a float64 layout whole elements and records (lcm 296: again 888).
TEST(NetworkCodec, ChunksHoldWholePeriodsOfTheModelsPositionTable) {
  const auto m = api::make_network_model(model::make_random_transformer(tiny_arch(), 5, 148));
  const Bytes in = excerpt("float/hep_alice_hyp3o2.rows.f32", 3000);
  for (const bool layout : {false, true}) {
    CompressOptions o = model_options(m, false);
    o.chunk_size = 1000;
    if (layout) o.layout = {8, false, 0};
    const Bytes nz = compress(in, o);
    const ContainerInfo info = inspect(nz);
    ASSERT_EQ(info.chunks.size(), 4u) << layout;
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(info.chunks[i].original_size, 888u) << layout;
    EXPECT_EQ(info.chunks[3].original_size, 3000u - 3 * 888) << layout;
    EXPECT_TRUE(same_bytes(in, decompress(nz, with_model(m))));
  }
}

// Data the network predicts well: network-only coding must code (method 3), not store, and
// round-trip through the lockstep decoder with several lanes and threads.
TEST(NetworkCodec, NetworkOnlyCodesWhatTheNetworkPredicts) {
  const auto m = tiny_model();
  const Bytes in = greedy_bytes(*m, scaled(4000), excerpt("text/alice29.txt", 4000));
  const Bytes nz = compress(in, model_options(m, true));
  size_t coded = 0;
  for (const ChunkInfo& c : inspect(nz).chunks) coded += c.method == 6;
  EXPECT_GT(coded, 0u) << "every chunk stored: the network-only coder did not run";
  EXPECT_LT(nz.size(), in.size() * 3 / 4);
  for (unsigned t : {1u, 3u}) EXPECT_TRUE(same_bytes(in, decompress(nz, with_model(m, t)))) << "-T" << t;
}

TEST(NetworkCodec, ContextMixingWithTheNetworkStillCompressesText) {
  // A random network knows nothing; the mixer must learn to ignore it, so text still
  // compresses well (within a few percent of context mixing alone).
  const Bytes in = excerpt("text/alice29.txt", scaled(8000));
  CompressOptions cm;
  cm.level = 2;
  cm.threads = 1;
  cm.chunk_size = 1024;
  const size_t plain = compress(in, cm).size();
  const size_t mixed = compress(in, model_options(tiny_model(), false)).size();
  EXPECT_LT(mixed, plain + plain / 10) << "plain cm " << plain << ", cm + network " << mixed;
}

TEST(NetworkCodec, EdgeSizesRoundTrip) {
  const auto m = tiny_model();
  const Bytes text = excerpt("text/alice29.txt", 3 * 1024 + 1);
  for (size_t n : {size_t{0}, size_t{1}, size_t{1023}, size_t{1024}, size_t{1025}, size_t{2048}, size_t{3073}}) {
    const Bytes in(text.begin(), text.begin() + static_cast<long>(n));
    for (bool only : {false, true}) {
      SCOPED_TRACE("size " + std::to_string(n) + (only ? " network only" : ""));
      const Bytes nz = compress(in, model_options(m, only));
      EXPECT_TRUE(same_bytes(in, decompress(nz, with_model(m))));
    }
  }
  // All zeros: highly compressible, one chunk per lane.
  const Bytes zeros(2500, 0);
  EXPECT_TRUE(same_bytes(zeros, decompress(compress(zeros, model_options(m, true)), with_model(m))));
}

TEST(NetworkCodec, BytesDoNotDependOnThreadCount) {
  const auto m = tiny_model();
  const Bytes in = excerpt("text/alice29.txt", scaled(6000));
  for (bool only : {false, true}) {
    const Bytes one = compress(in, model_options(m, only, 1));
    for (unsigned t : {2u, 3u}) {
      EXPECT_TRUE(same_bytes(one, compress(in, model_options(m, only, t)))) << "-T" << t;
      EXPECT_TRUE(same_bytes(in, decompress(one, with_model(m, t)))) << "-T" << t;
    }
  }
}

TEST(NetworkCodec, BytesDoNotDependOnTheSimdTarget) {
  const auto m = tiny_model();
  const Bytes in = excerpt("float/hep_taus_pt.f32", scaled(3000));
  Bytes want_mix, want_net;
  nzip_test::for_each_simd_target([&](int64_t) {
    const Bytes mix = compress(in, model_options(m, false));
    const Bytes net = compress(in, model_options(m, true));
    if (want_mix.empty()) {
      want_mix = mix;
      want_net = net;
    }
    EXPECT_TRUE(same_bytes(want_mix, mix));
    EXPECT_TRUE(same_bytes(want_net, net));
    EXPECT_TRUE(same_bytes(in, decompress(net, with_model(m, 2))));
  });
}

// Lanes of different lengths and methods in one lockstep group (method 5 with and without a
// transform among them), and the same chunks split over separate calls, decode to the
// encoder's bytes: a lane never sees another.
TEST(NetworkCodec, LanesOfAnyLengthAndGroupingDecodeAlike) {
  const auto m = tiny_model();
  const auto& tm = m->impl().transformer;
  const Bytes text = excerpt("text/alice29.txt", 2000);
  const Bytes floats = excerpt("float/hep_hzz.cols.f32", 8192);
  const codec::NumericHint f4{4, false, 0};
  std::vector<Bytes> in, payload;
  std::vector<codec::Method> methods;
  auto add = [&](Bytes chunk, codec::Method method, const codec::NumericHint& hint = {}) {
    in.push_back(std::move(chunk));
    methods.push_back(method);
    payload.push_back(
        codec::encode_network_chunk(tm, in.back(), 2, method, codec::plan_chunk(in.back(), 2, hint), /*give_up=*/false));
  };
  add(Bytes(text.begin(), text.begin() + 700), codec::Method::cm_network);
  add(Bytes(text.begin() + 700, text.begin() + 701), codec::Method::network);
  add(Bytes(text.begin() + 701, text.begin() + 1001), codec::Method::cm_network_planned);
  add(Bytes(text.begin() + 1001, text.begin() + 1065), codec::Method::network);
  add(floats, codec::Method::cm_network_planned, f4);
  add(Bytes(floats.begin(), floats.begin() + 4099), codec::Method::cm_network_planned, f4);  // a partial element
  add(floats, codec::Method::network_planned, f4);
  // The float chunks really are transformed (most significant byte first): the lane decoder's
  // second buffer is exercised.
  ASSERT_EQ(payload[4][0], static_cast<uint8_t>(cm::Profile::numeric));
  ASSERT_NE(payload[4][1], codec::transform_descriptor(codec::ByteTransform{}));
  std::vector<size_t> sizes;
  for (const Bytes& b : in) sizes.push_back(b.size());
  auto decode = [&](std::vector<size_t> group) {
    std::vector<Bytes> out(sizes.size());
    std::vector<codec::NetworkLane> lanes;
    for (size_t i : group) {
      out[i].resize(sizes[i]);
      lanes.push_back({methods[i], payload[i], out[i], nullptr});
    }
    codec::decode_network_lanes(tm, 2, lanes);
    for (const auto& l : lanes) EXPECT_FALSE(l.error);
    return out;
  };
  ASSERT_EQ(payload[6][0], static_cast<uint8_t>(cm::Profile::numeric));
  const std::vector<Bytes> together = decode({0, 1, 2, 3, 4, 5, 6});
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_TRUE(same_bytes(in[i], together[i])) << "lane " << i;
    EXPECT_TRUE(same_bytes(in[i], decode({i})[i])) << "lane " << i << " alone";
  }
}

TEST(NetworkCodec, MissingOrDifferentModelIsAClearError) {
  const auto m = tiny_model(5);
  const Bytes in = excerpt("text/alice29.txt", 2000);
  const Bytes nz = compress(in, model_options(m, false));
  try {
    decompress(nz);
    FAIL() << "decoded without the model";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_mismatch);
    EXPECT_NE(std::string(e.what()).find(m->id_hex()), std::string::npos) << e.what();
  }
  const auto other = tiny_model(6);
  ASSERT_NE(other->id_hex(), m->id_hex());
  try {
    decompress(nz, with_model(other));
    FAIL() << "decoded with another model";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_mismatch);
    EXPECT_NE(std::string(e.what()).find(m->id_hex()), std::string::npos) << e.what();
  }
  EXPECT_EQ(code_of([&] { decompress_chunk(nz, 0); }), ErrorCode::model_mismatch);
  // A model given for a model-free container is simply not needed.
  CompressOptions plain;
  plain.level = 1;
  EXPECT_TRUE(same_bytes(in, decompress(compress(in, plain), with_model(m))));
  // Network-only coding without a network is a caller error.
  CompressOptions bad;
  bad.network_only = true;
  EXPECT_EQ(code_of([&] { compress(in, bad); }), ErrorCode::invalid_argument);
}

TEST(NetworkCodec, DamagedPayloadFailsCleanlyNamingTheChunk) {
  const auto m = tiny_model();
  const Bytes in = excerpt("text/alice29.txt", 3000);
  for (bool only : {false, true}) {
    const Bytes nz = compress(in, model_options(m, only));
    const ContainerInfo info = inspect(nz);
    ASSERT_GE(info.chunks.size(), 2u);
    // Flip bytes inside chunk 1's payload (the frame header is 36 bytes): the frame checks
    // cover headers only, so the decoder meets the damage and the checksum catches it.
    for (size_t k : {size_t{0}, size_t{5}, info.chunks[1].compressed_size / 2}) {
      Bytes bad = nz;
      bad[info.chunks[1].offset + 36 + k] ^= 0x5A;
      try {
        const Bytes out = decompress(bad, with_model(m, 2));
        ADD_FAILURE() << "damage at payload byte " << k << " went unnoticed";
      } catch (const Error& e) {
        EXPECT_TRUE(e.code() == ErrorCode::checksum_mismatch || e.code() == ErrorCode::corrupt) << e.what();
        ASSERT_TRUE(e.chunk().has_value());
        EXPECT_EQ(*e.chunk(), 1u);
      }
    }
    // Cut short: a clear error, never a crash.
    const Bytes cut(nz.begin(), nz.begin() + static_cast<long>(nz.size() / 2));
    EXPECT_NE(code_of([&] { decompress(cut, with_model(m)); }), ErrorCode::ok);
  }
}

// Streaming decode with a model: on damage in chunk 5 (inside the first group of lanes at
// -T1, 8 chunks, and at -T2, 16) the sink receives exactly the verified chunks before it,
// whatever the thread count, and the error names chunk 5.
TEST(NetworkCodec, StreamDecodeWritesOnlyTheChunksBeforeTheDamage) {
  const auto m = tiny_model();
  const Bytes in = excerpt("text/alice29.txt", 10 * 1024);
  const Bytes nz = compress(in, model_options(m, false));
  const ContainerInfo info = inspect(nz);
  ASSERT_GE(info.chunks.size(), 10u);
  Bytes bad = nz;
  bad[info.chunks[5].offset + 36 + info.chunks[5].compressed_size / 3] ^= 0x40;
  for (unsigned t : {1u, 2u}) {
    api::SpanSource src(bad);
    Bytes out;
    api::VectorSink sink(out);
    try {
      decompress_stream(src, sink, with_model(m, t));
      ADD_FAILURE() << "damage went unnoticed at -T" << t;
    } catch (const Error& e) {
      ASSERT_TRUE(e.chunk().has_value()) << e.what();
      EXPECT_EQ(*e.chunk(), 5u) << e.what();
    }
    EXPECT_TRUE(same_bytes(Bytes(in.begin(), in.begin() + 5 * 1024), out)) << "-T" << t;
  }
}

TEST(NetworkCodec, NetworkMethodsAreRefusedInAModelFreeContainer) {
  format::Header h;
  h.level = 6;
  h.chunk_size = 1024;
  format::FrameHeader f{format::kMethodNetwork, 10, 5, 0};
  auto bytes = format::encode_frame_header(f, 0);
  EXPECT_EQ(code_of([&] { format::parse_frame_header(bytes, 0, h); }), ErrorCode::corrupt);
  h.predictor = format::kPredictorNetwork;
  h.model_id[0] = 1;
  EXPECT_EQ(code_of([&] { format::parse_frame_header(bytes, 0, h); }), ErrorCode::ok);
}

// With an oracle network (all mass on the true next byte) context mixing + network codes
// random bytes, which context mixing alone cannot compress, in a small fraction of the
// size: the network's input and the final APM really drive the probability.
TEST(NetworkMix, OracleNetworkLowersTheCostOfContextMixing) {
  const Bytes in = nzip_test::random_bytes(scaled(4000), 17);
  auto cost = [&](bool oracle) {
    cm::Predictor plain(2, in.data(), in.size());
    cm::NetworkMixPredictor mix(2, in.data(), in.size());
    double bits = 0;
    std::vector<uint16_t> f(256, 1);
    for (const uint8_t c : in) {
      std::fill(f.begin(), f.end(), uint16_t{1});
      f[c] = 65536 - 255;
      mix.set_distribution(f.data());
      for (int i = 7; i >= 0; --i) {
        const int bit = (c >> i) & 1;
        const int p = oracle ? mix.p() : plain.p();
        EXPECT_GE(p, 1);
        EXPECT_LE(p, 65535);
        bits -= std::log2((bit ? p : 65536 - p) / 65536.0);
        if (oracle) {
          mix.update(bit);
        } else {
          plain.update(bit);
        }
      }
    }
    return bits / 8;
  };
  const double plain = cost(false), oracle = cost(true);
  EXPECT_GT(plain, 0.95 * static_cast<double>(in.size()));
  EXPECT_LT(oracle, 0.2 * static_cast<double>(in.size())) << "plain " << plain << " bytes, with oracle " << oracle;
}

TEST(NetworkModelApi, LoadsFromBytesAndRefusesPlainSafetensors) {
  const model::ModelFile f = model::make_random_transformer(tiny_arch(), 5, 4);
  const Bytes bytes = model::serialize_model(f);
  const auto m = NetworkModel::load(bytes);
  EXPECT_EQ(m->id(), f.id);
  EXPECT_EQ(m->id_hex().size(), 32u);
  EXPECT_EQ(m->parameter_count(), f.parameter_count());
  Bytes cut(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2));
  EXPECT_NE(code_of([&] { NetworkModel::load(cut); }), ErrorCode::ok);
  model::ModelFile plain;
  plain.tensors.push_back({"x", model::DType::I8, {2}, {1, 2}});
  EXPECT_EQ(code_of([&] { NetworkModel::load(model::serialize_model(plain)); }), ErrorCode::bad_magic);
}

// ---- golden files of the model path (tests/golden/README.md) ---------------------------

const std::filesystem::path kGolden = std::filesystem::path(NZIP_SOURCE_DIR) / "tests" / "golden";

Bytes file_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

// Originals coded with the stored model network.nzm (several lanes each): text.txt with
// context mixing + network, by method 2 (which nzip no longer writes: decode only) and by
// method 5; the network's own greedy continuation (network_greedy.bin, which it predicts
// well) with the network alone, by method 3 (decode only) and by method 6; floats.bin as
// float64 numbers by method 5, whose plan turns them most significant byte first, and the
// same with differences down the column (written while the encoder also tried column
// transforms on chunks this short; it now tries them from 64 KiB up: decode only).
struct NetworkGolden {
  const char* name;
  const char* original;
  int method;
  bool encoder_pinned;  // today's encoder writes exactly these bytes
  uint64_t chunk_size;
  bool float64;
};
const NetworkGolden kNetworkGolden[] = {
    {"text_cm_network.nz", "text.txt", 2, false, 128, false},
    {"network_greedy.nz", "network_greedy.bin", 3, false, 128, false},
    {"network_greedy_planned.nz", "network_greedy.bin", 6, true, 128, false},
    {"text_cm_network_planned.nz", "text.txt", 5, true, 128, false},
    {"floats_cm_network_planned.nz", "floats.bin", 5, true, 8192, true},
    {"floats_cm_network_column.nz", "floats.bin", 5, false, 8192, true}};

CompressOptions golden_options(const std::shared_ptr<const NetworkModel>& m, const NetworkGolden& g) {
  CompressOptions o = model_options(m, g.method == 3 || g.method == 6);
  o.level = 1;
  o.chunk_size = g.chunk_size;
  if (g.float64) o.layout = NumericLayout{8, false, 0};
  return o;
}

TEST(NetworkGolden, FilesDecodeAndEncodeToTheSameBytes) {
  const auto m = NetworkModel::load((kGolden / "network.nzm").string());
  for (const NetworkGolden& g : kNetworkGolden) {
    SCOPED_TRACE(g.name);
    const Bytes original = file_bytes(kGolden / g.original);
    ASSERT_FALSE(original.empty());
    const Bytes nz = file_bytes(kGolden / g.name);
    const ContainerInfo info = inspect(nz);
    EXPECT_EQ(info.model, m->id_hex());
    EXPECT_EQ(info.chunks[0].method, g.method);
    EXPECT_TRUE(same_bytes(original, decompress(nz, with_model(m, 2))));
    // The encoder is pinned too: a change to what methods 5/6 code needs a new method.
    if (g.encoder_pinned) {
      EXPECT_TRUE(same_bytes(nz, compress(original, golden_options(m, g))));
    }
  }
}

// Regenerates the model-path golden files that do not exist yet (only while the format is
// unreleased; delete a file to regenerate it):
//   nzip_tests --gtest_also_run_disabled_tests --gtest_filter='*GenerateNetworkGolden*'
TEST(NetworkGolden, DISABLED_GenerateNetworkGolden) {
  if (!std::filesystem::exists(kGolden / "network.nzm"))
    model::write_model_file((kGolden / "network.nzm").string(), model::make_random_transformer(tiny_arch(), 5, 4));
  const auto m = NetworkModel::load((kGolden / "network.nzm").string());
  if (!std::filesystem::exists(kGolden / "network_greedy.bin")) {
    const Bytes greedy = greedy_bytes(*m, 400, file_bytes(kGolden / "text.txt"));
    std::ofstream(kGolden / "network_greedy.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(greedy.data()), static_cast<std::streamsize>(greedy.size()));
  }
  for (const NetworkGolden& g : kNetworkGolden) {
    if (!g.encoder_pinned || std::filesystem::exists(kGolden / g.name)) continue;
    const Bytes nz = compress(file_bytes(kGolden / g.original), golden_options(m, g));
    // Also a fuzz seed: fuzz/decoder_fuzz.cpp decodes with the same model.
    for (const auto& dir : {kGolden, std::filesystem::path(NZIP_SOURCE_DIR) / "fuzz" / "seeds"})
      std::ofstream(dir / g.name, std::ios::binary)
          .write(reinterpret_cast<const char*>(nz.data()), static_cast<std::streamsize>(nz.size()));
  }
}

}  // namespace
}  // namespace nzip
