// cm/network_mix.h — context mixing with a network's next-byte distribution: the context-
// mixing Predictor's probability and the network's (binary decomposition, cm/byte_bits.h)
// meet in a small gated mixer, and an APM keyed on the network's probability refines the
// mix. Integer arithmetic only.
//
// It wraps cm::Predictor instead of adding inputs inside it, so the predictor's own mixer
// and levels can change independently; the wrapper sees the predictor only through p() and
// update(). Encoder and decoder drive it identically: set_distribution() before each
// byte's first bit, then p() and update(bit) for each of its 8 bits.
#pragma once

#include <cstdint>

#include "cm/apm.h"
#include "cm/byte_bits.h"
#include "cm/predictor.h"

namespace nzip::cm {

class NetworkMixPredictor {
 public:
  // As cm::Predictor (level, the chunk's bytes, their count, the decoder's sink).
  NetworkMixPredictor(int level, const uint8_t* buf, uint64_t length, uint8_t* sink = nullptr);
  // With the context-mixing model of `config` (a chunk plan's profile, cm/level_config.h).
  NetworkMixPredictor(const LevelConfig& config, const uint8_t* buf, uint64_t length, uint8_t* sink = nullptr);

  // The network's 256 frequencies (each ≥ 1) for the byte about to be coded.
  void set_distribution(const uint16_t* freq) {
    net_.set(freq);
    next_ = net_bit(1);
  }

  // P(next bit = 1), 16 bits, in [1, 65535].
  int p();
  void update(int bit);

 private:
  // The network's stretched P(1) at node c0 and the APM context it selects.
  struct NetBit {
    int st = 0;
    size_t apm_cx = 0;
  };
  // Computes c0's NetBit and starts loading its APM row. p() does this for both children of
  // the current node, so the next bit's row arrives while this bit is coded (as a miss it
  // cost 6% of decoding).
  NetBit net_bit(int c0) const;

  // Mixer inputs: bias, stretch(p_cm), stretch(p_net), stretch(p_net) gated by confidence.
  static constexpr int kInputs = 4;
  // Weight rows: bit position (8) × network confidence (4).
  static constexpr int kRows = 8 * 4;

  LevelConfig config_;  // the predictor refers to it, so it lives here
  Predictor cm_;
  ByteBits net_;
  int c0_ = 1;
  int bit_pos_ = 0;
  int32_t w_[kRows][kInputs];  // 16.16 fixed point
  int32_t x_[kInputs] = {};
  int row_ = 0;
  NetBit next_;         // the bit about to be coded
  NetBit children_[2];  // the next bit's, after a 0 or a 1 (bit positions 0 … 6)
  int p_mix_ = 32768;
  Apm apm_;  // context: network logit bucket (32) × partial byte (256)
};

}  // namespace nzip::cm
