#include "model/transformer.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "nn/attention.h"
#include "nn/requantize.h"
#include "nn/rmsnorm.h"
#include "nn/rope.h"
#include "nn/softmax.h"
#include "nzip/error.h"

namespace nzip::model {
namespace {

// Scratch rows every kernel overwrites in full: uninitialised, since zeroing megabytes of
// activations per segment cost more than the arithmetic (perf: 60% of encoding in memset
// and page faults).
template <class T>
std::unique_ptr<T[]> scratch(size_t n) {
  return std::make_unique_for_overwrite<T[]>(n);
}

// Concatenation of matrices with the same number of columns, packed once.
nn::PackedWeights pack_rows(std::initializer_list<const std::vector<int8_t>*> parts, size_t cols) {
  std::vector<int8_t> all;
  for (const auto* p : parts) all.insert(all.end(), p->begin(), p->end());
  return nn::pack_weights(all.data(), all.size() / cols, cols);
}

// KV cache of one lane: a ring of `window` positions; position p lives in slot p mod window.
// Keys are kept transposed with pairs interleaved (nn::attention_scores_ring's layout), so
// scores vectorise across slots; values as int16 with pairs of slots interleaved
// (nn::attention_values_ring's), so each weight pair multiplies a value pair.
struct KvCache final : BlockState {
  std::vector<int16_t> kt;  // (hd/2, window, 2), after RoPE
  std::vector<int16_t> vp;  // (⌈window/2⌉, hd, 2): pairs of slots interleaved (attention_values_ring)
  int32_t key_bound = 0;    // ≥ |k| of every key stored (attention_scores_ring's bound)
};

// Pre-norm transformer layer: multi-query attention with RoPE, then a SwiGLU feed-forward.
class TransformerBlock final : public Block {
 public:
  TransformerBlock(const TransformerLayerWeights& L, const ModelArchitecture& a, const std::vector<uint32_t>& inv_freq)
      : d_(a.d_model), heads_(a.heads), hd_(a.d_model / a.heads), ff_(a.ff), window_(a.window),
        inv_freq_(inv_freq), attn_norm_gain_(L.attn_norm_gain), ffn_norm_gain_(L.ffn_norm_gain),
        wqkv_(pack_rows({&L.wq, &L.wk, &L.wv}, d_)), wo_(nn::pack_weights(L.wo.data(), d_, d_)),
        wgu_(pack_rows({&L.w_gate, &L.w_up}, d_)), wdown_(nn::pack_weights(L.w_down.data(), d_, ff_)),
        wq_scale_(L.wq_scale), wk_scale_(L.wk_scale), wv_scale_(L.wv_scale), wo_scale_(L.wo_scale),
        w_gate_scale_(L.w_gate_scale), w_up_scale_(L.w_up_scale), w_down_scale_(L.w_down_scale),
        attn_softmax_(L.attn_softmax), act_(L.ffn_act),
        silu_(nn::make_silu_table(act_.in_mult, act_.in_shift, act_.out_mult, act_.out_shift)) {}

  std::unique_ptr<BlockState> make_state() const override {
    auto s = std::make_unique<KvCache>();
    s->kt.assign(window_ * hd_, 0);
    s->vp.assign((window_ + 1) / 2 * 2 * hd_, 0);
    return s;
  }

  uint64_t memory_bytes() const override {
    uint64_t b = inv_freq_.size() * 4 + (attn_norm_gain_.size() + ffn_norm_gain_.size()) * 2 + silu_.size();
    for (const nn::PackedWeights* w : {&wqkv_, &wo_, &wgu_, &wdown_}) b += w->data.size() + w->row_sums.size() * 4;
    return b;
  }

  uint64_t state_bytes() const override {
    return sizeof(KvCache) + (window_ * hd_ + (window_ + 1) / 2 * 2 * hd_) * sizeof(int16_t);
  }

