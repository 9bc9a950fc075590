#include "train/transformer_block.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "train/attention.h"
#include "train/fake_quant.h"
#include "train/linear.h"
#include "train/quant_grids.h"
#include "train/rmsnorm.h"
#include "train/swiglu.h"

namespace nzip::train {
namespace {

using Vec = std::vector<float>;
using Mask = std::vector<uint8_t>;

struct LayerCache final : TrainBlock::Cache {
  std::vector<uint32_t> pos;
  Vec x_in, rstd1, n1, q, k, v, probs, o, x_mid, rstd2, n2, g, u, a, h;
  Mask m_n1, m_q, m_k, m_v, m_o, m_ya, m_n2, m_g, m_u, m_a, m_h, m_yf;
};

// Fake quantisation when qat is on; the mask stays empty (all pass) otherwise.
void quant(const ForwardContext& ctx, Vec& x, QuantGrid grid, Mask& mask) {
  if (!ctx.qat) return;
  mask.resize(x.size());
  fake_quant_forward(x.data(), x.size(), grid, mask.data());
}
void unquant(Vec& dx, const Mask& mask) {
  if (!mask.empty()) fake_quant_backward(dx.data(), dx.size(), mask.data());
}

}  // namespace

TransformerTrainBlock::TransformerTrainBlock(ParamLayout& layout, size_t index, const BlockDims& dims) : dim_(dims) {
  const std::string p = "layers." + std::to_string(index) + ".";
  const size_t d = dims.d, hd = dims.hd, ff = dims.ff;
  attn_gain_ = layout.add(p + "attn_norm.gain", {d}, ParamKind::gain);
  wq_ = layout.add(p + "wq", {d, d}, ParamKind::matrix);
  wk_ = layout.add(p + "wk", {hd, d}, ParamKind::matrix);
  wv_ = layout.add(p + "wv", {hd, d}, ParamKind::matrix);
  wo_ = layout.add(p + "wo", {d, d}, ParamKind::matrix);
  ffn_gain_ = layout.add(p + "ffn_norm.gain", {d}, ParamKind::gain);
  w_gate_ = layout.add(p + "w_gate", {ff, d}, ParamKind::matrix);
  w_up_ = layout.add(p + "w_up", {ff, d}, ParamKind::matrix);
  w_down_ = layout.add(p + "w_down", {d, ff}, ParamKind::matrix);
}

std::unique_ptr<TrainBlock::Cache> TransformerTrainBlock::forward(const float* P, const ForwardContext& ctx, float* x,
                                                                  size_t n) const {
  const size_t d = dim_.d, hd = dim_.hd, ff = dim_.ff, H = dim_.heads;
  auto c = std::make_unique<LayerCache>();
  c->pos.resize(n);
  std::iota(c->pos.begin(), c->pos.end(), 0u);
  std::vector<uint32_t> head_pos(n * H);
  for (size_t t = 0; t < n; ++t) std::fill_n(head_pos.begin() + static_cast<ptrdiff_t>(t * H), H, static_cast<uint32_t>(t));
  const QuantGrid residual = int16_grid(ctx.residual_scale);

  c->x_in.assign(x, x + n * d);
  c->rstd1.resize(n);
  c->n1.resize(n * d);
  rmsnorm_forward(x, n, d, P + attn_gain_, c->n1.data(), c->rstd1.data());
  quant(ctx, c->n1, int8_grid(kNormScale), c->m_n1);

  c->q.resize(n * d);
  c->k.resize(n * hd);
  c->v.resize(n * hd);
  linear_forward(c->n1.data(), n, d, P + wq_, d, c->q.data());
  linear_forward(c->n1.data(), n, d, P + wk_, hd, c->k.data());
  linear_forward(c->n1.data(), n, d, P + wv_, hd, c->v.data());
  quant(ctx, c->q, int16_grid(kQkScale), c->m_q);
  quant(ctx, c->k, int16_grid(kQkScale), c->m_k);
  quant(ctx, c->v, int8_grid(kValueScale), c->m_v);
  ctx.rope->forward(c->q.data(), n * H, head_pos.data());
  ctx.rope->forward(c->k.data(), n, c->pos.data());

  c->o.resize(n * d);
  c->probs.resize(n * H * dim_.window);
  attention_forward({n, H, hd, dim_.window}, c->q.data(), c->k.data(), c->v.data(), c->o.data(), c->probs.data());
  quant(ctx, c->o, int8_grid(kValueScale), c->m_o);

  Vec y(n * d);
  linear_forward(c->o.data(), n, d, P + wo_, d, y.data());
  quant(ctx, y, residual, c->m_ya);
  for (size_t i = 0; i < n * d; ++i) x[i] += y[i];

  c->x_mid.assign(x, x + n * d);
  c->rstd2.resize(n);
  c->n2.resize(n * d);
  rmsnorm_forward(x, n, d, P + ffn_gain_, c->n2.data(), c->rstd2.data());
  quant(ctx, c->n2, int8_grid(kNormScale), c->m_n2);

  c->g.resize(n * ff);
  c->u.resize(n * ff);
  linear_forward(c->n2.data(), n, d, P + w_gate_, ff, c->g.data());
  linear_forward(c->n2.data(), n, d, P + w_up_, ff, c->u.data());
  quant(ctx, c->g, int8_grid(kGateScale), c->m_g);
  quant(ctx, c->u, int8_grid(kUpScale), c->m_u);
  c->a.resize(n * ff);
  silu_forward(c->g.data(), n * ff, c->a.data());
  quant(ctx, c->a, int8_grid(kSiluScale), c->m_a);
  c->h.resize(n * ff);
  gate_forward(c->a.data(), c->u.data(), n * ff, c->h.data());
  quant(ctx, c->h, int8_grid(kHiddenScale), c->m_h);

  linear_forward(c->h.data(), n, ff, P + w_down_, d, y.data());
  quant(ctx, y, residual, c->m_yf);
  for (size_t i = 0; i < n * d; ++i) x[i] += y[i];
  return c;
}

void TransformerTrainBlock::backward(const float* P, const ForwardContext& ctx, const Cache& cache, float* dx,
                                     size_t n, float* G) const {
  const auto& c = static_cast<const LayerCache&>(cache);
  const size_t d = dim_.d, hd = dim_.hd, ff = dim_.ff, H = dim_.heads;
  std::vector<uint32_t> head_pos(n * H);
  for (size_t t = 0; t < n; ++t) std::fill_n(head_pos.begin() + static_cast<ptrdiff_t>(t * H), H, static_cast<uint32_t>(t));

  // Feed-forward half: x_out = x_mid + Qx(W_down·h).
  Vec dy(dx, dx + n * d);
  unquant(dy, c.m_yf);
  Vec dh(n * ff, 0.0f), da(n * ff, 0.0f), du(n * ff, 0.0f), dg(n * ff, 0.0f), dn(n * d, 0.0f);
  linear_backward(dy.data(), c.h.data(), n, ff, P + w_down_, d, dh.data(), G + w_down_);
  unquant(dh, c.m_h);
  gate_backward(c.a.data(), c.u.data(), dh.data(), n * ff, da.data(), du.data());
  unquant(da, c.m_a);
  silu_backward(c.g.data(), da.data(), n * ff, dg.data());
  unquant(dg, c.m_g);
  unquant(du, c.m_u);
  linear_backward(dg.data(), c.n2.data(), n, d, P + w_gate_, ff, dn.data(), G + w_gate_);
  linear_backward(du.data(), c.n2.data(), n, d, P + w_up_, ff, dn.data(), G + w_up_);
  unquant(dn, c.m_n2);
  rmsnorm_backward(dn.data(), c.x_mid.data(), n, d, P + ffn_gain_, c.rstd2.data(), dx, G + ffn_gain_);

  // Attention half: x_mid = x_in + Qx(Wo·o).
  dy.assign(dx, dx + n * d);
  unquant(dy, c.m_ya);
  Vec d_o(n * d, 0.0f), dq(n * d, 0.0f), dk(n * hd, 0.0f), dv(n * hd, 0.0f);
  linear_backward(dy.data(), c.o.data(), n, d, P + wo_, d, d_o.data(), G + wo_);
  unquant(d_o, c.m_o);
  attention_backward({n, H, hd, dim_.window}, c.q.data(), c.k.data(), c.v.data(), c.probs.data(), d_o.data(),
                     dq.data(), dk.data(), dv.data());
  ctx.rope->backward(dq.data(), n * H, head_pos.data());
  ctx.rope->backward(dk.data(), n, c.pos.data());
  unquant(dq, c.m_q);
  unquant(dk, c.m_k);
  unquant(dv, c.m_v);
  std::fill(dn.begin(), dn.end(), 0.0f);
  linear_backward(dq.data(), c.n1.data(), n, d, P + wq_, d, dn.data(), G + wq_);
  linear_backward(dk.data(), c.n1.data(), n, d, P + wk_, hd, dn.data(), G + wk_);
  linear_backward(dv.data(), c.n1.data(), n, d, P + wv_, hd, dn.data(), G + wv_);
  unquant(dn, c.m_n1);
  rmsnorm_backward(dn.data(), c.x_in.data(), n, d, P + attn_gain_, c.rstd1.data(), dx, G + attn_gain_);
}

}  // namespace nzip::train
