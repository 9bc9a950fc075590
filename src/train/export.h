// train/export.h — quantises a float transformer into the .nzm model the integer engine
// runs: per-tensor int8 matrices (max|W|/127), embeddings on the residual's grid, int16 norm
// gains, and every requantisation multiplier, softmax and SiLU parameter derived from the
// activation grids of quant_grids.h, so the integer forward pass computes what the
// quantisation-aware float forward pass computes, up to rounding.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model_file.h"
#include "train/float_transformer.h"

namespace nzip::train {

// (multiplier, shift) with multiplier/2^shift ≈ real, the largest shift in [0, 62] that keeps
// multiplier ≤ max_multiplier. Throws nzip::Error(limit_exceeded) when real is negative,
// not finite, or too large for shift 0.
struct FixedPoint {
  int32_t multiplier = 0;
  int32_t shift = 0;
};
FixedPoint to_fixed_point(double real, int64_t max_multiplier, const char* what);

// The model file of `master` (weights of m.layout()). Throws nzip::Error(limit_exceeded)
// naming the tensor when a scale cannot be represented (e.g. a requantisation multiplier
// ≥ 2^31 because the residual's scale collapsed).
model::ModelFile export_transformer(const FloatTransformer& m, const std::vector<float>& master);

}  // namespace nzip::train
