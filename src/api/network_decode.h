// api/network_decode.h — decompress_stream's path for containers made with a network model.
#pragma once

#include "format/stream_reader.h"
#include "model/transformer.h"
#include "nzip/nzip.h"

namespace nzip::api {

// Decodes the frames `reader` yields (its header already read: predictor kind 1, whose model
// is `model`) and writes each chunk to `out` in order, verified first. Frames are read in
// groups of kLanesPerThread × threads; the network chunks of a group run as lockstep lanes of
// one model step, split into one contiguous run per thread, so the bytes never depend on the
// thread count. On damage, the chunks before it are written, then the error is thrown.
StreamStats decompress_with_model(format::StreamReader& reader, ByteSink& out, const model::TransformerModel& model,
                                  unsigned threads, const ProgressFn& progress);

}  // namespace nzip::api
