#include "model/transformer_weights.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "nn/isqrt.h"
#include "nn/matmul.h"
#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nzip/error.h"

namespace nzip::model {
namespace {

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorCode::corrupt, "transformer model: " + what); }

void check_range(int64_t v, int64_t lo, int64_t hi, const std::string& what) {
  if (v < lo || v > hi)
    corrupt(what + " = " + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

std::string layer_name(size_t i, const char* what) { return "layers." + std::to_string(i) + "." + what; }

int32_t load_scale(const ModelFile& f, const std::string& w) {
  const int32_t m = f.values<int32_t>(w + ".scale", {})[0];
  check_range(m, 0, INT32_MAX, w + ".scale");
  return m;
}

SoftmaxParams load_softmax(const ModelFile& f, const std::string& name) {
  const auto v = f.values<int32_t>(name, {2});
  check_range(v[0], 0, (int64_t{1} << 30) - 1, name + " multiplier");
  check_range(v[1], 0, nn::kRequantizeMaxShift, name + " shift");
  return {v[0], v[1]};
}

// Little-endian tensor from integers.
template <class T>
Tensor make_tensor(std::string name, std::vector<uint64_t> shape, const std::vector<T>& v) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = detail::dtype_of<T>();
  t.shape = std::move(shape);
  t.bytes.resize(v.size() * sizeof(T));
  using U = std::make_unsigned_t<T>;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto u = static_cast<U>(v[i]);
    for (size_t b = 0; b < sizeof(T); ++b) t.bytes[i * sizeof(T) + b] = static_cast<uint8_t>(u >> (8 * b));
  }
  return t;
}

void check_arch(const ModelArchitecture& a, ErrorCode code) {
  auto fail = [&](const std::string& what) { throw Error(code, "transformer model: " + what); };
  if (a.kind != ArchitectureKind::transformer) fail("kind is not transformer");
  if (a.vocab != 256) fail("vocab must be 256 for a byte model");
  if (a.element_size != 1) fail("element_size must be 1 (int8 weights)");
  if (a.heads == 0 || a.d_model % a.heads != 0 || (a.d_model / a.heads) % 2 != 0)
    fail("d_model / heads must be an even integer (RoPE pairs)");
}

uint64_t splitmix64_impl(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Deterministic int8 weights in [−64, 63].
std::vector<int8_t> random_i8(uint64_t& state, size_t n) {
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(splitmix64_impl(state) >> 57) - 64);
  return v;
}

// Multiplier M (real scale M/2^31) taking accumulators of inputs with rms `in_rms` times the
// rows of w (rows, cols) to outputs of rms ≈ `target_rms`.
int32_t scale_for(uint32_t target_rms, uint32_t in_rms, const std::vector<int8_t>& w, size_t rows) {
  uint64_t ss = 0;
  for (int8_t x : w) ss += static_cast<uint64_t>(int64_t{x} * x);
  const uint64_t per_row = std::max<uint64_t>(1, ss / rows);
  const uint64_t acc_rms = std::max<uint64_t>(1, nn::isqrt64(uint64_t{in_rms} * in_rms * per_row));
  const uint64_t m = (uint64_t{target_rms} << kScaleShift) / acc_rms;
  return static_cast<int32_t>(std::clamp<uint64_t>(m, 1, INT32_MAX));
}

}  // namespace

