// compress_stream / decompress_stream and the buffer wrappers: chunks are coded on a
// thread pool with at most max_in_flight(threads) chunks alive, and written strictly in
// input order, so the output bytes never depend on the thread count.
#include <algorithm>
#include <deque>
#include <future>
#include <new>
#include <numeric>
#include <optional>
#include <string>

#include "api/limits.h"
#include "api/numeric_layout.h"
#include "api/memory_io.h"
#include "api/model_check.h"
#include "api/network_decode.h"
#include "api/network_model_impl.h"
#include "api/verified_decode.h"
#include "codec/chunk_codec.h"
#include "codec/network_codec.h"
#include "core/hash.h"
#include "core/thread_pool.h"
#include "format/stream_reader.h"
#include "format/stream_writer.h"
#include "model/model_pack.h"
#include "nzip/nzip.h"

namespace nzip {
namespace {

struct EncodedResult {
  uint8_t method = format::kMethodStored;
  uint64_t original_size = 0;
  uint64_t checksum = 0;
  std::vector<uint8_t> payload;
};

struct DecodedResult {
  uint64_t end_offset = 0;  // container bytes consumed once this chunk's frame was read
  std::vector<uint8_t> bytes;
};

// Fills `buf` from `in` until full or end of input; returns the bytes read.
size_t read_full(ByteSource& in, uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    size_t r = in.read(buf + got, n - got);
    if (r == 0) break;
    if (r > n - got) throw Error(ErrorCode::io, "source returned more bytes than asked for");
    got += r;
  }
  return got;
}

// How chunks are coded: the context-mixing level, and the network model with its method.
struct ChunkCoding {
  int level = kDefaultLevel;
  const model::TransformerModel* model = nullptr;
  codec::Method method = codec::Method::cm;
  codec::NumericHint hint;
  bool builtin = false;  // the model is the built-in default, not the caller's
};

codec::EncodedChunk encode_with(std::span<const uint8_t> in, const ChunkCoding& how) {
  if (how.model == nullptr || in.empty()) return codec::encode_chunk(in, how.level, how.hint);
  const codec::ChunkPlan plan = codec::plan_chunk(in, how.level, how.hint);
  // The built-in model is general: numbers go to the numeric context model alone, which
  // knows them better (with the built-in model the last 20% of the ALICE rows table codes
  // 0.2% larger) and runs about 8 times faster.
  if (how.builtin && plan.profile == cm::Profile::numeric) return codec::encode_planned_chunk(in, plan, how.level);
  codec::EncodedChunk enc{how.method, codec::encode_network_chunk(*how.model, in, how.level, how.method, plan)};
  if (enc.payload.size() >= in.size()) enc = {codec::Method::stored, {}};
  return enc;
}

EncodedResult encode_one(std::vector<uint8_t> in, const ChunkCoding& how) {
  EncodedResult r;
  r.original_size = in.size();
  r.checksum = core::xxh3_64(in);
  codec::EncodedChunk enc = encode_with(in, how);
  // The format requires payload ≤ original; keep that even if a codec misbehaves.
  if (enc.method == codec::Method::stored || enc.payload.size() >= in.size()) {
    r.method = format::kMethodStored;
    r.payload = std::move(in);
  } else {
    r.method = static_cast<uint8_t>(enc.method);
    r.payload = std::move(enc.payload);
  }
  return r;
}

DecodedResult decode_one(format::ChunkFrame frame, int level, uint64_t end_offset) {
  DecodedResult r;
  r.end_offset = end_offset;
  r.bytes = api::decode_verified(frame.header.method, frame.payload, frame.header.original_size,
                                 frame.header.checksum, level, frame.index);
  return r;
}

// Counts what passes through, for StreamStats.
class CountingSink final : public ByteSink {
 public:
  explicit CountingSink(ByteSink& inner) : inner_(inner) {}
  void write(const uint8_t* src, size_t n) override {
    inner_.write(src, n);
    count += n;
  }
  uint64_t count = 0;

 private:
  ByteSink& inner_;
};

}  // namespace

