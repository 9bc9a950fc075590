// train/rope.h — float rotary position embedding with exactly the integer engine's angles:
// the model's rope.inv_freq (Q32 turns per position) and nn::rope_apply's rounding of
// pos·inv_freq to one of 4096 steps per turn, with sin/cos taken from the same Q15 table.
// Only the final rounding of the rotated values differs (the integer engine rounds to int16).
//   x_j' = x_j·cos − x_{j+h}·sin,  x_{j+h}' = x_j·sin + x_{j+h}·cos,  h = hd/2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nzip::train {

class RopeTable {
 public:
  // Angles for positions 0 … positions−1 of head vectors of dimension hd (inv_freq has hd/2).
  RopeTable(const std::vector<uint32_t>& inv_freq_q32, size_t hd, size_t positions);

  size_t hd() const { return hd_; }
  size_t positions() const { return positions_; }

  // x (rows, hd), row r at position pos[r] (< positions()), rotated in place.
  void forward(float* x, size_t rows, const uint32_t* pos) const;
  // dx (rows, hd) in place: the transpose rotation (∂L/∂x from ∂L/∂x').
  void backward(float* dx, size_t rows, const uint32_t* pos) const;

 private:
  size_t hd_, positions_;
  std::vector<float> cos_, sin_;  // (positions, hd/2)
};

}  // namespace nzip::train
