// train/attention.h — float multi-query causal attention over a sliding window, the twin of
// TransformerBlock::attend: position t attends to positions max(0, t−window+1) … t; all
// heads share one key and one value head.
//   q (n, H·hd) after RoPE, k (n, hd) after RoPE, v (n, hd) → o (n, H·hd)
//   p[t,h,j] = softmax_j(q[t,h]·k[first+j] / √hd),  o[t,h] = Σ_j p[t,h,j]·v[first+j]
// probs (n, H, window) is saved for backward (unused slots stay 0).
#pragma once

#include <cstddef>

namespace nzip::train {

struct AttentionShape {
  size_t n = 0, heads = 0, hd = 0, window = 0;
};

void attention_forward(const AttentionShape& s, const float* q, const float* k, const float* v, float* o,
                       float* probs);

// dq (n, H·hd), dk (n, hd), dv (n, hd) += gradients from do_ (n, H·hd).
void attention_backward(const AttentionShape& s, const float* q, const float* k, const float* v, const float* probs,
                        const float* do_, float* dq, float* dk, float* dv);

}  // namespace nzip::train