  // The buffers of project, attend or ring_attend, and finish, all counted as if alive at
  // once (they are not), per row and per attended position.
  uint64_t scratch_bytes(size_t rows) const override {
    const uint64_t per_row = 4 /* pos */ + 2 * d_ + 2 * hd_ + hd_ + d_ /* q k v o */ +
                             d_ + 4 * (d_ + 2 * hd_) + 4 * heads_ /* project */ +
                             4 * std::max<size_t>(d_, 2 * ff_) + d_ + ff_ /* finish */;
    const uint64_t per_position = 8 + 8 + (4 + 2) * heads_;  // attend: kp, vp; z and w of every head
    return rows * per_row + window_ * per_position + 4 * d_ /* acc of every head */ + 2 * d_ + 2 * ff_ + 4096;
  }

  // Scratch of ring_attend (scores and weights of every head, their value sums), made once
  // per call and shared by its rows.
  struct AttendScratch {
    std::unique_ptr<int32_t[]> z, acc;
    std::unique_ptr<uint16_t[]> w;
  };
  AttendScratch attend_scratch() const {
    return {scratch<int32_t>(heads_ * window_), scratch<int32_t>(heads_ * hd_), scratch<uint16_t>(heads_ * window_)};
  }

  // Stores position t's k and v in its slot, then attends over the ring: slots [0, count)
  // hold positions max(0, t − window + 1) … t (slot = position mod window).
  void ring_attend(KvCache& c, size_t t, const int16_t* k, const int8_t* v, const int16_t* q, int8_t* o,
                   AttendScratch& s) const {
    const size_t slot = t % window_;
    for (size_t i = 0; i < hd_; ++i) {
      c.kt[((i / 2) * window_ + slot) * 2 + i % 2] = k[i];
      c.key_bound = std::max(c.key_bound, std::abs(int32_t{k[i]}));
    }
    for (size_t i = 0; i < hd_; ++i) c.vp[((slot / 2) * hd_ + i) * 2 + slot % 2] = v[i];
    const size_t count = std::min<size_t>(t + 1, window_);
    nn::attention_scores_ring(q, heads_, c.kt.data(), window_, count, hd_, kScoreShift, s.z.get(), &c.key_bound);
    for (size_t h = 0; h < heads_; ++h)
      nn::softmax_weights_q15(s.z.get() + h * count, count, attn_softmax_.multiplier, attn_softmax_.shift,
                              s.w.get() + h * count);
    nn::attention_values_ring(s.w.get(), heads_, c.vp.data(), count, hd_, s.acc.get(), o);
  }

  void step(int16_t* x, size_t lanes, const uint32_t* pos, BlockState* const* states) const override {
    auto q = scratch<int16_t>(lanes * d_), k = scratch<int16_t>(lanes * hd_);
    auto v = scratch<int8_t>(lanes * hd_), o = scratch<int8_t>(lanes * d_);
    project(x, lanes, pos, q.get(), k.get(), v.get());
    AttendScratch s = attend_scratch();
    for (size_t l = 0; l < lanes; ++l)
      ring_attend(static_cast<KvCache&>(*states[l]), pos[l], k.get() + l * hd_, v.get() + l * hd_,
                  q.get() + l * d_, o.get() + l * d_, s);
    finish(x, lanes, o.get());
  }

  void forward_sequence(int16_t* x, size_t n) const override {
    std::vector<uint32_t> pos(n);
    for (size_t t = 0; t < n; ++t) pos[t] = static_cast<uint32_t>(t);
    std::vector<int16_t> q(n * d_), k(n * hd_);
    std::vector<int8_t> v(n * hd_), o(n * d_);
    project(x, n, pos.data(), q.data(), k.data(), v.data());
    for (size_t t = 0; t < n; ++t) {
      const size_t count = std::min<size_t>(t + 1, window_), first = t + 1 - count;
      attend(q.data() + t * d_, count,
             [&](size_t j) { return std::pair{k.data() + (first + j) * hd_, v.data() + (first + j) * hd_}; },
             o.data() + t * d_);
    }
    finish(x, n, o.data());
  }

