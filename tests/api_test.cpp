// Proves the public API (nzip/nzip.h) end to end over the container: round trips of edge
// cases, output independent of the thread count, streaming from sources that return a few
// bytes at a time, random access (inspect, decompress_chunk) agreeing with the original,
// and hostile input: every single-byte corruption and every truncation of a small
// multi-chunk container gives the exact original or an nzip::Error, never a crash, a hang
// or wrong bytes. Also decodes the golden files in tests/golden (and, when run with
// --gtest_also_run_disabled_tests --gtest_filter=*GenerateGolden*, regenerates them).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "api/memory_io.h"
#include "ephemeris_support.h"
#include "nzip/nzip.h"

namespace {

using namespace nzip;
using Bytes = std::vector<uint8_t>;

bool small_scale() {
  const char* s = std::getenv("NZIP_TEST_SCALE");
  return s && std::string(s) == "small";
}

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Bytes random_bytes(size_t n, uint64_t seed) {
  Bytes b(n);
  for (auto& v : b) v = static_cast<uint8_t>(splitmix(seed) >> 56);
  return b;
}

// Compressible, text-like bytes.
Bytes text_bytes(size_t n, uint64_t seed) {
  static const char* kWords[] = {"the ", "chunk ", "index ", "of ", "a ", "container ", "holds ",
                                 "checksum ", "offset\n", "and ", "size ", "every "};
  Bytes b;
  while (b.size() < n) {
    const char* w = kWords[splitmix(seed) % 12];
    b.insert(b.end(), w, w + std::strlen(w));
  }
  b.resize(n);
  return b;
}

CompressOptions opts(uint64_t chunk_size, unsigned threads = 2, int level = kDefaultLevel) {
  CompressOptions o;
  o.level = level;
  o.threads = threads;
  o.chunk_size = chunk_size;
  return o;
}

DecompressOptions dopts(unsigned threads) {
  DecompressOptions o;
  o.threads = threads;
  return o;
}

class VecSink : public ByteSink {
 public:
  void write(const uint8_t* src, size_t n) override { bytes.insert(bytes.end(), src, src + n); }
  Bytes bytes;
};

// A non-seekable source that hands out at most `step` bytes per read (varying 1..step).
class TrickleSource : public ByteSource {
 public:
  TrickleSource(const Bytes& b, size_t step) : b_(b), step_(step) {}
  size_t read(uint8_t* dst, size_t max) override {
    size_t n = std::min({max, b_.size() - pos_, 1 + (calls_++ % step_)});
    if (n) std::memcpy(dst, b_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  const Bytes& b_;
  size_t step_;
  size_t pos_ = 0;
  size_t calls_ = 0;
};

// Decodes with every entry point; returns true on success (and checks it is exact).
// Any failure must be an nzip::Error.
void expect_original_or_error(const Bytes& container, const Bytes& original, uint64_t chunk_size) {
  try {
    Bytes out = decompress(container, dopts(2));
    ASSERT_EQ(out, original) << "decoder returned wrong bytes without an error";
  } catch (const Error&) {
  }
  try {
    ContainerInfo info = inspect(container);
    for (uint64_t i = 0; i < info.chunks.size(); ++i) {
      try {
        Bytes c = decompress_chunk(container, i);
        const uint64_t begin = i * chunk_size;
        ASSERT_LE(begin + c.size(), original.size());
        ASSERT_TRUE(std::equal(c.begin(), c.end(), original.begin() + static_cast<std::ptrdiff_t>(begin)))
            << "decompress_chunk returned wrong bytes for chunk " << i;
      } catch (const Error&) {
      }
    }
  } catch (const Error&) {
  }
}

TEST(RoundTrip, EdgeCases) {
  const uint64_t cs = 1000;
  const size_t many = small_scale() ? 20 : 100;
  std::vector<Bytes> inputs = {Bytes{},
                               Bytes{42},
                               random_bytes(cs, 1),
                               random_bytes(cs + 1, 2),
                               random_bytes(cs - 1, 3),
                               text_bytes(cs * many + 17, 4),
                               Bytes(cs * 7, 0),
                               random_bytes(cs * 5, 5)};
  for (const Bytes& in : inputs) {
    for (unsigned t : {1u, 3u}) {
      Bytes c = compress(in, opts(cs, t));
      EXPECT_EQ(decompress(c, dopts(t)), in) << "size " << in.size() << " threads " << t;
    }
  }
}

TEST(RoundTrip, DefaultChunkSizeAndEveryLevel) {
  const Bytes in = text_bytes(small_scale() ? 50'000 : 300'000, 9);
  for (int level = kMinLevel; level <= kMaxLevel; ++level) {
    CompressOptions o;
    o.level = level;
    o.threads = 2;
    Bytes c = compress(in, o);
    EXPECT_EQ(decompress(c), in) << "level " << level;
    EXPECT_EQ(inspect(c).level, level);
    EXPECT_EQ(inspect(c).chunk_size, default_chunk_size(level));
  }
}

TEST(RoundTrip, EmptyInputIsAValidContainerWithZeroChunks) {
  Bytes c = compress({});
  EXPECT_EQ(c.size(), 100u);
  EXPECT_TRUE(decompress(c).empty());
  ContainerInfo info = inspect(c);
  EXPECT_EQ(info.chunks.size(), 0u);
  EXPECT_EQ(info.original_size, 0u);
  EXPECT_EQ(info.compressed_size, 100u);
}

TEST(Threads, OutputBytesDoNotDependOnThreadCount) {
  Bytes in = text_bytes(small_scale() ? 20'000 : 200'000, 11);
  Bytes r = random_bytes(small_scale() ? 5'000 : 50'000, 12);
  in.insert(in.end(), r.begin(), r.end());
  const uint64_t cs = small_scale() ? 1024 : 8192;
  const Bytes ref = compress(in, opts(cs, 1));
  for (unsigned t : {2u, 3u, 0u}) EXPECT_EQ(compress(in, opts(cs, t)), ref) << "threads " << t;
  for (unsigned t : {1u, 2u, 3u}) EXPECT_EQ(decompress(ref, dopts(t)), in);
}

TEST(Streaming, NonSeekableSourcesGiveTheSameBytes) {
  const Bytes in = text_bytes(small_scale() ? 5'000 : 40'000, 13);
  const uint64_t cs = 777;
  const Bytes ref = compress(in, opts(cs, 2));
  TrickleSource src(in, 7);
  VecSink sink;
  StreamStats st = compress_stream(src, sink, opts(cs, 3));
  EXPECT_EQ(sink.bytes, ref);
  EXPECT_EQ(st.bytes_in, in.size());
  EXPECT_EQ(st.bytes_out, ref.size());

  TrickleSource csrc(ref, 3);
  VecSink out;
  st = decompress_stream(csrc, out, dopts(2));
  EXPECT_EQ(out.bytes, in);
  EXPECT_EQ(st.bytes_in, ref.size());
  EXPECT_EQ(st.bytes_out, in.size());
}

TEST(Streaming, ProgressReportsEachChunkInOrder) {
  const Bytes in = random_bytes(5'500, 14);
  std::vector<uint64_t> seen;
  VecSink sink;
  api::SpanSource src(in);
  compress_stream(src, sink, opts(1000, 2), [&](uint64_t done) { seen.push_back(done); });
  EXPECT_EQ(seen, (std::vector<uint64_t>{1000, 2000, 3000, 4000, 5000, 5500}));

  std::vector<uint64_t> dseen;
  api::SpanSource csrc(sink.bytes);
  VecSink out;
  decompress_stream(csrc, out, dopts(2), [&](uint64_t done) { dseen.push_back(done); });
  ASSERT_EQ(dseen.size(), 6u);
  EXPECT_TRUE(std::is_sorted(dseen.begin(), dseen.end()));
}

TEST(RandomAccess, InspectAndDecompressChunkAgreeWithTheOriginal) {
  const uint64_t cs = 1000;
  Bytes in = text_bytes(4'000, 15);
  Bytes r = random_bytes(2'345, 16);
  in.insert(in.end(), r.begin(), r.end());
  const Bytes c = compress(in, opts(cs, 2, 3));
  ContainerInfo info = inspect(c);
  EXPECT_EQ(info.format_version, 100u);
  EXPECT_EQ(info.level, 3);
  EXPECT_EQ(info.chunk_size, cs);
  EXPECT_EQ(info.model, "none (context mixing)");
  EXPECT_EQ(info.original_size, in.size());
  EXPECT_EQ(info.compressed_size, c.size());
  ASSERT_EQ(info.chunks.size(), 7u);
  uint64_t begin = 0;
  for (uint64_t i = 0; i < info.chunks.size(); ++i) {
    const ChunkInfo& ch = info.chunks[i];
    EXPECT_EQ(ch.original_size, std::min<uint64_t>(cs, in.size() - begin));
    EXPECT_LE(ch.compressed_size, ch.original_size);
    // Planned chunks (method 4) describe their plan; stored ones have none.
    EXPECT_EQ(ch.plan.empty(), ch.method != 4) << i << " method " << int{ch.method} << " plan " << ch.plan;
    Bytes got = decompress_chunk(c, i);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), in.begin() + static_cast<std::ptrdiff_t>(begin))) << i;
    begin += got.size();
  }
  EXPECT_EQ(begin, in.size());
  try {
    decompress_chunk(c, 7);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
}

TEST(Options, OutOfRangeOptionsAreInvalidArguments) {
  const Bytes in = {1, 2, 3};
  for (int level : {0, 10, -1}) {
    try {
      compress(in, opts(0, 1, level));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    }
  }
  try {
    compress(in, opts((uint64_t{1} << 30) + 1, 1));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
  EXPECT_THROW(default_chunk_size(0), Error);
  EXPECT_THROW(memory_bound(10, 1), Error);
}

TEST(Options, DefaultsAndMemoryBound) {
  for (int level = kMinLevel; level <= kMaxLevel; ++level) {
    // Chunks of at least 1 MiB (the predictor needs history), never above the format's limit.
    EXPECT_GE(default_chunk_size(level), uint64_t{1} << 20);
    EXPECT_LE(default_chunk_size(level), uint64_t{1} << 30);
    if (level > kMinLevel) {
      EXPECT_GE(default_chunk_size(level), default_chunk_size(level - 1));
    }
    EXPECT_GT(memory_bound(level, 2), memory_bound(level, 1));
    // At least the chunks in flight: 2 per thread, original and payload each.
    EXPECT_GE(memory_bound(level, 4), 4 * 2 * 2 * default_chunk_size(level));
  }
  EXPECT_GE(memory_bound(kDefaultLevel, 0), memory_bound(kDefaultLevel, 1));
  EXPECT_NE(std::string(version_string()), "");
}

// A small multi-chunk container (random bytes: every chunk is stored, so ~5000 decodes
// stay fast even once the context-mixing codec lands).
struct Small {
  static constexpr uint64_t kChunk = 256;
  Bytes original = random_bytes(1200, 17);
  Bytes container = compress(original, opts(kChunk, 2));
};

TEST(Hostile, EverySingleByteCorruptionGivesTheOriginalOrAnError) {
  Small s;
  ASSERT_GT(s.container.size(), 1000u);
  ASSERT_LT(s.container.size(), 2000u);
  for (size_t pos = 0; pos < s.container.size(); ++pos) {
    for (uint8_t x : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
      Bytes bad = s.container;
      bad[pos] ^= x;
      expect_original_or_error(bad, s.original, Small::kChunk);
      if (HasFatalFailure()) {
        ADD_FAILURE() << "at byte " << pos << " xor " << int(x);
        return;
      }
    }
  }
}

// The same on compressible bytes, so context-mixing payloads get damaged too (sampled:
// each decode pays for a fresh predictor).
TEST(Hostile, SampledCorruptionsOfCodedChunks) {
  const Bytes original = text_bytes(3000, 18);
  const Bytes c = compress(original, opts(700, 2, 1));
  uint64_t seed = 19;
  const int n = small_scale() ? 40 : 150;
  for (int i = 0; i < n; ++i) {
    Bytes bad = c;
    const size_t pos = splitmix(seed) % bad.size();
    bad[pos] ^= static_cast<uint8_t>(1 + splitmix(seed) % 255);
    expect_original_or_error(bad, original, 700);
    if (HasFatalFailure()) {
      ADD_FAILURE() << "at byte " << pos;
      return;
    }
  }
}

TEST(Hostile, EveryTruncationIsAnError) {
  Small s;
  for (size_t len = 0; len < s.container.size(); ++len) {
    Bytes cut(s.container.begin(), s.container.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_THROW(decompress(cut, dopts(2)), Error) << "length " << len;
    EXPECT_THROW(inspect(cut), Error) << "length " << len;
    if (len % 97 == 0) {  // the streaming path with tiny reads, sampled
      TrickleSource src(cut, 5);
      VecSink out;
      EXPECT_THROW(decompress_stream(src, out, dopts(1)), Error) << "length " << len;
    }
  }
}

TEST(Hostile, GarbageAfterTheFooterIsAnError) {
  Small s;
  for (const Bytes& tail : {Bytes{0}, Bytes{'N'}, s.container}) {
    Bytes bad = s.container;
    bad.insert(bad.end(), tail.begin(), tail.end());
    try {
      decompress(bad);
      FAIL() << "trailing data accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::corrupt);
    }
    if (tail.size() == 1) {
      EXPECT_THROW(inspect(bad), Error);
    }
  }
}

TEST(Hostile, NotAContainer) {
  try {
    decompress(Bytes{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::truncated);
  }
  for (const Bytes& b : {Bytes{'h', 'i'}, text_bytes(500, 20)}) {
    try {
      decompress(b);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_magic);
    }
    EXPECT_THROW(inspect(b), Error);
  }
}

// A damaged payload names its chunk, and only whole verified chunks before it reach the
// sink, whatever the thread count.
TEST(Hostile, DamagedChunkIsNamedAndEarlierChunksAreWrittenWhole) {
  Small s;
  ContainerInfo info = inspect(s.container);
  Bytes bad = s.container;
  bad[info.chunks[2].offset + 36 + 5] ^= 0x40;  // inside chunk 2's payload
  for (unsigned t : {1u, 2u, 3u}) {
    api::SpanSource src(bad);
    VecSink out;
    try {
      decompress_stream(src, out, dopts(t));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::checksum_mismatch);
      EXPECT_EQ(e.chunk(), 2u);
      EXPECT_EQ(std::string(e.what()).rfind("chunk 2: ", 0), 0u) << e.what();
    }
    EXPECT_EQ(out.bytes, Bytes(s.original.begin(), s.original.begin() + 2 * Small::kChunk)) << t;
  }
  try {
    decompress_chunk(bad, 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.chunk(), 2u);
  }
  EXPECT_EQ(decompress_chunk(bad, 3).size(), Small::kChunk);  // the others stay readable
}

// ---- golden files -------------------------------------------------------------------

const std::filesystem::path kGoldenDir = std::filesystem::path(NZIP_SOURCE_DIR) / "tests" / "golden";
const std::filesystem::path kSeedDir = std::filesystem::path(NZIP_SOURCE_DIR) / "fuzz" / "seeds";

Bytes read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + p.string());
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

void write_file(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

struct GoldenCase {
  const char* name;      // <name>.nz and its original <name>.<ext>
  const char* original;  // file name of the original
  int level;
  uint64_t chunk_size;   // 0 = the level's default
  NumericLayout layout = {};  // nzip --dtype/--record
};

const GoldenCase kGolden[] = {
    // Chunk method 1 (written until method 4 replaced it).
    {"text", "text.txt", 6, 0},
    {"empty", "empty.bin", 3, 0},
    {"binary", "binary.bin", 1, 1024},
    // Chunk method 4: the prose profile, and a byte transform of float32 records.
    {"prose", "prose.txt", 6, 0},
    {"floats", "floats.bin", 3, 0},
    // Chunk method 4, numeric profile: the same records with their layout given (f4, 16 bytes);
    // and with differences down the columns (written while the encoder tried column
    // transforms on chunks this short with a given layout).
    {"numeric", "floats.bin", 3, 0, {4, false, 16}},
    {"numeric_column", "floats.bin", 3, 0, {4, false, 16}},
    // Chunk method 4, the lean prose profile (the default level's from 2026-11 to 2026-12).
    {"prose_lean", "prose.txt", 6, 0},
    // Chunk method 4, the direct prose profile (the default level's since it came).
    {"prose_direct", "prose.txt", 6, 0},
    // Chunk method 4, numeric profile with Chebyshev continuity residuals (transform kind 5)
    // of a synthetic ephemeris, found by the encoder with no layout given.
    {"ephemeris", "ephemeris.bin", 3, 0},
};

Bytes golden_original(const std::string& name) {
  if (name == "text") {
    const std::string t =
        "nzip golden file: a short text that must keep decoding in every later version.\n"
        "Each chunk of the container starts from a fresh predictor, so the chunks can be\n"
        "decoded in parallel and any one of them alone. The index at the end lists every\n"
        "chunk's offset, sizes and checksum; the footer points to the index.\n"
        "The quick brown fox jumps over the lazy dog. The quick brown fox jumps again.\n";
    return Bytes(t.begin(), t.end());
  }
  if (name == "prose" || name == "prose_lean" || name == "prose_direct") {
    const std::string t =
        "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money\n"
        "in my purse, and nothing particular to interest me on shore, I thought I would sail about\n"
        "a little and see the watery part of the world. It is a way I have of driving off the\n"
        "spleen and regulating the circulation. Whenever I find myself growing grim about the mouth\n";
    return Bytes(t.begin(), t.end());
  }
  if (name == "floats" || name == "numeric" || name == "numeric_column") {
    // 1024 records of four little-endian float32 columns, made from integers so that every
    // platform produces the same bits: a ramp, a slow sawtooth, a constant and a step.
    Bytes b;
    for (uint32_t i = 0; i < 1024; ++i) {
      const float cols[4] = {static_cast<float>(4000 + i) / 4.0f, static_cast<float>(i % 97) * 0.5f, 1.5f,
                             static_cast<float>(i / 128) * 8.0f};
      for (float f : cols) {
        uint32_t u;
        std::memcpy(&u, &f, 4);
        for (int k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(u >> (8 * k)));
      }
    }
    return b;
  }
  if (name == "ephemeris") return nzip_test::synthetic_ephemeris(120);  // 28,800 bytes
  if (name == "empty") return {};
  // binary: fixed-width records (compressible) followed by pseudo-random bytes (stored),
  // in 1 KiB chunks, so the file mixes methods once the context-mixing codec lands.
  Bytes b;
  for (uint32_t i = 0; i < 250; ++i) {
    const uint32_t rec[4] = {i, i * 3, 0xCAFE0000u + (i & 7), 1000000u - i};
    for (uint32_t v : rec)
      for (int k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(v >> (8 * k)));
  }
  Bytes r = random_bytes(2000, 0x601DE7);
  b.insert(b.end(), r.begin(), r.end());
  return b;
}

TEST(Golden, FilesDecodeToTheirOriginals) {
  for (const GoldenCase& g : kGolden) {
    const Bytes nz = read_file(kGoldenDir / (std::string(g.name) + ".nz"));
    const Bytes original = read_file(kGoldenDir / g.original);
    EXPECT_EQ(original, golden_original(g.name)) << g.name;
    try {
      EXPECT_EQ(decompress(nz, dopts(2)), original) << g.name;
    } catch (const Error& e) {
      ADD_FAILURE() << "golden " << g.name << ".nz no longer decodes: " << e.what()
                    << " (see tests/golden/README.md)";
      continue;
    }
    ContainerInfo info = inspect(nz);
    EXPECT_EQ(info.level, g.level) << g.name;
    EXPECT_EQ(info.original_size, original.size()) << g.name;
    for (uint64_t i = 0; i < info.chunks.size(); ++i) EXPECT_NO_THROW(decompress_chunk(nz, i)) << g.name;
  }
}

// Regenerates tests/golden/* and fuzz/seeds/* (see tests/golden/README.md). Disabled: run
//   nzip_tests --gtest_also_run_disabled_tests --gtest_filter='*GenerateGolden*'
TEST(Golden, DISABLED_GenerateGolden) {
  std::filesystem::create_directories(kGoldenDir);
  std::filesystem::create_directories(kSeedDir);
  for (const GoldenCase& g : kGolden) {
    // Existing golden files are never replaced: they stand for files users already have.
    if (std::filesystem::exists(kGoldenDir / (std::string(g.name) + ".nz"))) continue;
    const Bytes original = golden_original(g.name);
    CompressOptions o = opts(g.chunk_size, 1, g.level);
    o.layout = g.layout;
    const Bytes nz = compress(original, o);
    ASSERT_EQ(decompress(nz), original);
    write_file(kGoldenDir / g.original, original);
    write_file(kGoldenDir / (std::string(g.name) + ".nz"), nz);
  }
  // Fuzz seeds: small, level 1 (each context-mixing decode allocates the level's whole
  // predictor, so cheap levels keep the fuzzer fast), stored and coded chunks, short last
  // chunks. Chunk sizes stay ≤ 4 KiB, the limit decoder_fuzz.cpp accepts. Like the golden
  // files, existing seeds are kept (the older ones cover chunk method 1).
  const Bytes text = golden_original("text");
  const Bytes binary = golden_original("binary");
  const Bytes floats = golden_original("floats");
  auto seed = [&](const char* name, const Bytes& original, const CompressOptions& o) {
    if (!std::filesystem::exists(kSeedDir / name)) write_file(kSeedDir / name, compress(original, o));
  };
  seed("empty.nz", Bytes{}, opts(4096, 1, 1));
  seed("one_byte.nz", Bytes{'x'}, opts(4096, 1, 1));
  seed("text.nz", text, opts(256, 1, 1));
  seed("tiny_chunks.nz", text_bytes(400, 21), opts(64, 1, 1));
  seed("random_chunks.nz", random_bytes(300, 22), opts(100, 1, 2));
  seed("records.nz", Bytes(binary.begin(), binary.begin() + 1500), opts(512, 1, 1));
  seed("prose_planned.nz", golden_original("prose"), opts(4096, 1, 1));
  seed("floats_planned.nz", Bytes(floats.begin(), floats.begin() + 8192), opts(4096, 1, 1));
  CompressOptions numeric = opts(4096, 1, 1);
  numeric.layout = {4, false, 16};
  seed("numeric_planned.nz", Bytes(floats.begin(), floats.begin() + 8192), numeric);
  seed("numeric_column.nz", Bytes(floats.begin(), floats.begin() + 8192), numeric);
  const Bytes ephemeris = golden_original("ephemeris");
  seed("ephemeris_planned.nz", Bytes(ephemeris.begin(), ephemeris.begin() + 8192), opts(4096, 1, 1));
}

}  // namespace
