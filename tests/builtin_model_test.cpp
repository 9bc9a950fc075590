// Proves the built-in default model (models/default.nzm, compiled into the library): it is
// small, -8 and -9 use it and lower levels do not, its containers decode with no model
// given, --no-model and numeric layouts switch it off, and it makes -9 smaller on English
// text it was never trained on (the project's own documentation; the model learnt from
// ../shared/corpus only).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "api/model_check.h"
#include "format/layout.h"
#include "nzip/model.h"
#include "nzip/nzip.h"
#include "test_support.h"

namespace nzip {
namespace {

using nzip_test::Bytes;
using nzip_test::same_bytes;

// docs/*.md and README.md in name order, up to `max` bytes: technical English nzip was not
// trained or tuned on.
Bytes project_docs(size_t max) {
  const std::filesystem::path root(NZIP_SOURCE_DIR);
  std::vector<std::filesystem::path> files = {root / "README.md"};
  for (const auto& e : std::filesystem::directory_iterator(root / "docs"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  std::sort(files.begin() + 1, files.end());
  Bytes all;
  for (const auto& f : files) {
    const Bytes b = nzip_test::read_file(f);
    all.insert(all.end(), b.begin(), b.end());
  }
  if (all.size() > max) all.erase(all.begin() + static_cast<long>(max), all.end());
  return all;
}

size_t sample_size() { return nzip_test::small_scale() ? 6000 : 60000; }

TEST(BuiltinModel, IsAtMostTwoMegabytesAndLoads) {
  const auto m = api::builtin_model();
  ASSERT_NE(m, nullptr);
  EXPECT_LE(api::builtin_model_bytes().size(), 2u << 20);
  EXPECT_GT(m->parameter_count(), 0u);
  EXPECT_EQ(model_info(api::builtin_model_bytes()).id_hex, m->id_hex());
}

TEST(BuiltinModel, LevelsEightAndNineUseItAndDecodeWithNoModelGiven) {
  const Bytes in = project_docs(sample_size() / 4);
  const std::string id = api::builtin_model()->id_hex();
  for (int level = kMinLevel; level <= kMaxLevel; ++level) {
    CompressOptions o;
    o.level = level;
    const Bytes nz = compress(in, o);
    const ContainerInfo info = inspect(nz);
    if (level >= 8) {
      EXPECT_EQ(info.predictor, format::kPredictorNetwork) << "level " << level;
      EXPECT_EQ(info.model, id) << "level " << level;
      EXPECT_EQ(info.embedded_model_size, 0u);  // built in, not embedded
    } else {
      EXPECT_EQ(info.predictor, format::kPredictorContextMixing) << "level " << level;
    }
    EXPECT_TRUE(same_bytes(in, decompress(nz))) << "level " << level;
  }
}

TEST(BuiltinModel, NoModelAndNumericLayoutsSwitchItOff) {
  const Bytes in = project_docs(sample_size() / 4);
  CompressOptions o;
  o.level = 9;
  o.no_model = true;
  EXPECT_EQ(inspect(compress(in, o)).predictor, format::kPredictorContextMixing);
  o.no_model = false;
  o.layout = NumericLayout{4, false, 0};
  EXPECT_EQ(inspect(compress(in, o)).predictor, format::kPredictorContextMixing);
}

// Numbers go to the numeric context model alone: the built-in network is general, and a
// user's own numbers are better served by the numeric model (and 8 times faster). A
// caller's model (--model) still sees them.
TEST(BuiltinModel, LeavesNumbersToTheNumericModel) {
  const Bytes in = nzip_test::read_file(nzip_test::corpus_dir() / "float" / "hep_hzz.cols.f32",
                                        nzip_test::small_scale() ? 16384 : 131072);
  ASSERT_FALSE(in.empty());
  CompressOptions o;
  o.level = 9;
  const Bytes nz = compress(in, o);
  const ContainerInfo info = inspect(nz);
  EXPECT_EQ(info.predictor, format::kPredictorNetwork);
  for (const ChunkInfo& c : info.chunks) EXPECT_EQ(c.method, format::kMethodCmPlanned);
  EXPECT_TRUE(same_bytes(in, decompress(nz)));
  o.model = api::builtin_model();
  for (const ChunkInfo& c : inspect(compress(in, o)).chunks) EXPECT_EQ(c.method, format::kMethodCmNetworkPlanned);
}

TEST(BuiltinModel, MakesLevelNineSmallerOnTextItWasNotTrainedOn) {
  const Bytes in = project_docs(sample_size());
  CompressOptions with;
  with.level = 9;
  CompressOptions without = with;
  without.no_model = true;
  const size_t a = compress(in, with).size(), b = compress(in, without).size();
  EXPECT_LT(a, b) << "the built-in model does not help on unseen text";
  std::printf("%zu bytes of docs/: -9 %zu, -9 --no-model %zu (%.2f%% smaller)\n", in.size(), a, b,
              100.0 * (1.0 - static_cast<double>(a) / static_cast<double>(b)));
}

}  // namespace
}  // namespace nzip
