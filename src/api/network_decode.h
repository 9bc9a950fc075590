// api/network_decode.h — decompress_stream's path for containers made with a network model.
#pragma once

#include "format/stream_reader.h"
#include "model/transformer.h"
#include "nzip/nzip.h"

namespace nzip::api {

// Lanes each decoding thread steps together with a model: enough rows that each weight,
// once loaded, serves many chunks; few enough that the chunks in flight stay small.
inline constexpr uint64_t kMaxLanesPerThread = 8;

// Each lane holds a context-mixing predictor sized for its chunk: a thread takes as many
// lanes (1 to kMaxLanesPerThread) as fit in the memory of one predictor of the level, so
// decoding with a model stays within the level's memory per thread.
size_t lanes_per_thread(int level, uint64_t chunk_size);

// Decodes the frames `reader` yields (its header already read: predictor kind 1, whose model
// is `model`) and writes each chunk to `out` in order, verified first. Frames are read in
// groups of kLanesPerThread × threads; the network chunks of a group run as lockstep lanes of
// one model step, split into one contiguous run per thread, so the bytes never depend on the
// thread count. On damage, the chunks before it are written, then the error is thrown.
StreamStats decompress_with_model(format::StreamReader& reader, ByteSink& out, const model::TransformerModel& model,
                                  unsigned threads, const ProgressFn& progress);

}  // namespace nzip::api
