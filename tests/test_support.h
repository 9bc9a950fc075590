// test_support.h — helpers shared by the corpus-level tests: where the corpus is, which of
// its files are data, reading a file, deterministic random bytes, comparing large buffers
// without printing them, and the test scale (NZIP_TEST_SCALE=small for sanitizer builds).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "nzip/error.h"

namespace nzip_test {

using Bytes = std::vector<uint8_t>;

// True when NZIP_TEST_SCALE=small: the sanitizer build, where every test must be ~10x
// smaller (a few small corpus files truncated to 64 KB, fewer trials).
inline bool small_scale() {
  const char* s = std::getenv("NZIP_TEST_SCALE");
  return s != nullptr && std::string(s) == "small";
}

// Root of ../shared/corpus (compile definition set by CMakeLists.txt).
inline std::filesystem::path corpus_dir() { return std::filesystem::path(NZIP_CORPUS_DIR); }

// Whether `rel` (a path relative to the corpus root, '/'-separated) is a data file: not the
// README, nothing under tools/, and not a FILE.json sidecar describing a FILE beside it
// (a .json that is data in its own right, like structured/pyhf_*.json, counts).
// tools/update_pinned_sizes.sh applies the same rule.
inline bool is_corpus_data_file(const std::filesystem::path& root, const std::string& rel) {
  if (rel == "README.md" || rel.rfind("tools/", 0) == 0) return false;
  const std::string json = ".json";
  if (rel.size() > json.size() && rel.compare(rel.size() - json.size(), json.size(), json) == 0) {
    const std::string described = rel.substr(0, rel.size() - json.size());
    if (std::filesystem::exists(root / described)) return false;
  }
  return true;
}

struct CorpusFile {
  std::string rel;  // "text/alice29.txt"
  std::filesystem::path path;
  uint64_t size = 0;
};

// gtest prints test parameters; without this it dumps the struct's raw bytes.
inline void PrintTo(const CorpusFile& f, std::ostream* os) { *os << f.rel; }

// Every data file of the corpus, sorted by relative path; empty when there is no corpus.
inline std::vector<CorpusFile> corpus_files() {
  std::vector<CorpusFile> files;
  const std::filesystem::path root = corpus_dir();
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = e.path().lexically_relative(root).generic_string();
    if (is_corpus_data_file(root, rel)) files.push_back({rel, e.path(), e.file_size()});
  }
  std::sort(files.begin(), files.end(), [](const CorpusFile& a, const CorpusFile& b) { return a.rel < b.rel; });
  return files;
}

// The first `max_bytes` bytes of a file (all of it by default). Fails the test if the file
// cannot be read.
inline Bytes read_file(const std::filesystem::path& path, uint64_t max_bytes = std::numeric_limits<uint64_t>::max()) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  Bytes b(static_cast<size_t>(std::min<uint64_t>(ec ? 0 : size, max_bytes)));
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (static_cast<size_t>(in.gcount()) != b.size()) ADD_FAILURE() << "short read of " << path;
  return b;
}

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// `n` pseudo-random bytes, the same for the same seed on every platform.
inline Bytes random_bytes(size_t n, uint64_t seed) {
  Bytes b(n);
  for (auto& v : b) v = static_cast<uint8_t>(splitmix64(seed) >> 56);
  return b;
}

// Equality of two buffers reported as the first differing offset (EXPECT_EQ on vectors
// would print megabytes).
inline ::testing::AssertionResult same_bytes(const Bytes& expected, const Bytes& actual) {
  const size_t n = std::min(expected.size(), actual.size());
  const auto mm = std::mismatch(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(n), actual.begin());
  const size_t at = static_cast<size_t>(mm.first - expected.begin());
  if (at == n && expected.size() == actual.size()) return ::testing::AssertionSuccess();
  auto r = ::testing::AssertionFailure();
  r << "expected " << expected.size() << " bytes, got " << actual.size() << "; ";
  if (at < n)
    r << "first difference at offset " << at << " (expected " << int{expected[at]} << ", got " << int{actual[at]} << ")";
  else
    r << "identical up to the shorter length";
  return r;
}

// The nzip::ErrorCode that f() throws, or ErrorCode::ok when it returns normally.
template <class F>
nzip::ErrorCode code_of(F&& f) {
  try {
    f();
  } catch (const nzip::Error& e) {
    return e.code();
  }
  return nzip::ErrorCode::ok;
}

}  // namespace nzip_test
