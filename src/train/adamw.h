// train/adamw.h — AdamW (decoupled weight decay) over the flat parameter vector, and global
// gradient-norm clipping. Decay applies to matrices only (ParamKind::matrix): embeddings set
// the residual's scale and gains are norms' multipliers, and shrinking either is not wanted.
#pragma once

#include <cstddef>
#include <vector>

#include "train/parameters.h"

namespace nzip::train {

struct AdamWConfig {
  float beta1 = 0.9f, beta2 = 0.95f, eps = 1e-8f, weight_decay = 0.1f;
};

class AdamW {
 public:
  AdamW(const ParamLayout& layout, AdamWConfig config);

  // One update with learning rate lr: params -= lr·(m̂/(√v̂ + eps) + wd·params).
  void step(std::vector<float>& params, const std::vector<float>& grads, float lr);

  size_t steps() const { return t_; }
  // Moments, for checkpoints.
  std::vector<float>& m() { return m_; }
  std::vector<float>& v() { return v_; }
  const std::vector<float>& m() const { return m_; }
  const std::vector<float>& v() const { return v_; }
  void set_steps(size_t t) { t_ = t; }

 private:
  AdamWConfig cfg_;
  std::vector<float> decay_;  // weight_decay or 0 per parameter
  std::vector<float> m_, v_;
  size_t t_ = 0;
};

// Scales grads so that their L2 norm is at most max_norm (no-op when max_norm ≤ 0).
// Returns the norm before clipping.
double clip_grad_norm(std::vector<float>& grads, double max_norm);

}  // namespace nzip::train
