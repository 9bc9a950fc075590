// train/rng.h — the trainer's deterministic random numbers: splitmix64 with our own
// uniform and normal draws, so that a seed gives the same initial weights and batches with
// any standard library (std::normal_distribution is implementation-defined).
#pragma once

#include <cmath>
#include <cstdint>

namespace nzip::train {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  // The whole state (for checkpoints): Rng r(s.state()) continues s's sequence.
  uint64_t state() const { return state_; }

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n ≥ 1); the modulo bias is below 2^-40 for the sizes used here.
  uint64_t below(uint64_t n) { return next() % n; }
  // Uniform in (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  // Standard normal (Box–Muller, one value per call).
  double normal() {
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_;
};

}  // namespace nzip::train
