// Proves, on the real corpus (../shared/corpus: text/, binary/, structured/, float/):
//  - every data file round-trips exactly through nzip::compress / nzip::decompress at level
//    1, the default level and level 9, with threads = 0 (all cores). To keep the Release
//    suite within its time budget, level 9 runs only on files of at most 1 MiB (21 of the 32
//    files); `nzip bench` at -9 (docs/BENCHMARKS.md) covers the large ones;
//  - the default level's compressed size of each file matches tests/pinned_sizes.json: a
//    file that grows fails, and so does one that shrinks by more than 0.5%, so that every
//    ratio change is recorded on purpose with tools/update_pinned_sizes.sh;
//  - the pinned default-level totals are >= 20% smaller than xz -9e on text/ and >= 12%
//    smaller on the whole corpus. The per-file checks prove each actual size is <= its pin,
//    so the claims hold for the actual sizes too.
// One test per corpus file, so ctest runs them in parallel and names a failing file.
// Under NZIP_TEST_SCALE=small (sanitizer build) only three small files, truncated to 64 KB,
// round-trip at levels 1 and the default level; the pinned comparisons are skipped.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using nzip_test::Bytes;
using nzip_test::CorpusFile;

constexpr uint64_t kLevel9MaxBytes = uint64_t{1} << 20;  // level 9 only on files up to 1 MiB
constexpr uint64_t kSmallTruncate = 64 * 1024;
// Small-scale sample: one text, one binary, one float file, all at least 64 KB.
const std::set<std::string> kSmallSample = {"text/alice29.txt", "binary/kppkn.gtb", "float/hep_cms_zmumu.rows.f64"};

constexpr double kShrinkTolerance = 0.005;  // smaller than the pin by more than 0.5%: update it
constexpr double kTextGainVsXz = 0.20;
constexpr double kCorpusGainVsXz = 0.12;

const char* const kUpdateHint =
    "regenerate the pins with\n"
    "    tools/update_pinned_sizes.sh build/nzip\n"
    "and commit tests/pinned_sizes.json with the change (see docs/TESTING.md).";

std::filesystem::path pins_path() { return std::filesystem::path(NZIP_SOURCE_DIR) / "tests" / "pinned_sizes.json"; }

const nlohmann::json& pins() {
  static const nlohmann::json j = [] {
    const std::string text = nzip_test::read_text_file(pins_path());
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  }();
  return j;
}

// Sizes under pins()[key] by relative path; empty (and a test failure) if the file is bad.
std::map<std::string, uint64_t> pinned(const std::string& key) {
  std::map<std::string, uint64_t> m;
  const nlohmann::json& j = pins();
  if (j.is_discarded() || !j.contains(key) || !j[key].is_object()) {
    ADD_FAILURE() << pins_path() << " is missing or has no \"" << key << "\" object: " << kUpdateHint;
    return m;
  }
  for (const auto& [name, v] : j[key].items()) m[name] = v.get<uint64_t>();
  return m;
}

// The parameter list is computed when the binary starts (also for ctest's test discovery),
// so it is the same at every scale; tests outside the small sample skip themselves.
std::vector<CorpusFile> all_files() { return nzip_test::corpus_files(); }

