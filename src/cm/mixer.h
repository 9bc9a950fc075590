// cm/mixer.h — gated logistic mixing of model predictions, in integer arithmetic.
//
// Inputs are logits (stretch of a probability, ±2047). Several weight sets run side by side;
// each set picks its weight row with its own small context (the gate), computes
// p_s = squash(Σ w·x), and learns by gradient descent on coding cost. A final layer mixes the
// sets' logits with one more learned weight vector selected by its own context.
//
// Weights are 16.16 fixed point; sums are 64-bit, so the result does not depend on the
// order of additions (SIMD or not).
#pragma once

#include <cstdint>
#include <vector>

#include "cm/logistic.h"

namespace nzip::cm {

class Mixer {
 public:
  static constexpr int kMaxInputs = 48;
  static constexpr int kMaxSets = 8;

  // n_inputs: how many add() calls precede each mix(); set_sizes: contexts of each gate;
  // final_contexts: contexts of the final layer; rates: learning rates (larger = faster).
  Mixer(int n_inputs, const std::vector<int>& set_sizes, int final_contexts, int rate, int final_rate);

  void add(int x) { x_[nx_++] = x; }
  // Chooses the weight row of gate `set` (ctx < that set's size).
  void select(int set, int ctx) { row_[set] = offset_[set] + ctx * n_; }
  void select_final(int ctx) { final_row_ = ctx * nsets_; }

  // P(1) in 16 bits.
  int mix();
  void update(int bit);

  int inputs() const { return n_; }

 private:
  static int dot_logit(const int32_t* x, const int32_t* w, int n);
  static void train(const int32_t* x, int32_t* w, int n, int err);

  int n_;
  int nsets_;
  int nx_ = 0;
  int rate_, final_rate_;
  alignas(64) int32_t x_[kMaxInputs] = {};
  std::vector<int32_t> w_;
  std::vector<int> offset_;
  int row_[kMaxSets] = {};
  int p_set_[kMaxSets] = {};
  alignas(64) int32_t x_final_[kMaxSets] = {};
  std::vector<int32_t> w_final_;
  int final_row_ = 0;
  int p_final_ = 32768;
};

}  // namespace nzip::cm
