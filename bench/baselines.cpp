// The baseline codecs, each configured like its command-line tool at the named setting.
#include "baselines.h"

#include "nzip/model.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "codec/byte_transform.h"
#include "nzip/nzip.h"

namespace nzip::bench {
namespace {

[[noreturn]] void fail(const std::string& codec, const std::string& what) {
  throw std::runtime_error(codec + ": " + what);
}

void check_size(const std::string& codec, std::vector<uint8_t>& out, size_t original_size) {
  if (out.size() != original_size) {
    fail(codec, "decoded " + std::to_string(out.size()) + " bytes, expected " + std::to_string(original_size));
  }
}

// xz -9e: preset 9 | extreme, CRC64 check (the xz default), single-threaded .xz stream.
Codec xz_codec() {
  Codec c;
  c.name = "xz-9e";
  c.compress = [](std::span<const uint8_t> in) {
    // The stream encoder, as the xz tool uses it (the one-shot buffer encoder would also store
    // the block sizes in the block header and come out a few bytes larger).
    lzma_stream strm = LZMA_STREAM_INIT;
    lzma_ret r = lzma_easy_encoder(&strm, 9 | LZMA_PRESET_EXTREME, LZMA_CHECK_CRC64);
    if (r != LZMA_OK) fail("xz-9e", "lzma_easy_encoder returned " + std::to_string(r));
    std::vector<uint8_t> out(lzma_stream_buffer_bound(in.size()));
    strm.next_in = in.data();
    strm.avail_in = in.size();
    strm.next_out = out.data();
    strm.avail_out = out.size();
    r = lzma_code(&strm, LZMA_FINISH);
    size_t produced = out.size() - strm.avail_out;
    lzma_end(&strm);
    if (r != LZMA_STREAM_END) fail("xz-9e", "lzma_code returned " + std::to_string(r));
    out.resize(produced);
    return out;
  };
  c.decompress = [](std::span<const uint8_t> in, size_t original_size) {
    std::vector<uint8_t> out(original_size);
    uint64_t memlimit = UINT64_MAX;
    size_t in_pos = 0, out_pos = 0;
    lzma_ret r = lzma_stream_buffer_decode(&memlimit, 0, nullptr, in.data(), &in_pos, in.size(), out.data(), &out_pos,
                                           out.size());
    if (r != LZMA_OK) fail("xz-9e", "lzma_stream_buffer_decode returned " + std::to_string(r));
    out.resize(out_pos);
    check_size("xz-9e", out, original_size);
    return out;
  };
  return c;
}

// zstd at `level` with a content checksum (as the zstd tool writes), optionally with
// long-distance matching and a fixed window (--long=N).
Codec zstd_codec(std::string name, int level, int long_window_log) {
  Codec c;
  c.name = name;
  c.compress = [name, level, long_window_log](std::span<const uint8_t> in) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    if (cctx == nullptr) fail(name, "ZSTD_createCCtx failed");
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);  // the zstd tool's default (--check)
    if (long_window_log > 0) {
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1);
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, long_window_log);
    }
    std::vector<uint8_t> out(ZSTD_compressBound(in.size()));
    size_t n = ZSTD_compress2(cctx, out.data(), out.size(), in.data(), in.size());
    ZSTD_freeCCtx(cctx);
    if (ZSTD_isError(n)) fail(name, ZSTD_getErrorName(n));
    out.resize(n);
    return out;
  };
  c.decompress = [name, long_window_log](std::span<const uint8_t> in, size_t original_size) {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    if (dctx == nullptr) fail(name, "ZSTD_createDCtx failed");
    if (long_window_log > 0) ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, long_window_log);
    std::vector<uint8_t> out(original_size);
    size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), in.data(), in.size());
    ZSTD_freeDCtx(dctx);
    if (ZSTD_isError(n)) fail(name, ZSTD_getErrorName(n));
    out.resize(n);
    check_size(name, out, original_size);
    return out;
  };
  return c;
}

