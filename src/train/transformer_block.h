// train/transformer_block.h — one float transformer layer, tensor for tensor the layer of
// model/transformer.h (pre-norm, multi-query attention with RoPE over the window, SwiGLU):
//   n = Q8(rmsnorm(x)·g1);  q = rope(Q16(n·Wqᵀ)), k = rope(Q16(n·Wkᵀ)), v = Q8(n·Wvᵀ)
//   o = Q8(attention(q, k, v));  x += Qx(o·Woᵀ)
//   n = Q8(rmsnorm(x)·g2);  g = Q8(n·W_gateᵀ), u = Q8(n·W_upᵀ), h = Q8(Q8(silu(g))·u)
//   x += Qx(h·W_downᵀ)
// where Q… is fake quantisation on the grids of quant_grids.h (identity without qat).
#pragma once

#include <string>

#include "train/parameters.h"
#include "train/train_block.h"

namespace nzip::train {

struct BlockDims {
  size_t d = 0, heads = 0, hd = 0, ff = 0, window = 0;
};

class TransformerTrainBlock final : public TrainBlock {
 public:
  // Registers layers.{index}.* in `layout`.
  TransformerTrainBlock(ParamLayout& layout, size_t index, const BlockDims& dims);

  std::unique_ptr<Cache> forward(const float* params, const ForwardContext& ctx, float* x, size_t n) const override;
  void backward(const float* params, const ForwardContext& ctx, const Cache& cache, float* dx, size_t n,
                float* grads) const override;

 private:
  BlockDims dim_;
  size_t attn_gain_, wq_, wk_, wv_, wo_, ffn_gain_, w_gate_, w_up_, w_down_;  // offsets
};

}  // namespace nzip::train
