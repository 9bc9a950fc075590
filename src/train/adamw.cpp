#include "train/adamw.h"

#include <cmath>

namespace nzip::train {

AdamW::AdamW(const ParamLayout& layout, AdamWConfig config)
    : cfg_(config), decay_(layout.total(), 0.0f), m_(layout.total(), 0.0f), v_(layout.total(), 0.0f) {
  for (const auto& t : layout.tensors())
    if (t.kind == ParamKind::matrix)
      for (size_t i = 0; i < t.size; ++i) decay_[t.offset + i] = cfg_.weight_decay;
}

void AdamW::step(std::vector<float>& params, const std::vector<float>& grads, float lr) {
  ++t_;
  const auto c1 = static_cast<float>(1.0 - std::pow(double{cfg_.beta1}, static_cast<double>(t_)));
  const auto c2 = static_cast<float>(1.0 - std::pow(double{cfg_.beta2}, static_cast<double>(t_)));
  for (size_t i = 0; i < params.size(); ++i) {
    m_[i] = cfg_.beta1 * m_[i] + (1.0f - cfg_.beta1) * grads[i];
    v_[i] = cfg_.beta2 * v_[i] + (1.0f - cfg_.beta2) * grads[i] * grads[i];
    const float mhat = m_[i] / c1, vhat = v_[i] / c2;
    params[i] -= lr * (mhat / (std::sqrt(vhat) + cfg_.eps) + decay_[i] * params[i]);
  }
}

double clip_grad_norm(std::vector<float>& grads, double max_norm) {
  double ss = 0;
  for (float g : grads) ss += double{g} * g;
  const double norm = std::sqrt(ss);
  if (max_norm > 0 && norm > max_norm) {
    const auto s = static_cast<float>(max_norm / norm);
    for (float& g : grads) g *= s;
  }
  return norm;
}

}  // namespace nzip::train
