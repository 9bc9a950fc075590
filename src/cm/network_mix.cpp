#include "cm/network_mix.h"

#include <cstdlib>

#include "cm/logistic.h"

namespace nzip::cm {

namespace {

// Learning rate: Δw = x · err · kRate / 2^16 with err = bit·2^16 − p (16 bits). Tuned on 64 KB
// of alice29.txt at level 2 against simulated networks (uniform, and noisy oracles putting
// 25-80% of the mass on the right byte two times in three): 2 costs a useless network 0.4%
// over context mixing alone and is within 0.5% of the best rate for the useful ones.
constexpr int64_t kRate = 2;
// Below this |logit| (units of 1/256 nat) the network is "unsure" and the gated input is 0.
constexpr int kConfident = 384;

int confidence_bucket(int st) {
  const int a = std::abs(st);
  return a < 256 ? 0 : a < 768 ? 1 : a < 1536 ? 2 : 3;
}

}  // namespace

NetworkMixPredictor::NetworkMixPredictor(int level, const uint8_t* buf, uint64_t length, uint8_t* sink)
    : NetworkMixPredictor(level_config(level), buf, length, sink) {}

NetworkMixPredictor::NetworkMixPredictor(const LevelConfig& config, const uint8_t* buf, uint64_t length,
                                         uint8_t* sink)
    : config_(config), cm_(config_, buf, length, sink), apm_(32 * 256, 7) {
  // Start by trusting context mixing fully and the network a little; the mixer learns how
  // much the network is worth on this chunk.
  for (auto& row : w_) {
    row[0] = 0;
    row[1] = 65536;
    row[2] = 16384;
    row[3] = 0;
  }
}

NetworkMixPredictor::NetBit NetworkMixPredictor::net_bit(int c0) const {
  NetBit b;
  b.st = stretch(net_.p1(c0));
  b.apm_cx = static_cast<size_t>(((b.st + 2048) >> 7) * 256 + c0);  // (st + 2048) >> 7 ∈ [0, 31]
  apm_.prefetch(b.apm_cx);
  return b;
}

int NetworkMixPredictor::p() {
  if (bit_pos_ < 7) {
    children_[0] = net_bit(c0_ * 2);
    children_[1] = net_bit(c0_ * 2 + 1);
  }
  const int p_cm = cm_.p();
  const int st_net = next_.st;
  x_[0] = 256;
  x_[1] = stretch(p_cm);
  x_[2] = st_net;
  x_[3] = std::abs(st_net) >= kConfident ? st_net : 0;
  row_ = bit_pos_ * 4 + confidence_bucket(st_net);
  int64_t dot = 0;
  for (int i = 0; i < kInputs; ++i) dot += int64_t{w_[row_][i]} * x_[i];
  p_mix_ = squash(static_cast<int>(dot >> 16));  // squash clamps the logit
  const int a = apm_.refine(p_mix_, next_.apm_cx);
  int p = (p_mix_ + a + 1) >> 1;
  if (p < 1) p = 1;
  if (p > 65535) p = 65535;
  return p;
}

void NetworkMixPredictor::update(int bit) {
  const int64_t err = (int64_t{bit} << 16) - p_mix_;
  for (int i = 0; i < kInputs; ++i) {
    const int64_t w = w_[row_][i] + ((x_[i] * err * kRate) >> 16);
    // Weights stay within ±32 (2^21 in 16.16), far from int32 overflow in the dot product.
    w_[row_][i] = static_cast<int32_t>(w < -(int64_t{1} << 21) ? -(int64_t{1} << 21)
                                                                : (w > (int64_t{1} << 21) ? (int64_t{1} << 21) : w));
  }
  apm_.update(bit);
  if (bit_pos_ == 7) {
    c0_ = 1;
    bit_pos_ = 0;
  } else {
    c0_ = (c0_ << 1) | bit;
    ++bit_pos_;
    next_ = children_[bit];
  }
  cm_.update(bit);
}

}  // namespace nzip::cm
