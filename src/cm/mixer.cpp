#include "cm/mixer.h"

#include "nzip/error.h"

namespace nzip::cm {

namespace {
constexpr int32_t kWeightLimit = 1 << 24;
}

Mixer::Mixer(int n_inputs, const std::vector<int>& set_sizes, int final_contexts, int rate, int final_rate)
    : n_(n_inputs), nsets_(static_cast<int>(set_sizes.size())), rate_(rate), final_rate_(final_rate) {
  if (n_ < 1 || n_ > kMaxInputs || nsets_ < 1 || nsets_ > kMaxSets)
    throw Error(ErrorCode::internal, "mixer shape out of range");
  int total = 0;
  for (int s : set_sizes) {
    offset_.push_back(total * n_);
    total += s;
  }
  w_.assign(static_cast<size_t>(total) * n_, (1 << 16) / 4);
  w_final_.assign(static_cast<size_t>(final_contexts) * nsets_, (1 << 16) / nsets_);
}

int Mixer::dot_logit(const int32_t* x, const int32_t* w, int n) {
  int64_t sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<int64_t>(x[i]) * w[i];
  int64_t logit = sum >> 16;
  if (logit > 2047) logit = 2047;
  if (logit < -2047) logit = -2047;
  return static_cast<int>(logit);
}

void Mixer::train(const int32_t* x, int32_t* w, int n, int err) {
  for (int i = 0; i < n; ++i) {
    int32_t v = w[i] + ((x[i] * err + 512) >> 10);
    if (v > kWeightLimit) v = kWeightLimit;
    if (v < -kWeightLimit) v = -kWeightLimit;
    w[i] = v;
  }
}

int Mixer::mix() {
  for (int s = 0; s < nsets_; ++s) {
    const int logit = dot_logit(x_, &w_[row_[s]], n_);
    x_final_[s] = logit;
    p_set_[s] = squash(logit);
  }
  if (nsets_ == 1) {
    p_final_ = p_set_[0];
  } else {
    p_final_ = squash(dot_logit(x_final_, &w_final_[final_row_], nsets_));
  }
  return p_final_;
}

void Mixer::update(int bit) {
  for (int s = 0; s < nsets_; ++s) {
    const int err = ((bit << 12) - (p_set_[s] >> 4)) * rate_;
    train(x_, &w_[row_[s]], n_, err);
  }
  if (nsets_ > 1) {
    const int err = ((bit << 12) - (p_final_ >> 4)) * final_rate_;
    train(x_final_, &w_final_[final_row_], nsets_, err);
  }
  nx_ = 0;
}

}  // namespace nzip::cm
