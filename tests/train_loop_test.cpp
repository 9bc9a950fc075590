// Proves: the training loop is deterministic for a seed and thread count (two runs give the
// same weights bit for bit, with 1 and with 3 threads); the learning-rate schedule warms up
// linearly and decays by a cosine; clipping bounds the gradient norm; the split never
// overlaps; and a short quantisation-aware run on held-out English text exports a model
// that the integer engine loads, whose integer bpb is close to the float bpb and far below
// 8 bits.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <iterator>

#include "model/transformer.h"
#include "test_support.h"
#include "train/adamw.h"
#include "train/data_split.h"
#include "train/evaluate.h"
#include "train/lr_schedule.h"
#include "train/trainer.h"

namespace {

using namespace nzip::train;

nzip::TrainOptions tiny_options() {
  nzip::TrainOptions o;
  o.d_model = 32;
  o.layers = 1;
  o.heads = 2;
  o.ff = 64;
  o.window = 32;
  o.batch = 8;
  o.min_len = 16;
  o.max_len = 64;
  o.lr = 3e-3f;
  o.min_lr = 3e-4f;
  o.eval_every = 0;
  o.eval_chunk = 1024;
  return o;
}

std::vector<uint8_t> corpus_text(size_t limit) {
  std::ifstream in(nzip_test::corpus_dir() / "text" / "alice29.txt", std::ios::binary);
  std::vector<uint8_t> v((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (v.size() > limit) v.resize(limit);
  return v;
}

TEST(TrainLoop, SameSeedAndThreadCountGiveIdenticalWeights) {
  const auto data = corpus_text(20000);
  for (unsigned threads : {1u, 3u}) {
    auto o = tiny_options();
    o.threads = threads;
    o.steps = 4;
    o.qat_from = 0.5;  // two float steps, two quantisation-aware ones
    Trainer a(o, data, {}), b(o, data, {});
    for (int s = 0; s < 4; ++s) EXPECT_EQ(a.step(s / 4.0), b.step(s / 4.0)) << "threads " << threads;
    EXPECT_TRUE(a.params() == b.params()) << "threads " << threads;
  }
}

TEST(TrainLoop, ScheduleWarmsUpLinearlyThenDecaysByCosine) {
  const LrSchedule s{1.0f, 0.1f, 0.1};
  EXPECT_FLOAT_EQ(s.at(0.0), 0.0f);
  EXPECT_FLOAT_EQ(s.at(0.05), 0.5f);
  EXPECT_FLOAT_EQ(s.at(0.1), 1.0f);
  EXPECT_NEAR(s.at(0.55), 0.55f, 1e-6);  // halfway through the cosine: (peak + min) / 2
  EXPECT_FLOAT_EQ(s.at(1.0), 0.1f);
  EXPECT_FLOAT_EQ(s.at(2.0), 0.1f);
}

TEST(TrainLoop, ClippingBoundsTheGradientNorm) {
  std::vector<float> g = {3, 4};
  EXPECT_DOUBLE_EQ(clip_grad_norm(g, 1.0), 5.0);
  EXPECT_NEAR(std::hypot(g[0], g[1]), 1.0, 1e-6);
  std::vector<float> small = {0.3f, 0.4f};
  clip_grad_norm(small, 1.0);
  EXPECT_EQ(small, (std::vector<float>{0.3f, 0.4f}));
}

TEST(TrainLoop, SplitsAreContiguousAndDisjoint) {
  std::vector<uint8_t> a(100), b(10);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(200 + i);
  DataSplits s;
  split_bytes(a, 0.8, 0.1, 0.1, s);
  split_bytes(b, 0.8, 0.1, 0.1, s);
  ASSERT_EQ(s.train.size(), 88u);
  ASSERT_EQ(s.val.size(), 11u);
  ASSERT_EQ(s.test.size(), 11u);
  EXPECT_EQ(s.train[79], 79);
  EXPECT_EQ(s.train[80], 200);
  EXPECT_EQ(s.val[0], 80);
  EXPECT_EQ(s.val[10], 208);
  EXPECT_EQ(s.test[0], 90);
  EXPECT_EQ(s.test[10], 209);
  EXPECT_EQ(s.train_ends, (std::vector<size_t>{80, 88}));
  EXPECT_EQ(s.val_ends, (std::vector<size_t>{10, 11}));
  EXPECT_EQ(s.test_ends, (std::vector<size_t>{10, 11}));
  EXPECT_THROW(split_bytes(a, 0.8, 0.2, 0.1, s), nzip::Error);
}

// With a granule (the model's element or record period) every range is whole periods, so each
// split starts on a record of the file: 10,000 bytes in 148-byte records split 7,992 / 888 / 888.
TEST(TrainLoop, SplitsHoldWholeRecordsWithAGranule) {
  std::vector<uint8_t> a(10000);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i % 148);
  DataSplits s;
  split_bytes(a, 0.8, 0.1, 0.1, s, 148);
  ASSERT_EQ(s.train.size(), 7992u);
  ASSERT_EQ(s.val.size(), 888u);
  ASSERT_EQ(s.test.size(), 888u);
  EXPECT_EQ(s.val[0], 0);  // the first byte of a record
  EXPECT_EQ(s.test[0], 0);
  EXPECT_THROW(split_bytes(a, 0.8, 0.1, 0.1, s, 0), nzip::Error);
}

TEST(TrainLoop, SequencesAndEvaluationChunksNeverCrossAFileEnd) {
  auto o = tiny_options();  // sequences of 16 … 64 bytes
  const auto text = corpus_text(200);
  // Two files of 40 and 50 bytes: 90 bytes in all, but no single file holds 64.
  EXPECT_THROW(Trainer(o, std::span(text).first(90), {}, {40, 90}), nzip::Error);
  Trainer fits(o, std::span(text).first(130), {}, {40, 130});  // the second file holds 90
  fits.step(0.5);

  // Evaluation restarts at a file end: the bits of A+B are those of A plus those of B.
  nzip::model::ModelArchitecture a;
  a.d_model = 16, a.layers = 1, a.heads = 2, a.ff = 16, a.window = 8, a.vocab = 256, a.element_size = 1;
  const auto file = nzip::model::make_random_transformer(a, 5, 0);
  const std::span<const uint8_t> all(text.data(), 150), A = all.first(70), B = all.subspan(70);
  const size_t ends[] = {70, 150};
  const double joined = integer_bpb(file, all, ends, 64, 2) * 150;
  const double apart = integer_bpb(file, A, {}, 64, 1) * 70 + integer_bpb(file, B, {}, 64, 1) * 80;
  EXPECT_NEAR(joined, apart, 1e-9);
}

TEST(TrainLoop, ShortRunExportsAModelWhoseIntegerBpbMatchesTheFloatBpb) {
  const bool small = nzip_test::small_scale();
  const auto text = corpus_text(small ? 40000 : 150000);
  DataSplits data;
  split_bytes(text, 0.9, 0.1, 0.0, data);
  auto o = tiny_options();
  o.threads = 2;
  o.steps = small ? 40 : 300;
  o.qat_from = 0.3;
  o.eval_bytes = small ? 4096 : 16384;
  Trainer t(o, data.train, data.val);
  const auto start = std::chrono::steady_clock::now();
  double first = 0, last = 0;
  for (size_t s = 0; s < o.steps; ++s) {
    last = t.step(static_cast<double>(s) / static_cast<double>(o.steps));
    if (s == 0) first = last;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto v = t.validate(data.val);
  std::printf("steps %zu in %.1f s; train loss %.3f -> %.3f bpb; held-out: float %.4f, integer %.4f bpb\n", o.steps,
              seconds, first, last, v.float_bpb, v.bpb);
  EXPECT_LT(last, first - 1.0);
  // The exported bytes load back into the integer engine.
  const auto bytes = nzip::model::serialize_model(v.file);
  const auto loaded = nzip::model::parse_model_bytes(bytes);
  EXPECT_EQ(loaded.id, v.file.id);
  const auto val = std::span<const uint8_t>(data.val).first(std::min(data.val.size(), o.eval_bytes));
  // The thread count does not change the measurement.
  EXPECT_DOUBLE_EQ(integer_bpb(loaded, val, {}, o.eval_chunk, 1), v.bpb);
  EXPECT_LT(v.bpb, small ? 7.0 : 5.0);
  EXPECT_LT(std::fabs(v.bpb - v.float_bpb), 0.03 * v.float_bpb);
}

}  // namespace

namespace {

using namespace nzip::train;

// Stops a run from inside it, as a crash or SIGKILL would (after the checkpoint of that step).
struct Interrupt {};

TEST(TrainCheckpoint, ResumeContinuesExactlyAsAnUninterruptedRun) {
  const auto text = corpus_text(30000);
  DataSplits data;
  split_bytes(text, 0.8, 0.2, 0.0, data);
  auto o = tiny_options();
  o.threads = 2;
  o.steps = 12;
  o.qat_from = 0.5;
  o.eval_every = 4;
  o.eval_bytes = 2048;
  const auto dir = std::filesystem::temp_directory_path() / ("nzip_ckpt_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  o.checkpoint_path = (dir / "run.ckpt").string();
  o.checkpoint_every = 5;

  const nzip::TrainResult whole = Trainer(o, data.train, data.val).run(nullptr, {});
  Trainer first(o, data.train, data.val);
  EXPECT_THROW(first.run([](const nzip::TrainProgress& p) { if (p.step == 5) throw Interrupt{}; }, {}), Interrupt);
  Trainer second(o, data.train, data.val);
  second.load_checkpoint(o.checkpoint_path);
  EXPECT_EQ(second.steps_done(), 5u);
  const nzip::TrainResult resumed = second.run(nullptr, {});
  EXPECT_EQ(resumed.steps, whole.steps);
  EXPECT_EQ(resumed.best_step, whole.best_step);
  EXPECT_EQ(resumed.val_bpb, whole.val_bpb);
  EXPECT_TRUE(resumed.model == whole.model) << "the resumed run's model differs";

  // Other options: refused, not silently mixed.
  auto other = o;
  other.seed = 2;
  Trainer third(other, data.train, data.val);
  EXPECT_THROW(third.load_checkpoint(o.checkpoint_path), nzip::Error);
  // A damaged file: a typed error, never a crash.
  std::filesystem::resize_file(o.checkpoint_path, std::filesystem::file_size(o.checkpoint_path) - 3);
  Trainer fourth(o, data.train, data.val);
  try {
    fourth.load_checkpoint(o.checkpoint_path);
    ADD_FAILURE() << "a truncated checkpoint loaded";
  } catch (const nzip::Error& e) {
    EXPECT_EQ(e.code(), nzip::ErrorCode::corrupt);
  }
  std::filesystem::remove_all(dir);
}

TEST(TrainLoop, EarlyStoppingStopsAfterPatienceValidationsWithoutImprovement) {
  const auto text = corpus_text(30000);
  DataSplits data;
  split_bytes(text, 0.8, 0.2, 0.0, data);
  auto o = tiny_options();
  o.steps = 1000;
  o.lr = 1e-9f;  // nothing improves
  o.min_lr = 1e-9f;
  o.eval_every = 2;
  o.eval_bytes = 1024;
  o.patience = 3;
  o.min_delta = 0.01;
  const auto r = Trainer(o, data.train, data.val).run(nullptr, {});
  EXPECT_TRUE(r.early_stopped);
  EXPECT_EQ(r.steps, 8u);  // best at step 2, then three validations without improvement
  EXPECT_EQ(r.best_step, 2u);
}

}  // namespace