  void forward_segment(int16_t* x, size_t n, uint32_t pos0, BlockState* state) const override {
    std::vector<uint32_t> pos(n);
    for (size_t t = 0; t < n; ++t) pos[t] = pos0 + static_cast<uint32_t>(t);
    auto q = scratch<int16_t>(n * d_), k = scratch<int16_t>(n * hd_);
    auto v = scratch<int8_t>(n * hd_), o = scratch<int8_t>(n * d_);
    project(x, n, pos.data(), q.get(), k.get(), v.get());
    // Row by row through the ring, as step does: position p overwrites p − window, which
    // no later row needs.
    auto& c = static_cast<KvCache&>(*state);
    AttendScratch s = attend_scratch();
    for (size_t r = 0; r < n; ++r)
      ring_attend(c, pos[r], k.get() + r * hd_, v.get() + r * hd_, q.get() + r * d_, o.get() + r * d_, s);
    finish(x, n, o.get());
  }

 private:
  // Rows of x at positions pos → q (rows, d) and k (rows, hd) int16 after RoPE, v (rows, hd) int8.
  void project(const int16_t* x, size_t rows, const uint32_t* pos, int16_t* q, int16_t* k, int8_t* v) const {
    const size_t width = d_ + 2 * hd_;
    auto n = scratch<int8_t>(rows * d_);
    auto acc = scratch<int32_t>(rows * width);
    nn::rmsnorm(x, rows, d_, attn_norm_gain_.data(), kNormEps, kNormOutShift, n.get());
    nn::matmul(n.get(), rows, wqkv_, nullptr, acc.get());
    auto head_pos = scratch<uint32_t>(rows * heads_);
    for (size_t r = 0; r < rows; ++r) {
      const int32_t* a = acc.get() + r * width;
      nn::requantize_i16(a, d_, wq_scale_, kScaleShift, q + r * d_);
      nn::requantize_i16(a + d_, hd_, wk_scale_, kScaleShift, k + r * hd_);
      nn::requantize_i8(a + d_ + hd_, hd_, wv_scale_, kScaleShift, v + r * hd_);
      std::fill_n(head_pos.get() + r * heads_, heads_, pos[r]);
    }
    nn::rope_apply(q, rows * heads_, hd_, head_pos.get(), inv_freq_.data());
    nn::rope_apply(k, rows, hd_, pos, inv_freq_.data());
  }

  // One row's attention over `count` positions, kv(j) = (k, v) of the j-th oldest:
  // o (d) int8, head by head (nn/attention.h has the exact arithmetic). The whole-sequence
  // pass uses it, in time order; step and forward_segment use ring_attend, in slot order:
  // the tests comparing them also prove that the order does not matter.
  template <class KV>
  void attend(const int16_t* q, size_t count, KV kv, int8_t* o) const {
    // Positions are resolved to pointers once per row, not once per head.
    std::vector<const int16_t*> kp(count);
    std::vector<const int8_t*> vp(count);
    for (size_t j = 0; j < count; ++j) std::tie(kp[j], vp[j]) = kv(j);
    std::vector<int32_t> z(count), acc(hd_);
    std::vector<uint16_t> w(count);
    for (size_t h = 0; h < heads_; ++h) {
      nn::attention_scores(q + h * hd_, kp.data(), count, hd_, kScoreShift, z.data());
      nn::softmax_weights_q15(z.data(), count, attn_softmax_.multiplier, attn_softmax_.shift, w.data());
      // The one V head all query heads share (multi-query).
      nn::attention_values(w.data(), vp.data(), count, hd_, acc.data(), o + h * hd_);
    }
  }