TransformerWeights load_transformer_weights(const ModelFile& f) {
  if (!f.architecture) corrupt("not an nzip model");
  TransformerWeights w;
  w.arch = *f.architecture;
  check_arch(w.arch, ErrorCode::corrupt);
  const uint64_t d = w.arch.d_model, hd = d / w.arch.heads, ff = w.arch.ff;
  w.embed_byte = f.values<int8_t>("embed.byte", {256, d});
  if (const Tensor* p = f.find("embed.pos_in_element")) {
    if (p->shape.size() != 2 || p->shape[0] < 1 || p->shape[0] > kMaxElementPeriod)
      corrupt("embed.pos_in_element must be (P, d_model) with 1 <= P <= " + std::to_string(kMaxElementPeriod));
    w.element_period = static_cast<uint32_t>(p->shape[0]);
    w.embed_pos = f.values<int8_t>("embed.pos_in_element", {p->shape[0], d});
  }
  w.rope_inv_freq = f.values<uint32_t>("rope.inv_freq", {hd / 2});
  w.layers.resize(w.arch.layers);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    auto& L = w.layers[i];
    auto mat = [&](const char* name, uint64_t rows, uint64_t cols, std::vector<int8_t>& out, int32_t& scale) {
      out = f.values<int8_t>(layer_name(i, name), {rows, cols});
      scale = load_scale(f, layer_name(i, name));
    };
    L.attn_norm_gain = f.values<int16_t>(layer_name(i, "attn_norm.gain"), {d});
    mat("wq", d, d, L.wq, L.wq_scale);
    mat("wk", hd, d, L.wk, L.wk_scale);
    mat("wv", hd, d, L.wv, L.wv_scale);
    mat("wo", d, d, L.wo, L.wo_scale);
    L.attn_softmax = load_softmax(f, layer_name(i, "attn_softmax"));
    L.ffn_norm_gain = f.values<int16_t>(layer_name(i, "ffn_norm.gain"), {d});
    mat("w_gate", ff, d, L.w_gate, L.w_gate_scale);
    mat("w_up", ff, d, L.w_up, L.w_up_scale);
    mat("w_down", d, ff, L.w_down, L.w_down_scale);
    const auto a = f.values<int32_t>(layer_name(i, "ffn_act"), {6});
    const std::string n = layer_name(i, "ffn_act");
    check_range(a[0], 0, (int64_t{1} << 30) - 1, n + " silu in_mult");
    check_range(a[1], 0, nn::kRequantizeMaxShift, n + " silu in_shift");
    check_range(a[2], 0, int64_t{1} << 24, n + " silu out_mult");
    check_range(a[3], 0, nn::kRequantizeMaxShift, n + " silu out_shift");
    check_range(a[4], 0, (int64_t{1} << 30) - 1, n + " swiglu mult");
    check_range(a[5], 0, nn::kRequantizeMaxShift, n + " swiglu shift");
    L.ffn_act = {a[0], a[1], a[2], a[3], a[4], a[5]};
  }
  w.final_norm_gain = f.values<int16_t>("final_norm.gain", {d});
  w.head = f.values<int8_t>("head", {256, d});
  w.head_softmax = load_softmax(f, "head_softmax");
  return w;
}

ModelFile transformer_model_file(const TransformerWeights& w) {
  ModelFile f;
  const uint64_t d = w.arch.d_model, hd = d / w.arch.heads, ff = w.arch.ff;
  auto& t = f.tensors;
  auto scalar = [](int32_t v) { return std::vector<int32_t>{v}; };
  t.push_back(make_tensor("embed.byte", {256, d}, w.embed_byte));
  if (w.element_period > 0) t.push_back(make_tensor("embed.pos_in_element", {w.element_period, d}, w.embed_pos));
  t.push_back(make_tensor("rope.inv_freq", {hd / 2}, w.rope_inv_freq));
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const auto& L = w.layers[i];
    auto mat = [&](const char* name, uint64_t rows, uint64_t cols, const std::vector<int8_t>& v, int32_t scale) {
      t.push_back(make_tensor(layer_name(i, name), {rows, cols}, v));
      t.push_back(make_tensor(layer_name(i, name) + ".scale", {}, scalar(scale)));
    };
    t.push_back(make_tensor(layer_name(i, "attn_norm.gain"), {d}, L.attn_norm_gain));
    mat("wq", d, d, L.wq, L.wq_scale);
    mat("wk", hd, d, L.wk, L.wk_scale);
    mat("wv", hd, d, L.wv, L.wv_scale);
    mat("wo", d, d, L.wo, L.wo_scale);
    t.push_back(make_tensor(layer_name(i, "attn_softmax"), {2},
                            std::vector<int32_t>{L.attn_softmax.multiplier, L.attn_softmax.shift}));
    t.push_back(make_tensor(layer_name(i, "ffn_norm.gain"), {d}, L.ffn_norm_gain));
    mat("w_gate", ff, d, L.w_gate, L.w_gate_scale);
    mat("w_up", ff, d, L.w_up, L.w_up_scale);
    mat("w_down", d, ff, L.w_down, L.w_down_scale);
    const auto& a = L.ffn_act;
    t.push_back(make_tensor(layer_name(i, "ffn_act"), {6},
                            std::vector<int32_t>{a.in_mult, a.in_shift, a.out_mult, a.out_shift, a.glu_mult, a.glu_shift}));
  }
  t.push_back(make_tensor("final_norm.gain", {d}, w.final_norm_gain));
  t.push_back(make_tensor("head", {256, d}, w.head));
  t.push_back(make_tensor("head_softmax", {2}, std::vector<int32_t>{w.head_softmax.multiplier, w.head_softmax.shift}));
  std::sort(t.begin(), t.end(), [](const Tensor& a, const Tensor& b) { return a.name < b.name; });
  f.metadata = nzip_metadata(w.arch);
  f.architecture = w.arch;
  f.id = compute_model_id(f);
  return f;
}