// What Blosc does for typed arrays: byte-shuffle (byte j of every element together), then
// zstd -19. The element size is unknown to the bench, so both 4 and 8 are tried and the
// smaller result is kept; its first byte says which (a baseline at its best, not at a
// guess). Bytes after the last whole element stay in place.
Codec shuffle_zstd_codec() {
  const std::string name = "shuffle-zstd-19";
  Codec c;
  c.name = name;
  const Codec zstd = zstd_codec(name, 19, 0);
  c.compress = [zstd](std::span<const uint8_t> in) {
    std::vector<uint8_t> best;
    for (const uint32_t e : {4u, 8u}) {
      std::vector<uint8_t> shuffled(in.size());
      codec::apply_transform({codec::TransformKind::byte_planes, e}, in, shuffled);
      std::vector<uint8_t> out = zstd.compress(shuffled);
      out.insert(out.begin(), static_cast<uint8_t>(e));
      if (best.empty() || out.size() < best.size()) best = std::move(out);
    }
    return best;
  };
  c.decompress = [zstd, name](std::span<const uint8_t> in, size_t original_size) {
    if (in.empty() || (in[0] != 4 && in[0] != 8)) fail(name, "bad element size byte");
    const std::vector<uint8_t> shuffled = zstd.decompress(in.subspan(1), original_size);
    std::vector<uint8_t> out(shuffled.size());
    codec::invert_transform({codec::TransformKind::byte_planes, in[0]}, shuffled, out);
    return out;
  };
  return c;
}

// brotli -11 with the window the brotli tool would choose for this file, plus its size hint.
Codec brotli_codec() {
  Codec c;
  c.name = "brotli-11";
  c.compress = [](std::span<const uint8_t> in) {
    BrotliEncoderState* s = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
    if (s == nullptr) fail("brotli-11", "BrotliEncoderCreateInstance failed");
    BrotliEncoderSetParameter(s, BROTLI_PARAM_QUALITY, 11);
    BrotliEncoderSetParameter(s, BROTLI_PARAM_LGWIN, static_cast<uint32_t>(brotli_cli_window(in.size())));
    if (!in.empty()) {
      BrotliEncoderSetParameter(s, BROTLI_PARAM_SIZE_HINT,
                                static_cast<uint32_t>(std::min<size_t>(in.size(), size_t{1} << 30)));
    }
    std::vector<uint8_t> out;
    size_t avail_in = in.size();
    const uint8_t* next_in = in.data();
    uint8_t buf[1 << 16];
    for (;;) {
      size_t avail_out = sizeof buf;
      uint8_t* next_out = buf;
      if (!BrotliEncoderCompressStream(s, BROTLI_OPERATION_FINISH, &avail_in, &next_in, &avail_out, &next_out,
                                       nullptr)) {
        BrotliEncoderDestroyInstance(s);
        fail("brotli-11", "BrotliEncoderCompressStream failed");
      }
      out.insert(out.end(), buf, next_out);
      if (BrotliEncoderIsFinished(s)) break;
    }
    BrotliEncoderDestroyInstance(s);
    return out;
  };
  c.decompress = [](std::span<const uint8_t> in, size_t original_size) {
    std::vector<uint8_t> out(original_size);
    size_t decoded = out.size();
    if (BrotliDecoderDecompress(in.size(), in.data(), &decoded, out.data()) != BROTLI_DECODER_RESULT_SUCCESS) {
      fail("brotli-11", "BrotliDecoderDecompress failed");
    }
    out.resize(decoded);
    check_size("brotli-11", out, original_size);
    return out;
  };
  return c;
}

// bzip2 -9: 900 kB blocks, the default work factor.
Codec bzip2_codec() {
  Codec c;
  c.name = "bzip2-9";
  c.compress = [](std::span<const uint8_t> in) {
    if (in.size() > UINT_MAX / 2) fail("bzip2-9", "input too large for the one-shot API");
    std::vector<uint8_t> out(in.size() + in.size() / 100 + 600);
    auto n = static_cast<unsigned>(out.size());
    // libbz2 rejects a null source even for length 0.
    static char empty[1] = {0};
    char* src = in.empty() ? empty : const_cast<char*>(reinterpret_cast<const char*>(in.data()));
    int r = BZ2_bzBuffToBuffCompress(reinterpret_cast<char*>(out.data()), &n, src,
                                     static_cast<unsigned>(in.size()), 9, 0, 0);
    if (r != BZ_OK) fail("bzip2-9", "BZ2_bzBuffToBuffCompress returned " + std::to_string(r));
    out.resize(n);
    return out;
  };
  c.decompress = [](std::span<const uint8_t> in, size_t original_size) {
    if (in.size() > UINT_MAX || original_size > UINT_MAX) fail("bzip2-9", "input too large for the one-shot API");
    // One spare byte so that surplus output shows up as a size mismatch, not as BZ_OUTBUFF_FULL.
    std::vector<uint8_t> out(original_size + 1);
    auto n = static_cast<unsigned>(out.size());
    int r = BZ2_bzBuffToBuffDecompress(reinterpret_cast<char*>(out.data()), &n,
                                       const_cast<char*>(reinterpret_cast<const char*>(in.data())),
                                       static_cast<unsigned>(in.size()), 0, 0);
    if (r != BZ_OK) fail("bzip2-9", "BZ2_bzBuffToBuffDecompress returned " + std::to_string(r));
    out.resize(n);
    check_size("bzip2-9", out, original_size);
    return out;
  };
  return c;
}