std::string test_name(const ::testing::TestParamInfo<CorpusFile>& info) {
  std::string s = info.param.rel;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

class CorpusFileTest : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(CorpusFileTest, RoundTripsAtLevels1Default9AndMatchesPinnedSize) {
  const CorpusFile& f = GetParam();
  const bool small = nzip_test::small_scale();
  if (small && kSmallSample.count(f.rel) == 0) GTEST_SKIP() << "NZIP_TEST_SCALE=small: not in the small sample";

  const Bytes data = nzip_test::read_file(f.path, small ? kSmallTruncate : f.size);
  ASSERT_FALSE(data.empty()) << f.rel;

  std::vector<int> levels = {1, nzip::kDefaultLevel};
  if (!small && data.size() <= kLevel9MaxBytes) levels.push_back(9);

  for (const int level : levels) {
    SCOPED_TRACE(f.rel + " at level " + std::to_string(level));
    nzip::CompressOptions c;
    c.level = level;
    c.threads = 0;
    const Bytes packed = nzip::compress(data, c);
    nzip::DecompressOptions d;
    d.threads = 0;
    EXPECT_TRUE(nzip_test::same_bytes(data, nzip::decompress(packed, d)));

    if (level != nzip::kDefaultLevel || small) continue;
    const auto pin = pinned("files");
    const auto it = pin.find(f.rel);
    if (it == pin.end()) {
      ADD_FAILURE() << f.rel << " has no pinned size (it compresses to " << packed.size() << " bytes): "
                    << kUpdateHint;
      continue;
    }
    const uint64_t want = it->second;
    const uint64_t got = packed.size();
    EXPECT_LE(got, want) << f.rel << " grew at the default level: " << got << " bytes, pinned " << want << " (+"
                         << (got - want) << "). A ratio regression: fix it or, if the trade is intended, " << kUpdateHint;
    EXPECT_GE(static_cast<double>(got), static_cast<double>(want) * (1.0 - kShrinkTolerance))
        << f.rel << " shrank at the default level: " << got << " bytes, pinned " << want
        << ". To record the improvement, " << kUpdateHint;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusFileTest, ::testing::ValuesIn(all_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusFileTest);  // no corpus: Corpus.IsPresent fails

TEST(Corpus, IsPresent) {
  const auto files = nzip_test::corpus_files();
  ASSERT_FALSE(files.empty()) << "no corpus at " << nzip_test::corpus_dir();
  std::set<std::string> folders;
  for (const auto& f : files) folders.insert(f.rel.substr(0, f.rel.find('/')));
  for (const char* want : {"text", "binary", "structured", "float"})
    EXPECT_TRUE(folders.count(want)) << "corpus has no " << want << "/ folder";
  if (nzip_test::small_scale()) {
    std::set<std::string> names;
    for (const auto& f : files) names.insert(f.rel);
    for (const auto& s : kSmallSample) EXPECT_TRUE(names.count(s)) << "small-scale sample file missing: " << s;
  }
}

// The pin file lists exactly the corpus's data files, at the default level, for nzip and xz.
TEST(PinnedSizes, CoverTheCorpusAtTheDefaultLevel) {
  if (nzip_test::small_scale()) GTEST_SKIP() << "NZIP_TEST_SCALE=small: pinned sizes are for whole files";
  ASSERT_FALSE(pins().is_discarded()) << pins_path() << " is missing or not JSON: " << kUpdateHint;
  ASSERT_TRUE(pins().contains("level"));
  EXPECT_EQ(pins()["level"].get<int>(), nzip::kDefaultLevel)
      << "pins were made at another level than the default: " << kUpdateHint;
  std::set<std::string> corpus;
  for (const auto& f : nzip_test::corpus_files()) corpus.insert(f.rel);
  for (const char* key : {"files", "xz9e"}) {
    std::set<std::string> listed;
    for (const auto& [name, size] : pinned(key)) listed.insert(name);
    EXPECT_EQ(listed, corpus) << "\"" << key << "\" in " << pins_path()
                              << " does not list exactly the corpus files: " << kUpdateHint;
  }
}

// "Default level: text files >= 20% smaller than xz -9e in total, the whole corpus >= 12%."
TEST(PinnedSizes, DefaultLevelBeatsXz9eOnTextAndWholeCorpus) {
  if (nzip_test::small_scale()) GTEST_SKIP() << "NZIP_TEST_SCALE=small: pinned sizes are for whole files";
  const auto nz = pinned("files");
  const auto xz = pinned("xz9e");
  ASSERT_FALSE(nz.empty());
  ASSERT_EQ(nz.size(), xz.size());
  uint64_t nz_text = 0, xz_text = 0, nz_all = 0, xz_all = 0;
  for (const auto& [name, size] : nz) {
    ASSERT_TRUE(xz.count(name)) << name << " has no xz -9e size";
    nz_all += size;
    xz_all += xz.at(name);
    if (name.rfind("text/", 0) == 0) {
      nz_text += size;
      xz_text += xz.at(name);
    }
  }
  ASSERT_GT(xz_text, 0u);
  const double text_gain = 1.0 - static_cast<double>(nz_text) / static_cast<double>(xz_text);
  const double all_gain = 1.0 - static_cast<double>(nz_all) / static_cast<double>(xz_all);
  std::printf("text/: nzip %llu vs xz -9e %llu bytes (%.2f%% smaller); corpus: nzip %llu vs xz -9e %llu (%.2f%% smaller)\n",
              static_cast<unsigned long long>(nz_text), static_cast<unsigned long long>(xz_text), 100 * text_gain,
              static_cast<unsigned long long>(nz_all), static_cast<unsigned long long>(xz_all), 100 * all_gain);
  EXPECT_GE(text_gain, kTextGainVsXz) << "text/ total: nzip " << nz_text << " vs xz -9e " << xz_text;
  EXPECT_GE(all_gain, kCorpusGainVsXz) << "corpus total: nzip " << nz_all << " vs xz -9e " << xz_all;
}

}  // namespace
