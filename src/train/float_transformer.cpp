#include "train/float_transformer.h"

#include <algorithm>
#include <cmath>

#include "model/transformer.h"
#include "model/transformer_weights.h"
#include "nzip/error.h"
#include "train/cross_entropy.h"
#include "train/embedding.h"
#include "train/fake_quant.h"
#include "train/linear.h"
#include "train/quant_grids.h"
#include "train/rmsnorm.h"
#include "train/rng.h"
#include "train/transformer_block.h"

namespace nzip::train {
namespace {

size_t head_dim(const model::ModelArchitecture& a) {
  model::check_transformer_architecture(a);
  return a.d_model / a.heads;
}

}  // namespace

FloatTransformer::FloatTransformer(const model::ModelArchitecture& arch, uint32_t element_period,
                                   size_t max_positions)
    : arch_(arch), period_(element_period), inv_freq_(model::rope_inv_freq_q32(head_dim(arch))),
      rope_(inv_freq_, arch.d_model / arch.heads, max_positions) {
  if (element_period > model::kMaxElementPeriod)
    throw Error(ErrorCode::invalid_argument, "trainer: element period above " + std::to_string(model::kMaxElementPeriod));
  const size_t d = arch.d_model;
  embed_byte_ = layout_.add("embed.byte", {256, d}, ParamKind::embedding);
  if (period_) embed_pos_ = layout_.add("embed.pos_in_element", {period_, d}, ParamKind::embedding);
  const BlockDims dims{d, arch.heads, d / arch.heads, arch.ff, arch.window};
  for (size_t i = 0; i < arch.layers; ++i) blocks_.push_back(std::make_unique<TransformerTrainBlock>(layout_, i, dims));
  final_gain_ = layout_.add("final_norm.gain", {d}, ParamKind::gain);
  head_ = layout_.add("head", {256, d}, ParamKind::matrix);
}

FloatTransformer::~FloatTransformer() = default;

std::vector<float> FloatTransformer::init_params(uint64_t seed) const {
  Rng rng(seed);
  std::vector<float> p(layout_.total());
  const double residual_shrink = 1.0 / std::sqrt(2.0 * arch_.layers);
  for (const auto& t : layout_.tensors()) {
    float* w = p.data() + t.offset;
    if (t.kind == ParamKind::gain) {
      std::fill_n(w, t.size, 1.0f);
      continue;
    }
    double sd = 1.0;
    if (t.kind == ParamKind::matrix) {
      sd = 1.0 / std::sqrt(static_cast<double>(t.shape[1]));
      const bool residual_out = t.name.ends_with(".wo") || t.name.ends_with(".w_down");
      if (residual_out) sd *= residual_shrink;
    }
    for (size_t i = 0; i < t.size; ++i) w[i] = static_cast<float>(rng.normal() * sd);
  }
  return p;
}

float FloatTransformer::residual_scale(const std::vector<float>& master) const {
  float m = 0;
  for (const auto& t : layout_.tensors())
    if (t.kind == ParamKind::embedding)
      for (size_t i = 0; i < t.size; ++i) m = std::max(m, std::fabs(master[t.offset + i]));
  return std::max(m, 1e-6f) / 127.0f;
}

ForwardParams FloatTransformer::prepare(const std::vector<float>& master, bool qat) const {
  ForwardParams fp;
  fp.values = master;
  fp.ctx.qat = qat;
  fp.ctx.rope = &rope_;
  if (!qat) return fp;
  fp.ctx.residual_scale = residual_scale(master);
  std::vector<uint8_t> mask;
  for (const auto& t : layout_.tensors()) {
    float* w = fp.values.data() + t.offset;
    mask.resize(t.size);
    // Straight-through: the optimiser keeps updating the float master weights.
    switch (t.kind) {
      case ParamKind::matrix: fake_quant_forward(w, t.size, int8_grid(weight_scale(w, t.size)), mask.data()); break;
      case ParamKind::embedding: fake_quant_forward(w, t.size, int8_grid(fp.ctx.residual_scale), mask.data()); break;
      case ParamKind::gain: fake_quant_forward(w, t.size, int16_grid(kGainScale), mask.data()); break;
    }
  }
  return fp;
}

double FloatTransformer::sequence_loss(const ForwardParams& fp, const uint8_t* bytes, size_t n, float loss_weight,
                                       float* grads, uint32_t phase) const {
  if (n == 0) return 0;
  if (n > rope_.positions())
    throw Error(ErrorCode::invalid_argument, "trainer: sequence of " + std::to_string(n) + " bytes is longer than " +
                                                 std::to_string(rope_.positions()));
  const size_t d = arch_.d_model;
  const float* P = fp.values.data();
  std::vector<uint8_t> tokens(n);
  std::vector<uint32_t> pos(n);
  for (size_t t = 0; t < n; ++t) {
    tokens[t] = t == 0 ? model::kStartToken : bytes[t - 1];
    pos[t] = static_cast<uint32_t>(phase + t);  // only the position table reads it (RoPE is relative)
  }
  std::vector<float> x(n * d);
  embedding_forward(tokens.data(), pos.data(), n, d, P + embed_byte_, period_ ? P + embed_pos_ : nullptr, period_,
                    x.data());
  std::vector<std::unique_ptr<TrainBlock::Cache>> caches;
  for (const auto& b : blocks_) caches.push_back(b->forward(P, fp.ctx, x.data(), n));

  std::vector<float> rstd(n), nf(n * d), logits(n * 256);
  std::vector<uint8_t> m_nf;
  rmsnorm_forward(x.data(), n, d, P + final_gain_, nf.data(), rstd.data());
  if (fp.ctx.qat) {
    m_nf.resize(n * d);
    fake_quant_forward(nf.data(), n * d, int8_grid(kNormScale), m_nf.data());
  }
  linear_forward(nf.data(), n, d, P + head_, 256, logits.data());
  std::vector<float> dlogits(grads ? n * 256 : 0);
  const double bits = cross_entropy_bits(logits.data(), bytes, n, loss_weight, grads ? dlogits.data() : nullptr);
  if (!grads) return bits;

  std::vector<float> dnf(n * d, 0.0f), dx(n * d, 0.0f);
  linear_backward(dlogits.data(), nf.data(), n, d, P + head_, 256, dnf.data(), grads + head_);
  if (!m_nf.empty()) fake_quant_backward(dnf.data(), n * d, m_nf.data());
  rmsnorm_backward(dnf.data(), x.data(), n, d, P + final_gain_, rstd.data(), dx.data(), grads + final_gain_);
  for (size_t b = blocks_.size(); b-- > 0;) blocks_[b]->backward(P, fp.ctx, *caches[b], dx.data(), n, grads);
  embedding_backward(tokens.data(), pos.data(), n, d, dx.data(), grads + embed_byte_,
                     period_ ? grads + embed_pos_ : nullptr, period_);
  return bits;
}

}  // namespace nzip::train