// gzip -9: deflate level 9 in a gzip wrapper (zlib writes a 10-byte header without a file name,
// like `gzip -9 -n`).
Codec gzip_codec() {
  Codec c;
  c.name = "gzip-9";
  c.compress = [](std::span<const uint8_t> in) {
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) fail("gzip-9", "deflateInit2 failed");
    std::vector<uint8_t> out;
    uint8_t buf[1 << 16];
    size_t offered = 0;
    int r = Z_OK;
    while (r != Z_STREAM_END) {
      if (z.avail_in == 0 && offered < in.size()) {
        size_t n = std::min<size_t>(in.size() - offered, 1u << 30);
        z.next_in = const_cast<Bytef*>(in.data() + offered);
        z.avail_in = static_cast<uInt>(n);
        offered += n;
      }
      z.next_out = buf;
      z.avail_out = sizeof buf;
      r = deflate(&z, offered == in.size() ? Z_FINISH : Z_NO_FLUSH);
      if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) {
        deflateEnd(&z);
        fail("gzip-9", "deflate returned " + std::to_string(r));
      }
      out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
    }
    deflateEnd(&z);
    return out;
  };
  c.decompress = [](std::span<const uint8_t> in, size_t original_size) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) fail("gzip-9", "inflateInit2 failed");
    std::vector<uint8_t> out;
    out.reserve(original_size);
    uint8_t buf[1 << 16];
    size_t offered = 0;
    int r = Z_OK;
    while (r != Z_STREAM_END) {
      if (z.avail_in == 0 && offered < in.size()) {
        size_t n = std::min<size_t>(in.size() - offered, 1u << 30);
        z.next_in = const_cast<Bytef*>(in.data() + offered);
        z.avail_in = static_cast<uInt>(n);
        offered += n;
      }
      z.next_out = buf;
      z.avail_out = sizeof buf;
      r = inflate(&z, Z_NO_FLUSH);
      bool stalled = r == Z_BUF_ERROR && z.avail_in == 0 && offered == in.size();
      if ((r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) || stalled) {
        inflateEnd(&z);
        fail("gzip-9", stalled ? "truncated stream" : "inflate returned " + std::to_string(r));
      }
      out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
    }
    inflateEnd(&z);
    check_size("gzip-9", out, original_size);
    return out;
  };
  return c;
}

}  // namespace

int brotli_cli_window(uint64_t size) {
  // brotli's tool: lgwin starts at the minimum (10) and grows while the usable window,
  // 2^lgwin - 16, is smaller than the file, stopping at 24 (its largest standard window).
  int lgwin = BROTLI_MIN_WINDOW_BITS;
  while (lgwin < BROTLI_MAX_WINDOW_BITS && ((uint64_t{1} << lgwin) - 16) < size) ++lgwin;
  return lgwin;
}

const std::vector<std::string>& baseline_names() {
  static const std::vector<std::string> names = {"xz-9e",   "zstd-19", "zstd-22-long27", "brotli-11",
                                                  "bzip2-9", "gzip-9",  "shuffle-zstd-19"};
  return names;
}

Codec make_baseline(std::string_view name) {
  if (name == "xz-9e") return xz_codec();
  if (name == "zstd-19") return zstd_codec("zstd-19", 19, 0);
  if (name == "zstd-22-long27") return zstd_codec("zstd-22-long27", 22, 27);
  if (name == "brotli-11") return brotli_codec();
  if (name == "bzip2-9") return bzip2_codec();
  if (name == "gzip-9") return gzip_codec();
  if (name == "shuffle-zstd-19") return shuffle_zstd_codec();
  throw std::invalid_argument("unknown baseline '" + std::string(name) + "'");
}

Codec make_nzip_codec(int level, unsigned threads, uint64_t chunk_size, std::shared_ptr<const NetworkModel> model,
                      bool network_only, bool no_model) {
  Codec c;
  c.name = model && network_only ? "nzip-nn" : "nzip-" + std::to_string(level) + (model ? "+nn" : "");
  CompressOptions copt;
  copt.level = level;
  copt.threads = threads;
  copt.chunk_size = chunk_size;
  copt.model = model;
  copt.network_only = network_only;
  copt.no_model = no_model;
  DecompressOptions dopt;
  dopt.threads = threads;
  dopt.model = model;
  c.compress = [copt](std::span<const uint8_t> in) { return nzip::compress(in, copt); };
  c.decompress = [dopt](std::span<const uint8_t> in, size_t) { return nzip::decompress(in, dopt); };
  return c;
}

}  // namespace nzip::bench
