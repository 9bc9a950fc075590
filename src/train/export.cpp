#include "train/export.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "model/transformer_weights.h"
#include "nn/softmax.h"
#include "nzip/error.h"
#include "train/fake_quant.h"
#include "train/quant_grids.h"

namespace nzip::train {
namespace {

constexpr double kLog2e = 1.4426950408889634;

template <class T>
std::vector<T> quantise(const float* w, size_t n, double scale) {
  constexpr double lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  std::vector<T> q(n);
  for (size_t i = 0; i < n; ++i) q[i] = static_cast<T>(std::clamp(std::nearbyint(w[i] / scale), lo, hi));
  return q;
}

// W.scale for a requantisation real = M / 2^31.
int32_t scale_multiplier(double real, const std::string& what) {
  const double m = std::nearbyint(real * 2147483648.0);
  if (!(m >= 0 && m <= 2147483647.0))
    throw Error(ErrorCode::limit_exceeded, "export: " + what + " requantisation scale " + std::to_string(real) +
                                               " is not below 1 (the residual's scale is too small)");
  return static_cast<int32_t>(m);
}

}  // namespace

FixedPoint to_fixed_point(double real, int64_t max_multiplier, const char* what) {
  if (!(real >= 0) || !std::isfinite(real) || std::nearbyint(real) > static_cast<double>(max_multiplier))
    throw Error(ErrorCode::limit_exceeded, std::string("export: ") + what + " = " + std::to_string(real) +
                                               " cannot be a fixed-point multiplier");
  int shift = 62;
  while (shift > 0 && std::nearbyint(std::ldexp(real, shift)) > static_cast<double>(max_multiplier)) --shift;
  return {static_cast<int32_t>(std::nearbyint(std::ldexp(real, shift))), shift};
}

model::ModelFile export_transformer(const FloatTransformer& m, const std::vector<float>& master) {
  const auto& a = m.architecture();
  const auto& layout = m.layout();
  const size_t hd = a.d_model / a.heads;
  const double sx = m.residual_scale(master);
  auto ptr = [&](const std::string& name) { return master.data() + layout.find(name).offset; };
  auto size = [&](const std::string& name) { return layout.find(name).size; };
  auto gain = [&](const std::string& name) { return quantise<int16_t>(ptr(name), size(name), kGainScale); };
  // An int8 matrix and its real scale.
  auto matrix = [&](const std::string& name, std::vector<int8_t>& out) {
    const double s = weight_scale(ptr(name), size(name));
    out = quantise<int8_t>(ptr(name), size(name), s);
    return s;
  };

  model::TransformerWeights w;
  w.arch = a;
  w.element_period = m.element_period();
  w.embed_byte = quantise<int8_t>(ptr("embed.byte"), size("embed.byte"), sx);
  if (w.element_period)
    w.embed_pos = quantise<int8_t>(ptr("embed.pos_in_element"), size("embed.pos_in_element"), sx);
  w.rope_inv_freq = m.rope_inv_freq();
  // Logit z = round(q·k / 2^8) with q, k in kQkScale units; real logit = q·k/√hd.
  const double z_real = 256.0 * kQkScale * kQkScale / std::sqrt(static_cast<double>(hd));
  const FixedPoint attn = to_fixed_point(256.0 * kLog2e * z_real, nn::kSoftmaxMaxMultiplier, "attention softmax");
  const FixedPoint silu_in = to_fixed_point(256.0 * kGateScale * kLog2e, (int64_t{1} << 30) - 1, "SiLU input");
  const FixedPoint silu_out = to_fixed_point(kGateScale / (kSiluScale * 1073741824.0), int64_t{1} << 24, "SiLU output");
  const FixedPoint glu = to_fixed_point(double{kSiluScale} * kUpScale / kHiddenScale, (int64_t{1} << 30) - 1, "SwiGLU");
  w.layers.resize(a.layers);
  for (size_t i = 0; i < a.layers; ++i) {
    auto& L = w.layers[i];
    const std::string p = "layers." + std::to_string(i) + ".";
    L.attn_norm_gain = gain(p + "attn_norm.gain");
    L.wq_scale = scale_multiplier(matrix(p + "wq", L.wq) * kNormScale / kQkScale, p + "wq");
    L.wk_scale = scale_multiplier(matrix(p + "wk", L.wk) * kNormScale / kQkScale, p + "wk");
    L.wv_scale = scale_multiplier(matrix(p + "wv", L.wv) * kNormScale / kValueScale, p + "wv");
    L.wo_scale = scale_multiplier(matrix(p + "wo", L.wo) * kValueScale / sx, p + "wo");
    L.attn_softmax = {attn.multiplier, attn.shift};
    L.ffn_norm_gain = gain(p + "ffn_norm.gain");
    L.w_gate_scale = scale_multiplier(matrix(p + "w_gate", L.w_gate) * kNormScale / kGateScale, p + "w_gate");
    L.w_up_scale = scale_multiplier(matrix(p + "w_up", L.w_up) * kNormScale / kUpScale, p + "w_up");
    L.w_down_scale = scale_multiplier(matrix(p + "w_down", L.w_down) * kHiddenScale / sx, p + "w_down");
    L.ffn_act = {silu_in.multiplier, silu_in.shift, silu_out.multiplier, silu_out.shift, glu.multiplier, glu.shift};
  }
  w.final_norm_gain = gain("final_norm.gain");
  const double head_scale = matrix("head", w.head);
  const FixedPoint head = to_fixed_point(256.0 * kLog2e * kNormScale * head_scale, nn::kSoftmaxMaxMultiplier, "head softmax");
  w.head_softmax = {head.multiplier, head.shift};
  return model::transformer_model_file(w);
}

}  // namespace nzip::train
