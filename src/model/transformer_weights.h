// model/transformer_weights.h — the tensors of an nzip transformer byte model: their names,
// dtypes and shapes in a model file (docs/MODEL_FORMAT.md, "Transformer tensors"), loading
// them with every shape and dtype checked, writing them back, and a random model for tests.
//
// d = d_model, H = heads, hd = d / H (one shared K/V head: multi-query), ff, P = element
// period (rows of embed.pos_in_element; 0 = no such table). All matrices are (out, in) I8
// row-major, the layout of nn::matmul. Every matrix W has W.scale, I32 shape []: a
// multiplier M in [0, 2^31 − 1] applied as round_half_even(acc·M / 2^31) (kScaleShift) when
// its int32 accumulators are requantised.
//
//   embed.byte                 I8  (256, d)
//   embed.pos_in_element       I8  (P, d)       optional; row (t mod P) for the byte at t
//   rope.inv_freq              U32 (hd / 2)     Q32 turns per position (nn/rope.h)
//   layers.{i}.attn_norm.gain  I16 (d)
//   layers.{i}.wq              I8  (d, d)       + .scale    → int16 q (H heads of hd)
//   layers.{i}.wk              I8  (hd, d)      + .scale    → int16 k
//   layers.{i}.wv              I8  (hd, d)      + .scale    → int8 v
//   layers.{i}.attn_softmax    I32 (2)          softmax multiplier, shift (nn/softmax.h)
//   layers.{i}.wo              I8  (d, d)       + .scale    → int16, added to the residual
//   layers.{i}.ffn_norm.gain   I16 (d)
//   layers.{i}.w_gate          I8  (ff, d)      + .scale    → int8
//   layers.{i}.w_up            I8  (ff, d)      + .scale    → int8
//   layers.{i}.ffn_act         I32 (6)          SiLU in_mult, in_shift, out_mult, out_shift,
//                                               SwiGLU mult, shift (nn/activation.h)
//   layers.{i}.w_down          I8  (d, ff)      + .scale    → int16, added to the residual
//   final_norm.gain            I16 (d)
//   head                       I8  (256, d)     (no .scale: its int32 logits go to softmax)
//   head_softmax               I32 (2)          coder softmax multiplier, shift
//
// The architecture's element_size (bytes per weight) must be 1: int8 weights.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model_architecture.h"
#include "model/model_file.h"

namespace nzip::model {

// Fixed shift of every W.scale multiplier: real scale = M / 2^31.
inline constexpr int kScaleShift = 31;
// RMSNorm constants of every norm (nn/rmsnorm.h): y ≈ x/rms · gain / 2^8.
inline constexpr int64_t kNormEps = 1;
inline constexpr int kNormOutShift = 24;
// q·k dot products (int64) are brought to int32 logits by round_half_even(dot, 8).
inline constexpr int kScoreShift = 8;
// Largest element period (rows of embed.pos_in_element). A record's length in bytes (up to
// 4096) makes the table a field identity: one row per byte of the record, so each field's
// bytes get their own embedding (ALICE's 148-byte records, for example).
inline constexpr uint32_t kMaxElementPeriod = 4096;

struct SoftmaxParams {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

struct FfnActParams {
  int32_t in_mult = 0, in_shift = 0, out_mult = 0, out_shift = 0;  // SiLU table
  int32_t glu_mult = 0, glu_shift = 0;                             // SwiGLU gating
};

struct TransformerLayerWeights {
  std::vector<int16_t> attn_norm_gain;  // (d)
  std::vector<int8_t> wq, wk, wv, wo;   // (d,d), (hd,d), (hd,d), (d,d)
  int32_t wq_scale = 0, wk_scale = 0, wv_scale = 0, wo_scale = 0;
  SoftmaxParams attn_softmax;
  std::vector<int16_t> ffn_norm_gain;        // (d)
  std::vector<int8_t> w_gate, w_up, w_down;  // (ff,d), (ff,d), (d,ff)
  int32_t w_gate_scale = 0, w_up_scale = 0, w_down_scale = 0;
  FfnActParams ffn_act;
};

struct TransformerWeights {
  ModelArchitecture arch;
  uint32_t element_period = 0;           // P; 0 = no position-in-element table
  std::vector<int8_t> embed_byte;        // (256, d)
  std::vector<int8_t> embed_pos;         // (P, d)
  std::vector<uint32_t> rope_inv_freq;   // (hd/2)
  std::vector<TransformerLayerWeights> layers;
  std::vector<int16_t> final_norm_gain;  // (d)
  std::vector<int8_t> head;              // (256, d)
  SoftmaxParams head_softmax;
};

// Reads the weights of an nzip transformer model. Throws nzip::Error(corrupt) when the file
// is not an nzip model, its kind is not transformer, vocab ≠ 256, element_size ≠ 1 (also
// d_model odd per head), a tensor is missing or has another dtype or shape, or a fixed-point
// parameter is outside its kernel's range (softmax multiplier ≥ 2^30, shift ∉ [0, 62], ...).
TransformerWeights load_transformer_weights(const ModelFile& file);

// The model file holding `w` (nzip metadata of w.arch, the tensors above). Its id is set.
ModelFile transformer_model_file(const TransformerWeights& w);

// Throws nzip::Error(invalid_argument) when `arch` is not one the integer transformer
// accepts (validate_architecture, kind transformer, vocab 256, element_size 1, even d/heads).
void check_transformer_architecture(const ModelArchitecture& arch);

// RoPE frequencies of a head of dimension hd (even), base 2^16: ω_j = 2^(−32j/hd) radians
// per position, stored as round(2^32·ω_j/2π), computed from integer tables only (the same
// numbers on every machine). Every model nzip makes uses them.
std::vector<uint32_t> rope_inv_freq_q32(size_t hd);

// A valid model with deterministic pseudo-random int8 weights (splitmix64 from `seed`) and
// scales chosen from the actual weights so activations keep a moderate spread (rms ≈ 32 for
// int8 stages) for any d_model. Integer arithmetic only, so the file (and its id) is the same
// on every machine. `element_period` 0 leaves out embed.pos_in_element. Throws
// nzip::Error(invalid_argument) for an architecture load_transformer_weights would refuse.
ModelFile make_random_transformer(const ModelArchitecture& arch, uint64_t seed, uint32_t element_period);

}  // namespace nzip::model
