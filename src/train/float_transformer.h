// train/float_transformer.h — the float32 twin of model::TransformerModel: the same tensors
// under the same names and shapes (model/transformer_weights.h), the same RoPE angles and
// window, the same input convention (position t is fed the byte at t−1, position 0 the start
// token). Exporting it is a quantisation, not a conversion (train/export.h).
//
// All parameters live in one flat float vector described by layout(); gradients use the
// same layout.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/model_architecture.h"
#include "train/parameters.h"
#include "train/rope.h"
#include "train/train_block.h"

namespace nzip::train {

// The parameters one forward pass uses: with qat, the master weights fake-quantised as the
// exporter will quantise them (per-tensor int8 matrices, int16 gains, embeddings on the
// residual grid); without, a copy of the master weights.
struct ForwardParams {
  std::vector<float> values;
  ForwardContext ctx;
};

class FloatTransformer {
 public:
  // max_positions: longest sequence forward() will see (the RoPE table's length).
  // Throws nzip::Error(invalid_argument) for an architecture the integer engine refuses.
  FloatTransformer(const model::ModelArchitecture& arch, uint32_t element_period, size_t max_positions);
  ~FloatTransformer();

  const model::ModelArchitecture& architecture() const { return arch_; }
  uint32_t element_period() const { return period_; }
  const ParamLayout& layout() const { return layout_; }
  const std::vector<uint32_t>& rope_inv_freq() const { return inv_freq_; }
  size_t max_positions() const { return rope_.positions(); }

  // Initial weights from `seed`: N(0, 1) embeddings, N(0, 1/in) matrices (residual outputs
  // shrunk by 1/√(2·layers)), unit gains.
  std::vector<float> init_params(uint64_t seed) const;

  // Real value of one residual unit: the embedding tables' int8 scale, max|E, P| / 127.
  float residual_scale(const std::vector<float>& master) const;

  ForwardParams prepare(const std::vector<float>& master, bool qat) const;

  // −log2 p of each of the n bytes summed (bits), predicted as the integer engine's
  // forward_sequence would (n ≤ max_positions()). When grads is not null it accumulates
  // ∂(loss_weight · Σ −ln p)/∂params. `phase` is the first byte's place in its element or
  // record: byte t takes row (phase + t) mod P of the position table, so a sequence may
  // start anywhere in a record and still learn each field's rows (the engine's chunks start
  // at phase 0).
  double sequence_loss(const ForwardParams& fp, const uint8_t* bytes, size_t n, float loss_weight,
                       float* grads, uint32_t phase = 0) const;

 private:
  model::ModelArchitecture arch_;
  uint32_t period_;
  ParamLayout layout_;
  std::vector<uint32_t> inv_freq_;
  RopeTable rope_;
  std::vector<std::unique_ptr<TrainBlock>> blocks_;
  size_t embed_byte_ = 0, embed_pos_ = 0, final_gain_ = 0, head_ = 0;
};

}  // namespace nzip::train
