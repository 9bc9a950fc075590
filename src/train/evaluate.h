// train/evaluate.h — bits per byte of held-out bytes, cut into chunks that each start from a
// fresh state (as the compressor's chunks do): with the real integer engine
// (TransformerModel::forward_sequence and −log2 of its coder frequencies), the number that
// predicts compressed size, and with the float model, for the float-vs-integer gap.
// Chunks are spread over `threads` threads; per-chunk sums are added in chunk order, so the
// result does not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "model/model_file.h"
#include "train/float_transformer.h"

namespace nzip::train {

// Throws nzip::Error(corrupt) when `file` is not a valid transformer model.
double integer_bpb(const model::ModelFile& file, std::span<const uint8_t> data, std::span<const size_t> ends,
                   size_t chunk, unsigned threads);

// chunk ≤ m.max_positions().
double float_bpb(const FloatTransformer& m, const ForwardParams& fp, std::span<const uint8_t> data,
                 std::span<const size_t> ends, size_t chunk, unsigned threads);

}  // namespace nzip::train