void check_transformer_architecture(const ModelArchitecture& arch) {
  try {
    validate_architecture(arch);
  } catch (const Error& e) {
    throw Error(ErrorCode::invalid_argument, e.what());
  }
  check_arch(arch, ErrorCode::invalid_argument);
}

std::vector<uint32_t> rope_inv_freq_q32(size_t hd) {
  // 683565276 = 2^32/2π; 2^(−x/256) from kExp2Q30: integer only.
  std::vector<uint32_t> f;
  for (size_t j = 0; j < hd / 2; ++j) {
    const size_t x = 8192 * j / hd;  // 2^(−x/256)
    const int64_t e = nn::kExp2Q30[x & 255] >> (x >> 8);
    f.push_back(static_cast<uint32_t>(nn::round_shift_half_even(int64_t{683565276} * e, 30)));
  }
  return f;
}

ModelFile make_random_transformer(const ModelArchitecture& arch, uint64_t seed, uint32_t element_period) {
  validate_architecture(arch);
  check_arch(arch, ErrorCode::invalid_argument);
  if (element_period > kMaxElementPeriod) throw Error(ErrorCode::invalid_argument, "transformer model: element period too large");
  uint64_t s = seed;
  const size_t d = arch.d_model, hd = d / arch.heads, ff = arch.ff;
  // log2(e)·2^20: softmax and SiLU multipliers turn real units into 1/256ths of a power of two.
  constexpr int64_t kLog2eQ20 = 1512775;
  auto gains = [&](size_t n) {
    std::vector<int16_t> g(n);
    for (auto& x : g) x = static_cast<int16_t>(8192 + static_cast<int>(splitmix64_impl(s) >> 54) - 512);
    return g;  // ≈ 8192: norm outputs of rms ≈ 32 (kNormOutShift)
  };
  TransformerWeights w;
  w.arch = arch;
  w.element_period = element_period;
  w.embed_byte = random_i8(s, 256 * d);
  if (element_period > 0) w.embed_pos = random_i8(s, element_period * d);
  w.rope_inv_freq = rope_inv_freq_q32(hd);
  w.layers.resize(arch.layers);
  for (auto& L : w.layers) {
    L.attn_norm_gain = gains(d);
    L.wq = random_i8(s, d * d);
    L.wq_scale = scale_for(256, 32, L.wq, d);
    L.wk = random_i8(s, hd * d);
    L.wk_scale = scale_for(256, 32, L.wk, hd);
    L.wv = random_i8(s, hd * d);
    L.wv_scale = scale_for(32, 32, L.wv, hd);
    L.wo = random_i8(s, d * d);
    L.wo_scale = scale_for(16, 24, L.wo, d);
    // q, k of rms 256 stand for rms 1; logits z = q·k / 2^8, real q·k/√hd = z / (2^8·√hd).
    L.attn_softmax = {static_cast<int32_t>(kLog2eQ20 / std::max<uint32_t>(1, nn::isqrt64(hd))), 20};
    L.ffn_norm_gain = gains(d);
    L.w_gate = random_i8(s, ff * d);
    L.w_gate_scale = scale_for(32, 32, L.w_gate, ff);
    L.w_up = random_i8(s, ff * d);
    L.w_up_scale = scale_for(32, 32, L.w_up, ff);
    L.w_down = random_i8(s, d * ff);
    L.w_down_scale = scale_for(16, 12, L.w_down, d);
    // int8 q stands for q/32 on both sides of SiLU and of the gating product.
    L.ffn_act = {static_cast<int32_t>(kLog2eQ20 * 8), 20, 1, 30, 1, 5};
  }
  w.final_norm_gain = gains(d);
  w.head = random_i8(s, 256 * d);
  {
    uint64_t ss = 0;
    for (int8_t x : w.head) ss += static_cast<uint64_t>(int64_t{x} * x);
    const uint64_t logit_rms = std::max<uint64_t>(1, nn::isqrt64(32 * 32 * (ss / 256)));
    // Real logits of rms ≈ 2.
    w.head_softmax = {static_cast<int32_t>(std::min<uint64_t>(512 * kLog2eQ20 / logit_rms, (1u << 30) - 1)), 20};
  }
  return transformer_model_file(w);
}

}  // namespace nzip::model
