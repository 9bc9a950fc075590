// model/transformer.h — the integer transformer byte model: given the bytes of a chunk so
// far, the 256 coder frequencies (summing to 2^16, each ≥ 1) of the next byte. Integer
// arithmetic only (src/nn kernels), so every machine and SIMD target gives the same numbers.
//
// Inputs: the byte at position t (t = 0, 1, ... inside a chunk) is predicted from token
// u_t = the byte at t − 1, and u_0 = kStartToken (byte 0) at position 0: the start symbol is
// byte 0 seen at position 0. Position t also selects row (t mod P) of embed.pos_in_element
// (the predicted byte's place in its element), when the model has one.
// Sliding window: position t attends to positions max(0, t − window + 1) … t (itself
// included), i.e. at most `window` positions; the KV cache is a ring of `window` slots.
//
// The exact forward pass (docs/MODEL_FORMAT.md "Transformer tensors", transformer.cpp):
//   x = embed.byte[u_t] + embed.pos_in_element[t mod P]           (int16 residual)
//   per layer (pre-norm blocks):
//     n = rmsnorm(x, attn_norm.gain, kNormEps, kNormOutShift)     (int8)
//     q = rq16(wq·n, wq.scale); k = rq16(wk·n); v = rq8(wv·n)     (rqT(a, M) = clampT(rhe(a·M, 31)))
//     RoPE(q per head, k) at position t
//     z_j = sat32(rhe(Σ q_h·k_j, kScoreShift)) for j in the window; w = softmax_weights_q15(z, attn_softmax)
//     o_h = clamp8(rhe(Σ_j w_j·v_j, 15)); x = sat16(x + rq16(wo·o, wo.scale))
//     n = rmsnorm(x, ffn_norm.gain); g = rq8(w_gate·n); u = rq8(w_up·n)
//     h = swiglu(silu_table(ffn_act), g, u); x = sat16(x + rq16(w_down·h, w_down.scale))
//   freq = softmax_frequencies(head·rmsnorm(x, final_norm.gain), head_softmax)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/model_file.h"
#include "model/transformer_weights.h"
#include "nn/activation.h"
#include "nn/matmul.h"

namespace nzip::model {

inline constexpr uint8_t kStartToken = 0;

// Per-lane, per-block recurrent state (a KV cache for attention; a Mamba block would keep
// its scan state here).
struct BlockState {
  virtual ~BlockState() = default;
};

// One residual block. A block reads and updates the int16 residual rows in place.
class Block {
 public:
  virtual ~Block() = default;
  // A fresh state (position 0, empty history).
  virtual std::unique_ptr<BlockState> make_state() const = 0;
  // Memory, in bytes, for nzip::memory_bound: what the block holds (weights and tables), one
  // lane's state, and at most what one pass over `rows` rows allocates while it runs.
  virtual uint64_t memory_bytes() const = 0;
  virtual uint64_t state_bytes() const = 0;
  virtual uint64_t scratch_bytes(size_t rows) const = 0;
  // x (lanes, d): row l is lane l's residual at position pos[l]; states[l] holds positions
  // before pos[l] and is advanced to include pos[l].
  virtual void step(int16_t* x, size_t lanes, const uint32_t* pos, BlockState* const* states) const = 0;
  // Teacher-forced: x (n, d) are positions 0 … n−1 of one fresh sequence; the result equals
  // n calls of step bit for bit.
  virtual void forward_sequence(int16_t* x, size_t n) const = 0;
  // Teacher-forced continuation: x (n, d) are positions pos0 … pos0+n−1 of the lane whose
  // history (positions before pos0) is in `state`, which is advanced past them; equals n
  // calls of step bit for bit, with the projections batched over the n rows.
  virtual void forward_segment(int16_t* x, size_t n, uint32_t pos0, BlockState* state) const = 0;
};

class TransformerModel;

// One lane: a chunk being coded. Made by TransformerModel::make_state.
class TransformerState {
 public:
  uint32_t position() const { return pos_; }

 private:
  friend class TransformerModel;
  uint32_t pos_ = 0;
  std::vector<std::unique_ptr<BlockState>> blocks_;
};

class TransformerModel {
 public:
  // Loads (load_transformer_weights checks everything; throws nzip::Error(corrupt)) and packs.
  explicit TransformerModel(const ModelFile& file);
  ~TransformerModel();
  TransformerModel(const TransformerModel&) = delete;
  TransformerModel& operator=(const TransformerModel&) = delete;

  const ModelArchitecture& architecture() const { return arch_; }
  const ModelId& id() const { return id_; }

  TransformerState make_state() const;

  // Memory, in bytes (nzip::memory_bound, docs/FORMAT.md "Memory"): the loaded model
  // (packed weights and tables), one lane's state (KV caches), and an upper bound on what a
  // call over `rows` rows (step with `rows` lanes, or a forward pass of `rows` positions,
  // freq_out excluded) allocates while it runs.
  uint64_t memory_bytes() const;
  // P, the rows of embed.pos_in_element (0 when the model has none).
  uint32_t element_period() const { return element_period_; }
  uint64_t state_bytes() const;
  uint64_t scratch_bytes(size_t rows) const;

  // One step for each lane in lockstep (one matmul per weight for all lanes): lane l feeds
  // bytes[l], the byte coded last in that lane (ignored at position 0, where kStartToken is
  // fed), and receives in freq[l·256 … l·256+255] the frequencies of the byte at its
  // current position; then its position advances. lanes.size() == bytes.size().
  // Throws nzip::Error(invalid_argument) on a size mismatch or a state position at 2^32 − 1.
  void step(std::span<TransformerState* const> lanes, std::span<const uint8_t> bytes, uint16_t* freq) const;

  // Teacher-forced pass over one fresh sequence: freq_out (n, 256) for positions 0 … n−1,
  // fed kStartToken, bytes[0], …, bytes[n−2]; bit-identical to n calls of step.
  void forward_sequence(const uint8_t* bytes, size_t n, uint16_t* freq_out) const;

  // Teacher-forced continuation of one lane, for an encoder that knows the bytes: feeds
  // `prev` (the byte before bytes[0]; ignored at position 0) and bytes[0 … n−2], giving
  // freq_out (n, 256) for the n bytes from the lane's position on, and advances the lane by
  // n. Bit-identical to n calls of step; memory grows with n, not with the lane's position,
  // so a long chunk is coded in segments of bounded size.
  // Throws nzip::Error(invalid_argument) if the position would reach 2^32 − 1.
  void forward_continue(TransformerState& lane, uint8_t prev, const uint8_t* bytes, size_t n,
                        uint16_t* freq_out) const;

 private:
  // x (rows, d) from tokens and positions.
  void embed(const uint8_t* tokens, const uint32_t* pos, size_t rows, int16_t* x) const;
  // freq (rows, 256) from the final residual rows.
  void output(const int16_t* x, size_t rows, uint16_t* freq) const;

  ModelArchitecture arch_;
  ModelId id_{};
  uint32_t element_period_ = 0;
  std::vector<int8_t> embed_byte_, embed_pos_;
  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<int16_t> final_norm_gain_;
  nn::PackedWeights head_;
  SoftmaxParams head_softmax_;
};

}  // namespace nzip::model