  // x += wo·o, then x += w_down·swiglu(w_gate·n, w_up·n) with n = rmsnorm(x).
  void finish(int16_t* x, size_t rows, const int8_t* o) const {
    auto acc = scratch<int32_t>(rows * std::max<size_t>(d_, 2 * ff_));
    auto y = scratch<int16_t>(d_);
    auto add_residual = [&](int32_t scale) {
      for (size_t r = 0; r < rows; ++r) {
        nn::requantize_i16(acc.get() + r * d_, d_, scale, kScaleShift, y.get());
        nn::add_saturated_i16(x + r * d_, y.get(), d_);
      }
    };
    nn::matmul(o, rows, wo_, nullptr, acc.get());
    add_residual(wo_scale_);
    auto n = scratch<int8_t>(rows * d_), g = scratch<int8_t>(ff_), u = scratch<int8_t>(ff_);
    auto h = scratch<int8_t>(rows * ff_);
    nn::rmsnorm(x, rows, d_, ffn_norm_gain_.data(), kNormEps, kNormOutShift, n.get());
    nn::matmul(n.get(), rows, wgu_, nullptr, acc.get());
    for (size_t r = 0; r < rows; ++r) {
      const int32_t* a = acc.get() + r * 2 * ff_;
      nn::requantize_i8(a, ff_, w_gate_scale_, kScaleShift, g.get());
      nn::requantize_i8(a + ff_, ff_, w_up_scale_, kScaleShift, u.get());
      nn::swiglu_fast(silu_, g.get(), u.get(), ff_, act_.glu_mult, act_.glu_shift, h.get() + r * ff_);
    }
    nn::matmul(h.get(), rows, wdown_, nullptr, acc.get());
    add_residual(w_down_scale_);
  }

