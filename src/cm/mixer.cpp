#include "cm/mixer.h"

#include <cstdint>

#include "nzip/error.h"

namespace nzip::cm {

namespace {
constexpr int kWeightOne = 1 << 14;
constexpr int kTrainShift = 16;

int16_t* align16(std::vector<int16_t>& v) {
  auto p = reinterpret_cast<uintptr_t>(v.data());
  return reinterpret_cast<int16_t*>((p + 15) & ~uintptr_t{15});
}

int clamp_err(int e) { return e > 32767 ? 32767 : (e < -32767 ? -32767 : e); }
}  // namespace

Mixer::Mixer(int n_inputs, const std::vector<int>& set_sizes, int final_contexts, int rate, int final_rate)
    : n_(n_inputs),
      stride_((n_inputs + 7) & ~7),
      nsets_(static_cast<int>(set_sizes.size())),
      rate_(rate),
      final_rate_(final_rate) {
  if (n_ < 1 || stride_ > kMaxInputs || nsets_ < 1 || nsets_ > kMaxSets)
    throw Error(ErrorCode::internal, "mixer shape out of range");
  int total = 0;
  for (int s : set_sizes) {
    offset_.push_back(total * stride_);
    total += s;
  }
  w_storage_.assign(static_cast<size_t>(total) * stride_ + 8, 0);
  w_ = align16(w_storage_);
  for (int r = 0; r < total; ++r)
    for (int i = 0; i < n_; ++i) w_[r * stride_ + i] = static_cast<int16_t>(kWeightOne / 8);
  w_final_storage_.assign(static_cast<size_t>(final_contexts) * kFinalStride + 8, 0);
  w_final_ = align16(w_final_storage_);
  for (int r = 0; r < final_contexts; ++r)
    for (int i = 0; i < nsets_; ++i) w_final_[r * kFinalStride + i] = static_cast<int16_t>(kWeightOne / nsets_);
}

int Mixer::to_logit(int32_t dot14) {
  int logit = dot14 >> 14;
  if (logit > 2047) logit = 2047;
  if (logit < -2047) logit = -2047;
  return logit;
}

int Mixer::mix() {
  for (int s = 0; s < nsets_; ++s) {
    const int logit = to_logit(dot(x_, w_ + row_[s], stride_));
    x_final_[s] = static_cast<int16_t>(logit);
    p_set_[s] = squash(logit);
  }
  if (nsets_ == 1) {
    p_final_ = p_set_[0];
  } else {
    p_final_ = squash(to_logit(dot(x_final_, w_final_ + final_row_, kFinalStride)));
  }
  return p_final_;
}

void Mixer::update(int bit) {
  for (int s = 0; s < nsets_; ++s) {
    const int err = clamp_err(((bit << 12) - (p_set_[s] >> 4)) * rate_);
    train(x_, w_ + row_[s], stride_, err, kTrainShift);
  }
  if (nsets_ > 1) {
    const int err = clamp_err(((bit << 12) - (p_final_ >> 4)) * final_rate_);
    train(x_final_, w_final_ + final_row_, kFinalStride, err, kTrainShift);
  }
}

}  // namespace nzip::cm