StreamStats compress_stream(ByteSource& in, ByteSink& out, const CompressOptions& options,
                            const ProgressFn& progress) {
  api::check_level(options.level);
  if (options.no_model && options.model)
    throw Error(ErrorCode::invalid_argument, "a network model and no_model exclude each other");
  if (options.network_only && !options.model)
    throw Error(ErrorCode::invalid_argument, "network-only coding needs a network model");
  if (!options.embedded_model.empty()) {
    if (!options.model) throw Error(ErrorCode::invalid_argument, "an embedded model needs the network model it packs");
    model::PackedHeader packed;
    try {
      model::unpack_canonical(options.embedded_model, &packed);  // checks the bytes against their id
    } catch (const Error& e) {
      throw Error(ErrorCode::invalid_argument, std::string("the model to embed: ") + e.what());
    }
    if (packed.id != options.model->id())
      throw Error(ErrorCode::invalid_argument, "the model to embed is " + model::model_id_hex(packed.id) +
                                                   ", not the network model " + options.model->id_hex());
    if (options.embedded_model.size() > format::kMaxEmbeddedModelSize)
      throw Error(ErrorCode::invalid_argument, "the model to embed exceeds 1 GiB");
  }
  const codec::NumericHint hint = api::numeric_hint(options.layout);
  // A model given explicitly, else the level's built-in default unless switched off (a
  // numeric layout switches the default off: it was not trained on the user's numbers).
  const std::shared_ptr<const NetworkModel> net = options.model                          ? options.model
                                                  : options.no_model || hint.element_bytes ? nullptr
                                                                                           : api::default_model(options.level);
  // The level's chunk size, with a model too: the context mixing beside the network learns
  // within a chunk only (the last 592,000 bytes of hep_alice_hyp3o2.rows.f32 code 6.7% larger
  // at -9 in 64 KiB chunks than in one), and the smallest level's chunk is 1 MiB.
  uint64_t chunk_size = options.chunk_size ? options.chunk_size : default_chunk_size(options.level);
  // Whole elements per chunk, so every chunk's elements start at its first byte; and whole
  // periods of the model's position table (an element, or a record as a field identity), so
  // that row t mod P is the byte's place in every chunk, not only the first.
  uint64_t unit = hint.element_bytes ? hint.element_bytes : 1;
  if (net && net->impl().transformer.element_period() > 1) unit = std::lcm(unit, uint64_t{net->impl().transformer.element_period()});
  chunk_size = std::max<uint64_t>(chunk_size / unit, 1) * unit;
  if (chunk_size > format::kMaxChunkSize)
    throw Error(ErrorCode::invalid_argument, "chunk size " + std::to_string(chunk_size) +
                                                 " exceeds the limit of " +
                                                 std::to_string(format::kMaxChunkSize) + " bytes");
  const unsigned threads = core::resolve_threads(options.threads);
  const uint64_t max_in_flight = api::max_in_flight(threads);

  format::Header header;
  header.level = static_cast<uint8_t>(options.level);
  header.chunk_size = chunk_size;
  ChunkCoding how;
  how.level = options.level;
  how.hint = hint;
  if (net) {
    header.predictor = format::kPredictorNetwork;
    header.model_id = net->id();
    how.model = &net->impl().transformer;
    how.method = options.network_only ? codec::Method::network_planned : codec::Method::cm_network_planned;
    how.builtin = !options.model;
  }
  CountingSink counted(out);
  format::StreamWriter writer(counted, header, options.embedded_model,
                             options.dataset ? &*options.dataset : nullptr);

  core::ThreadPool pool(threads);
  std::deque<std::future<EncodedResult>> in_flight;
  uint64_t bytes_in = 0;
  auto write_front = [&] {
    std::future<EncodedResult> f = std::move(in_flight.front());
    in_flight.pop_front();
    EncodedResult r = f.get();
    writer.write_chunk(r.method, r.original_size, r.checksum, r.payload);
    bytes_in += r.original_size;
    if (progress) progress(bytes_in);
  };

  for (;;) {
    std::vector<uint8_t> buf(chunk_size);
    const size_t n = read_full(in, buf.data(), buf.size());
    if (n == 0) break;
    buf.resize(n);
    if (in_flight.size() >= max_in_flight) write_front();
    in_flight.push_back(pool.submit([b = std::move(buf), how]() mutable { return encode_one(std::move(b), how); }));
    if (n < chunk_size) break;
  }
  while (!in_flight.empty()) write_front();
  writer.finish();
  return {bytes_in, counted.count};
}

StreamStats decompress_stream(ByteSource& in, ByteSink& out, const DecompressOptions& options,
                              const ProgressFn& progress) {
  format::StreamReader reader(in);
  const int level = reader.header().level;
  const unsigned threads = core::resolve_threads(options.threads);
  // Kept alive while the chunks decode: the embedded model, when there is one.
  const std::shared_ptr<const NetworkModel> net =
      api::resolve_model(reader.header(), reader.embedded_model(), options.model);
  const model::TransformerModel* const m = api::model_for(reader.header(), net);
  // The caller learns what the bytes are before the first of them arrives.
  if (options.on_dataset) options.on_dataset(reader.dataset() ? &*reader.dataset() : nullptr);
  if (m != nullptr)
    return api::decompress_with_model(reader, out, *m, threads, progress);
  const uint64_t max_in_flight = api::max_in_flight(threads);

  core::ThreadPool pool(threads);
  std::deque<std::future<DecodedResult>> in_flight;
  uint64_t bytes_out = 0;
  auto write_front = [&] {
    // Pop before get(): a future that threw is spent, and must not be waited on again.
    std::future<DecodedResult> f = std::move(in_flight.front());
    in_flight.pop_front();
    DecodedResult r = f.get();  // throws the chunk's error
    if (!r.bytes.empty()) out.write(r.bytes.data(), r.bytes.size());
    bytes_out += r.bytes.size();
    if (progress) progress(r.end_offset);
  };

  for (;;) {
    std::optional<format::ChunkFrame> frame;
    try {
      frame = reader.next();
    } catch (const Error&) {
      // The container is damaged here; the chunks before it are intact: write them (or
      // report the first of them that fails, which comes earlier in the stream), so what
      // reaches `out` does not depend on the thread count.
      while (!in_flight.empty()) write_front();
      throw;
    }
    if (!frame) break;
    if (in_flight.size() >= max_in_flight) write_front();
    const uint64_t end = reader.position();
    in_flight.push_back(pool.submit([f = std::move(*frame), level, end]() mutable {
      return decode_one(std::move(f), level, end);
    }));
  }
  while (!in_flight.empty()) write_front();
  return {reader.position(), bytes_out};
}

std::vector<uint8_t> compress(std::span<const uint8_t> data, const CompressOptions& options) {
  api::SpanSource src(data);
  std::vector<uint8_t> out;
  api::VectorSink sink(out);
  compress_stream(src, sink, options);
  return out;
}

std::vector<uint8_t> decompress(std::span<const uint8_t> container, const DecompressOptions& options) {
  api::SpanSource src(container);
  std::vector<uint8_t> out;
  api::VectorSink sink(out);
  decompress_stream(src, sink, options);
  return out;
}

}  // namespace nzip
