// train/train_block.h — the interface of one trainable residual block (the float twin of
// model::Block). A transformer layer implements it now; a Mamba-style block can later, with
// its own parameters in the layout and its own saved activations.
#pragma once

#include <cstddef>
#include <memory>

#include "train/rope.h"

namespace nzip::train {

struct ForwardContext {
  bool qat = false;             // fake-quantise activations as the integer engine rounds them
  float residual_scale = 1.0f;  // real value of one int16 residual unit (qat only)
  const RopeTable* rope = nullptr;
};

class TrainBlock {
 public:
  // Activations one forward pass saves for its backward pass.
  struct Cache {
    virtual ~Cache() = default;
  };
  virtual ~TrainBlock() = default;

  // x (n, d): the residual at positions 0 … n−1 of one sequence, updated in place.
  // params is the whole flat parameter vector (the block knows its offsets).
  virtual std::unique_ptr<Cache> forward(const float* params, const ForwardContext& ctx, float* x,
                                         size_t n) const = 0;

  // dx (n, d): ∂L/∂(output residual) in, ∂L/∂(input residual) out. grads (flat, like params)
  // accumulates (+=) the block's parameter gradients.
  virtual void backward(const float* params, const ForwardContext& ctx, const Cache& cache, float* dx, size_t n,
                        float* grads) const = 0;
};

}  // namespace nzip::train
