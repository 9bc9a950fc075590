// cm/mixer.h — gated logistic mixing of model predictions, in integer arithmetic.
//
// Inputs are logits (stretch of a probability, ±2047). Several weight sets run side by side;
// each set picks its weight row with its own small context (the gate), computes
// p_s = squash(Σ w·x), and learns by gradient descent on coding cost. A final layer mixes the
// sets' logits with one more learned weight vector selected by its own context.
//
// Weights are int16 in 2.14 fixed point; see mixer_kernels.h for why sums are exact.
#pragma once

#include <cstdint>
#include <vector>

#include "cm/logistic.h"
#include "cm/mixer_kernels.h"

namespace nzip::cm {

class Mixer {
 public:
  static constexpr int kMaxInputs = kMaxTerms;
  static constexpr int kMaxSets = 8;

  // n_inputs: how many add() calls precede each mix() (≤ kMaxInputs); set_sizes: contexts of
  // each gate; final_contexts: contexts of the final layer; rates: learning rates.
  Mixer(int n_inputs, const std::vector<int>& set_sizes, int final_contexts, int rate, int final_rate);

  // The input vector to fill before mix(): n_inputs logits, each in [-2047, 2047].
  int16_t* inputs() { return x_; }
  // Chooses the weight row of gate `set` (ctx < that set's size).
  void select(int set, int ctx) { row_[set] = offset_[set] + ctx * stride_; }
  void select_final(int ctx) { final_row_ = ctx * kFinalStride; }

  // P(1) in 16 bits.
  int mix();
  void update(int bit);

 private:
  static constexpr int kFinalStride = 8;
  static int to_logit(int32_t dot14);

  int n_, stride_;
  int nsets_;
  int rate_, final_rate_;
  alignas(16) int16_t x_[kMaxInputs] = {};
  std::vector<int16_t> w_storage_;
  int16_t* w_;  // 16-byte aligned view into w_storage_
  std::vector<int> offset_;
  int row_[kMaxSets] = {};
  int p_set_[kMaxSets] = {};
  alignas(16) int16_t x_final_[kFinalStride] = {};
  std::vector<int16_t> w_final_storage_;
  int16_t* w_final_;
  int final_row_ = 0;
  int p_final_ = 32768;
};

}  // namespace nzip::cm