  size_t d_, heads_, hd_, ff_, window_;
  std::vector<uint32_t> inv_freq_;
  std::vector<int16_t> attn_norm_gain_, ffn_norm_gain_;
  nn::PackedWeights wqkv_, wo_, wgu_, wdown_;
  int32_t wq_scale_, wk_scale_, wv_scale_, wo_scale_, w_gate_scale_, w_up_scale_, w_down_scale_;
  SoftmaxParams attn_softmax_;
  FfnActParams act_;
  nn::ActivationTable silu_;
};

}  // namespace

TransformerModel::TransformerModel(const ModelFile& file) {
  const TransformerWeights w = load_transformer_weights(file);
  arch_ = w.arch;
  id_ = file.id;
  element_period_ = w.element_period;
  embed_byte_ = w.embed_byte;
  embed_pos_ = w.embed_pos;
  for (const auto& L : w.layers) blocks_.push_back(std::make_unique<TransformerBlock>(L, arch_, w.rope_inv_freq));
  final_norm_gain_ = w.final_norm_gain;
  head_ = nn::pack_weights(w.head.data(), 256, arch_.d_model);
  head_softmax_ = w.head_softmax;
}

TransformerModel::~TransformerModel() = default;

TransformerState TransformerModel::make_state() const {
  TransformerState s;
  for (const auto& b : blocks_) s.blocks_.push_back(b->make_state());
  return s;
}

uint64_t TransformerModel::memory_bytes() const {
  uint64_t b = embed_byte_.size() + embed_pos_.size() + final_norm_gain_.size() * 2 + head_.data.size() +
               head_.row_sums.size() * 4;
  for (const auto& blk : blocks_) b += blk->memory_bytes();
  return b;
}

uint64_t TransformerModel::state_bytes() const {
  uint64_t b = sizeof(TransformerState);
  for (const auto& blk : blocks_) b += blk->state_bytes() + sizeof(std::unique_ptr<BlockState>);
  return b;
}

uint64_t TransformerModel::scratch_bytes(size_t rows) const {
  const uint64_t d = arch_.d_model;
  // The model's own buffers (tokens, positions, lane pointers, residual; output's norm and
  // logits) plus the largest block's.
  uint64_t block = 0;
  for (const auto& blk : blocks_) block = std::max(block, blk->scratch_bytes(rows));
  return rows * (1 + 4 + 8 + 2 * d + d + 4 * 256) + block;
}

void TransformerModel::embed(const uint8_t* tokens, const uint32_t* pos, size_t rows, int16_t* x) const {
  const size_t d = arch_.d_model;
  for (size_t r = 0; r < rows; ++r) {
    const int8_t* e = embed_byte_.data() + size_t{tokens[r]} * d;
    const int8_t* p = element_period_ ? embed_pos_.data() + (pos[r] % element_period_) * d : nullptr;
    for (size_t i = 0; i < d; ++i) x[r * d + i] = static_cast<int16_t>(e[i] + (p ? p[i] : 0));
  }
}

void TransformerModel::output(const int16_t* x, size_t rows, uint16_t* freq) const {
  const size_t d = arch_.d_model;
  auto n = scratch<int8_t>(rows * d);
  auto logits = scratch<int32_t>(rows * 256);
  nn::rmsnorm(x, rows, d, final_norm_gain_.data(), kNormEps, kNormOutShift, n.get());
  nn::matmul(n.get(), rows, head_, nullptr, logits.get());
  for (size_t r = 0; r < rows; ++r)
    nn::softmax_frequencies(logits.get() + r * 256, head_softmax_.multiplier, head_softmax_.shift, freq + r * 256);
}

void TransformerModel::step(std::span<TransformerState* const> lanes, std::span<const uint8_t> bytes,
                            uint16_t* freq) const {
  if (lanes.size() != bytes.size())
    throw Error(ErrorCode::invalid_argument, "transformer step: " + std::to_string(lanes.size()) + " lanes but " +
                                                 std::to_string(bytes.size()) + " bytes");
  const size_t n = lanes.size(), d = arch_.d_model;
  if (n == 0) return;
  std::vector<uint8_t> tokens(n);
  std::vector<uint32_t> pos(n);
  for (size_t l = 0; l < n; ++l) {
    pos[l] = lanes[l]->pos_;
    if (pos[l] == std::numeric_limits<uint32_t>::max())
      throw Error(ErrorCode::invalid_argument, "transformer step: lane position limit reached");
    tokens[l] = pos[l] == 0 ? kStartToken : bytes[l];
  }
  auto x = scratch<int16_t>(n * d);
  embed(tokens.data(), pos.data(), n, x.get());
  std::vector<BlockState*> states(n);
  for (size_t b = 0; b < blocks_.size(); ++b) {
    for (size_t l = 0; l < n; ++l) states[l] = lanes[l]->blocks_[b].get();
    blocks_[b]->step(x.get(), n, pos.data(), states.data());
  }
  output(x.get(), n, freq);
  for (size_t l = 0; l < n; ++l) ++lanes[l]->pos_;
}

void TransformerModel::forward_sequence(const uint8_t* bytes, size_t n, uint16_t* freq_out) const {
  if (n == 0) return;
  if (n >= std::numeric_limits<uint32_t>::max())
    throw Error(ErrorCode::invalid_argument, "transformer forward_sequence: sequence too long");
  const size_t d = arch_.d_model;
  std::vector<uint8_t> tokens(n);
  std::vector<uint32_t> pos(n);
  for (size_t t = 0; t < n; ++t) {
    tokens[t] = t == 0 ? kStartToken : bytes[t - 1];
    pos[t] = static_cast<uint32_t>(t);
  }
  auto x = scratch<int16_t>(n * d);
  embed(tokens.data(), pos.data(), n, x.get());
  for (const auto& b : blocks_) b->forward_sequence(x.get(), n);
  output(x.get(), n, freq_out);
}

void TransformerModel::forward_continue(TransformerState& lane, uint8_t prev, const uint8_t* bytes, size_t n,
                                        uint16_t* freq_out) const {
  if (n == 0) return;
  const uint32_t pos0 = lane.pos_;
  if (n >= std::numeric_limits<uint32_t>::max() - pos0)
    throw Error(ErrorCode::invalid_argument, "transformer forward_continue: lane position limit reached");
  const size_t d = arch_.d_model;
  std::vector<uint8_t> tokens(n);
  std::vector<uint32_t> pos(n);
  for (size_t t = 0; t < n; ++t) {
    pos[t] = pos0 + static_cast<uint32_t>(t);
    tokens[t] = pos[t] == 0 ? kStartToken : (t == 0 ? prev : bytes[t - 1]);
  }
  auto x = scratch<int16_t>(n * d);
  embed(tokens.data(), pos.data(), n, x.get());
  for (size_t b = 0; b < blocks_.size(); ++b) blocks_[b]->forward_segment(x.get(), n, pos0, lane.blocks_[b].get());
  output(x.get(), n, freq_out);
  lane.pos_ = pos0 + static_cast<uint32_t>(n);
}

}  // namespace nzip::model
