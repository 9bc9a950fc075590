// Proves that the integer transformer byte model (src/model/transformer*) with random
// weights is a usable, exact probability source for the range coder: its frequencies are
// valid coder tables; the teacher-forced whole-sequence pass equals step-by-step decoding
// bit for bit beyond the attention window; lanes in lockstep do not influence each other;
// every SIMD target gives the same frequencies; a corpus excerpt round-trips through the
// RangeEncoder/RangeDecoder driven by the model; malformed model files are refused; and a
// model written to disk and read back is the same model.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "coder/range_coder.h"
#include "model/model_file.h"
#include "model/transformer.h"
#include "model/transformer_weights.h"
#include "nn_test_support.h"
#include "nzip/error.h"
#include "test_support.h"

namespace nzip::model {
namespace {

using nzip_test::Bytes;

ModelArchitecture small_arch() {
  return byte_transformer(64, 2, 4, 128, 32);
}

// Element period 4: the four bytes of a float32 each get their own embedding row.
const ModelFile& random_model_file() {
  static const ModelFile f = make_random_transformer(small_arch(), 12345, 4);
  return f;
}

Bytes corpus_text(size_t n) {
  const auto path = nzip_test::corpus_dir() / "text" / "alice29.txt";
  if (!std::filesystem::exists(path)) return nzip_test::random_bytes(n, 99);
  return nzip_test::read_file(path, n);
}

std::vector<uint16_t> stepwise(const TransformerModel& m, const Bytes& b) {
  std::vector<uint16_t> f(b.size() * 256);
  TransformerState s = m.make_state();
  TransformerState* lane[] = {&s};
  for (size_t t = 0; t < b.size(); ++t) {
    const uint8_t prev = t == 0 ? 0 : b[t - 1];
    m.step(lane, std::span<const uint8_t>(&prev, 1), f.data() + t * 256);
  }
  return f;
}

void expect_valid_tables(const std::vector<uint16_t>& f) {
  for (size_t r = 0; r < f.size() / 256; ++r) {
    uint32_t sum = 0;
    for (size_t i = 0; i < 256; ++i) {
      ASSERT_GE(f[r * 256 + i], 1u) << "row " << r;
      sum += f[r * 256 + i];
    }
    ASSERT_EQ(sum, 1u << 16) << "row " << r;
  }
}

// (a) every row is a valid coder table, and the random model is not degenerate: the tables
// differ between positions and are not uniform.
TEST(Transformer, FrequenciesAreValidCoderTables) {
  const TransformerModel m(random_model_file());
  const Bytes b = corpus_text(100);
  std::vector<uint16_t> f(b.size() * 256);
  m.forward_sequence(b.data(), b.size(), f.data());
  expect_valid_tables(f);
  uint16_t max_f = 0;
  for (uint16_t v : f) max_f = std::max(max_f, v);
  EXPECT_GT(max_f, 2 * 256) << "all tables near-uniform: activations saturated or vanished";
  EXPECT_NE(std::vector<uint16_t>(f.begin(), f.begin() + 256), std::vector<uint16_t>(f.begin() + 256, f.begin() + 512));
}

// (b) the encoder's whole-sequence pass equals the decoder's step-by-step path bit for bit,
// including positions far past the window (ring-buffer wrap-around).
TEST(Transformer, ForwardSequenceEqualsStepByStep) {
  const TransformerModel m(random_model_file());
  const Bytes b = corpus_text(nzip_test::small_scale() ? 100 : 300);
  std::vector<uint16_t> seq(b.size() * 256);
  m.forward_sequence(b.data(), b.size(), seq.data());
  ASSERT_EQ(stepwise(m, b), seq);
}

// (b') the encoder's segmented teacher-forced pass (forward_continue, segments of uneven
// length that straddle the window) equals the whole-sequence pass and so step by step.
TEST(Transformer, ForwardContinueInSegmentsEqualsForwardSequence) {
  const TransformerModel m(random_model_file());
  const Bytes b = corpus_text(nzip_test::small_scale() ? 100 : 300);
  std::vector<uint16_t> seq(b.size() * 256), seg(b.size() * 256);
  m.forward_sequence(b.data(), b.size(), seq.data());
  TransformerState s = m.make_state();
  const size_t cuts[] = {1, 7, 33, 64};  // 1 = just the start position; 33 > window
  size_t at = 0;
  for (size_t i = 0; at < b.size(); ++i) {
    const size_t len = std::min(cuts[i % 4], b.size() - at);
    m.forward_continue(s, at == 0 ? 0 : b[at - 1], b.data() + at, len, seg.data() + at * 256);
    at += len;
  }
  EXPECT_EQ(s.position(), b.size());
  ASSERT_EQ(seg, seq);
}

// (c) three lanes stepping different inputs together give each lane's solo frequencies.
TEST(Transformer, LockstepLanesEqualSoloLanes) {
  const TransformerModel m(random_model_file());
  const size_t n = nzip_test::small_scale() ? 40 : 80;
  std::vector<Bytes> in = {corpus_text(n), nzip_test::random_bytes(n, 7), Bytes(n, 0x41)};
  std::vector<TransformerState> st;
  for (int i = 0; i < 3; ++i) st.push_back(m.make_state());
  std::vector<TransformerState*> lanes = {&st[0], &st[1], &st[2]};
  std::vector<std::vector<uint16_t>> got(3, std::vector<uint16_t>(n * 256));
  std::vector<uint16_t> f(3 * 256);
  for (size_t t = 0; t < n; ++t) {
    uint8_t prev[3];
    for (size_t l = 0; l < 3; ++l) prev[l] = t == 0 ? 0 : in[l][t - 1];
    m.step(lanes, prev, f.data());
    for (size_t l = 0; l < 3; ++l) std::copy_n(f.data() + l * 256, 256, got[l].data() + t * 256);
  }
  for (size_t l = 0; l < 3; ++l) EXPECT_EQ(got[l], stepwise(m, in[l])) << "lane " << l;
}

// (c') lanes need not start together: a lane that joins after others have run 50 and
// 20 steps (ring buffers already wrapped) still gets its solo frequencies.
TEST(Transformer, StaggeredLanesEqualSoloLanes) {
  const TransformerModel m(random_model_file());
  const size_t n = 70, starts[3] = {0, 30, 50};
  std::vector<Bytes> in = {corpus_text(n), nzip_test::random_bytes(n - 30, 3), nzip_test::random_bytes(n - 50, 4)};
  std::vector<TransformerState> st;
  for (int i = 0; i < 3; ++i) st.push_back(m.make_state());
  std::vector<std::vector<uint16_t>> got(3);
  for (size_t t = 0; t < n; ++t) {
    std::vector<TransformerState*> lanes;
    std::vector<uint8_t> prev;
    std::vector<size_t> which;
    for (size_t l = 0; l < 3; ++l) {
      if (t < starts[l]) continue;
      const size_t p = t - starts[l];
      lanes.push_back(&st[l]);
      prev.push_back(p == 0 ? 0 : in[l][p - 1]);
      which.push_back(l);
    }
    std::vector<uint16_t> f(lanes.size() * 256);
    m.step(lanes, prev, f.data());
    for (size_t i = 0; i < which.size(); ++i) got[which[i]].insert(got[which[i]].end(), f.begin() + i * 256, f.begin() + (i + 1) * 256);
  }
  for (size_t l = 0; l < 3; ++l) EXPECT_EQ(got[l], stepwise(m, in[l])) << "lane " << l;
}

// The position-in-element embedding takes part (P = 4 and P = 0 differ) and is optional
// (a model without it loads and gives valid tables, step == sequence).
TEST(Transformer, PositionInElementTableIsUsedAndOptional) {
  const ModelFile no_pos = make_random_transformer(small_arch(), 12345, 0);
  EXPECT_EQ(no_pos.find("embed.pos_in_element"), nullptr);
  const TransformerModel a(random_model_file()), b(no_pos);
  const Bytes in = corpus_text(40);
  std::vector<uint16_t> fa(in.size() * 256), fb(in.size() * 256);
  a.forward_sequence(in.data(), in.size(), fa.data());
  b.forward_sequence(in.data(), in.size(), fb.data());
  EXPECT_NE(fa, fb);
  expect_valid_tables(fb);
  EXPECT_EQ(stepwise(b, in), fb);
}

// A record-long period (148 bytes: 37 float32 fields) works as a field identity: such a model
// loads, step equals sequence, and rows beyond the first 64 take part (clearing rows 64 … 147
// changes the output at positions 64 … 147 and not before); a period above 4096 is refused.
TEST(Transformer, RecordLongPeriodIsAFieldIdentity) {
  const ModelFile record = make_random_transformer(small_arch(), 777, 148);
  nzip::model::TransformerWeights w = nzip::model::load_transformer_weights(record);
  const size_t d = w.arch.d_model;
  std::fill(w.embed_pos.begin() + 64 * d, w.embed_pos.end(), int8_t{0});
  const TransformerModel a(record), b(nzip::model::transformer_model_file(w));
  const Bytes in = corpus_text(300);
  std::vector<uint16_t> fa(in.size() * 256), fb(in.size() * 256);
  a.forward_sequence(in.data(), in.size(), fa.data());
  b.forward_sequence(in.data(), in.size(), fb.data());
  expect_valid_tables(fa);
  EXPECT_EQ(stepwise(a, in), fa);
  EXPECT_TRUE(std::equal(fa.begin(), fa.begin() + 64 * 256, fb.begin()));
  EXPECT_FALSE(std::equal(fa.begin() + 64 * 256, fa.begin() + 148 * 256, fb.begin() + 64 * 256));
  EXPECT_EQ(nzip_test::code_of([] { make_random_transformer(small_arch(), 1, 4097); }), nzip::ErrorCode::invalid_argument);
}

// Step refuses mismatched spans instead of reading past one.
TEST(Transformer, StepRefusesMismatchedLaneAndByteCounts) {
  const TransformerModel m(random_model_file());
  TransformerState s = m.make_state();
  TransformerState* lane[] = {&s};
  const uint8_t two[2] = {1, 2};
  std::vector<uint16_t> f(512);
  EXPECT_THROW(m.step(lane, two, f.data()), Error);
}

// (d) forced SIMD targets (scalar … AVX-512 VNNI) give the same frequencies.
TEST(Transformer, EverySimdTargetGivesTheSameFrequencies) {
  const TransformerModel m(random_model_file());
  const Bytes b = corpus_text(nzip_test::small_scale() ? 48 : 120);
  std::vector<uint16_t> want(b.size() * 256);
  m.forward_sequence(b.data(), b.size(), want.data());
  nzip_test::for_each_simd_target([&](int64_t) {
    std::vector<uint16_t> got(b.size() * 256);
    m.forward_sequence(b.data(), b.size(), got.data());
    ASSERT_EQ(got, want);
    ASSERT_EQ(stepwise(m, Bytes(b.begin(), b.begin() + 40)), std::vector<uint16_t>(want.begin(), want.begin() + 40 * 256));
  });
}

// (e) pure-network round trip: encoder uses forward_sequence, decoder steps the model.
TEST(Transformer, RangeCoderRoundTripWithModelFrequencies) {
  const TransformerModel m(random_model_file());
  const Bytes b = corpus_text(nzip_test::small_scale() ? 256 : 2048);
  std::vector<uint16_t> f(b.size() * 256);
  m.forward_sequence(b.data(), b.size(), f.data());
  std::vector<uint8_t> coded;
  coder::RangeEncoder enc(coded);
  for (size_t t = 0; t < b.size(); ++t) {
    uint32_t cum = 0;
    for (size_t s = 0; s < b[t]; ++s) cum += f[t * 256 + s];
    enc.encode(cum, f[t * 256 + b[t]], 1u << 16);
  }
  enc.finish();
  coder::RangeDecoder dec(coded);
  TransformerState st = m.make_state();
  TransformerState* lane[] = {&st};
  Bytes out;
  std::vector<uint16_t> g(256);
  for (size_t t = 0; t < b.size(); ++t) {
    const uint8_t prev = t == 0 ? 0 : out.back();
    m.step(lane, std::span<const uint8_t>(&prev, 1), g.data());
    const uint32_t target = dec.decode_freq(1u << 16);
    uint32_t cum = 0;
    size_t s = 0;
    while (cum + g[s] <= target) cum += g[s++];
    dec.consume(cum, g[s], 1u << 16);
    out.push_back(static_cast<uint8_t>(s));
  }
  EXPECT_EQ(dec.overrun(), 0u);
  EXPECT_TRUE(nzip_test::same_bytes(b, out));
  RecordProperty("coded_bytes", std::to_string(coded.size()));
}

// (f) a missing tensor, a wrong shape, a wrong dtype or an out-of-range parameter is refused.
TEST(Transformer, MalformedModelFilesAreRefused) {
  auto expect_corrupt = [](const ModelFile& f, const char* what) {
    try {
      TransformerModel m(f);
      ADD_FAILURE() << what << ": loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::corrupt) << what << ": " << e.what();
    }
  };
  const ModelFile& good = random_model_file();
  auto without = [&](const std::string& name) {
    ModelFile f = good;
    std::erase_if(f.tensors, [&](const Tensor& t) { return t.name == name; });
    return f;
  };
  expect_corrupt(without("layers.1.w_up"), "missing w_up");
  expect_corrupt(without("layers.0.wk.scale"), "missing scale");
  expect_corrupt(without("head_softmax"), "missing head_softmax");
  {
    ModelFile f = good;
    for (auto& t : f.tensors)
      if (t.name == "layers.0.wk") t.shape = {t.shape[1], t.shape[0]};
    expect_corrupt(f, "transposed wk");
  }
  {
    ModelFile f = good;
    for (auto& t : f.tensors)
      if (t.name == "final_norm.gain") t.dtype = DType::U16;
    expect_corrupt(f, "wrong dtype");
  }
  {
    ModelFile f = good;
    for (auto& t : f.tensors)
      if (t.name == "head_softmax") t.bytes[3] = 0x7F;  // multiplier ≥ 2^30
    expect_corrupt(f, "softmax multiplier out of range");
  }
  {
    ModelFile f = good;
    f.architecture->vocab = 300;
    expect_corrupt(f, "vocab 300");
  }
  ModelFile plain = good;
  plain.architecture.reset();
  expect_corrupt(plain, "not an nzip model");
}

// (g) written with write_model_file and loaded back: same id, same frequencies.
TEST(Transformer, WrittenAndReloadedModelIsTheSame) {
  const ModelFile& f = random_model_file();
  const auto path = std::filesystem::temp_directory_path() / ("nzip_tf_test_" + std::to_string(::getpid()) + ".nzm");
  const ModelId written = write_model_file(path.string(), f);
  const ModelFile back = load_nzip_model(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(written, f.id);
  EXPECT_EQ(back.id, f.id);
  const TransformerModel a(f), b(back);
  EXPECT_EQ(b.id(), a.id());
  const Bytes in = corpus_text(64);
  std::vector<uint16_t> fa(in.size() * 256), fb(in.size() * 256);
  a.forward_sequence(in.data(), in.size(), fa.data());
  b.forward_sequence(in.data(), in.size(), fb.data());
  EXPECT_EQ(fa, fb);
  // Deterministic generator: same seed, same id; another seed, another model.
  EXPECT_EQ(make_random_transformer(small_arch(), 12345, 4).id, f.id);
  EXPECT_NE(make_random_transformer(small_arch(), 12346, 4).id, f.id);
}

}  // namespace
}  // namespace nzip::model
