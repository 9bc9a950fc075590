// Proves nzip round-trips, and really compresses, data it was never tuned on: the
// project's own sources (C++ text), the nzip executable (an ELF built on this machine), and
// a licence text Debian ships, when present. The levels and contexts were chosen on
// ../shared/corpus; these files were not used. (Ratios against xz on unseen files are in
// docs/BENCHMARKS.md.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "nzip/nzip.h"
#include "test_support.h"

namespace {

using nzip_test::Bytes;

Bytes project_sources() {
  Bytes all;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(NZIP_SOURCE_DIR) / "src"))
    if (e.is_regular_file() && e.path().extension() == ".cpp") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const Bytes b = nzip_test::read_file(f);
    all.insert(all.end(), b.begin(), b.end());
  }
  return all;
}

void expect_round_trip(const Bytes& data, int level, const std::string& what) {
  nzip::CompressOptions options;
  options.level = level;
  const Bytes packed = nzip::compress(data, options);
  EXPECT_TRUE(nzip_test::same_bytes(data, nzip::decompress(packed))) << what << " at level " << level;
  // Everything here is compressible; a codec that stopped working would store it raw.
  EXPECT_LT(packed.size(), data.size() * 6 / 10) << what << " at level " << level;
}

TEST(UnseenFiles, ProjectSourcesRoundTripAndCompress) {
  const Bytes sources = project_sources();
  ASSERT_GT(sources.size(), 50000u);
  const uint64_t cap = nzip_test::small_scale() ? 64 * 1024 : sources.size();
  const Bytes data(sources.begin(), sources.begin() + static_cast<std::ptrdiff_t>(std::min<uint64_t>(cap, sources.size())));
  expect_round_trip(data, 1, "src/**/*.cpp");
  expect_round_trip(data, nzip::kDefaultLevel, "src/**/*.cpp");
}

TEST(UnseenFiles, TheNzipExecutableRoundTrips) {
  const uint64_t cap = nzip_test::small_scale() ? 64 * 1024 : 1536 * 1024;
  const Bytes exe = nzip_test::read_file(NZIP_BINARY, cap);
  ASSERT_GT(exe.size(), 10000u);
  expect_round_trip(exe, nzip::kDefaultLevel, "the nzip executable");
}

TEST(UnseenFiles, DebianLicenseTextsRoundTrip) {
  const std::filesystem::path gpl = "/usr/share/common-licenses/GPL-3";
  if (!std::filesystem::exists(gpl)) GTEST_SKIP() << gpl << " is not on this machine";
  const Bytes text = nzip_test::read_file(gpl);
  expect_round_trip(text, 1, gpl.string());
  expect_round_trip(text, nzip::kDefaultLevel, gpl.string());
}

}  // namespace
