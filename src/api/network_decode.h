// api/network_decode.h — decompress_stream's path for containers made with a network model.
#pragma once

#include "format/stream_reader.h"
#include "model/transformer.h"
#include "nzip/nzip.h"

namespace nzip::api {

// Lanes each decoding thread steps together with a model: enough rows that each weight,
// once loaded, serves many chunks; few enough that the chunks in flight stay small.
inline constexpr uint64_t kMaxLanesPerThread = 8;

// Models whose packed weights reach this size get more context-mixing memory per decoding
// thread: with one lane, a step streams all their weights from L3 for a single byte
// (a 2 M-parameter model: 25 µs of products per byte at 1 lane, 6 µs at 8).
inline constexpr uint64_t kWideModelBytes = uint64_t{1} << 20;
// For such a model a thread may hold up to this many lanes of the level's default chunk size
// (predictor and chunk), while all threads together stay within kWideLaneMemory (or one
// predictor per thread, if that is more: many threads get their lanes from the chunks
// themselves).
inline constexpr uint64_t kWideLanePredictors = 3;
inline constexpr uint64_t kWideLaneMemory = uint64_t{2} << 30;

// The memory one decoding thread may give its lanes: one predictor of the level, or for a
// model of at least kWideModelBytes (packed weights and tables), up to kWideLanePredictors
// default-sized lanes within kWideLaneMemory over `threads` threads.
uint64_t lane_memory_per_thread(int level, unsigned threads, uint64_t model_bytes);

// Each lane holds a context-mixing predictor sized for its chunk and the chunk itself: a
// thread takes as many lanes (1 to kMaxLanesPerThread) as fit in lane_memory_per_thread.
// memory_bound() counts that memory.
size_t lanes_per_thread(int level, uint64_t chunk_size, unsigned threads, uint64_t model_bytes);

// Decodes the frames `reader` yields (its header already read: predictor kind 1, whose model
// is `model`) and writes each chunk to `out` in order, verified first. Frames are read in
// groups of lanes_per_thread × threads; the network chunks of a group run as lockstep lanes of
// one model step, split into one contiguous run per thread, so the bytes never depend on the
// thread count. On damage, the chunks before it are written, then the error is thrown.
StreamStats decompress_with_model(format::StreamReader& reader, ByteSink& out, const model::TransformerModel& model,
                                  unsigned threads, const ProgressFn& progress);

}  // namespace nzip::api
