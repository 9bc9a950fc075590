// train/fake_quant.h — fake quantisation for quantisation-aware training: a value is
// replaced by the real number its integer code stands for, q·scale with
// q = clamp(round_half_even(x/scale), qmin, qmax), as the integer engine would compute it.
// Backward is the straight-through estimator: the gradient passes unchanged where x was
// inside the representable range and is zero where the clamp cut it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nzip::train {

struct QuantGrid {
  float scale = 1;
  float qmin = -128, qmax = 127;
};

inline constexpr QuantGrid int8_grid(float scale) { return {scale, -128, 127}; }
inline constexpr QuantGrid int16_grid(float scale) { return {scale, -32768, 32767}; }

// x (n) in place; mask (n) records which entries were inside the range (for backward).
void fake_quant_forward(float* x, size_t n, QuantGrid grid, uint8_t* mask);

// dx (n) in place: zeroed where mask is 0.
void fake_quant_backward(float* dx, size_t n, const uint8_t* mask);

// Per-tensor symmetric int8 scale of a weight tensor: max|w| / 127 (a tiny floor keeps an
// all-zero tensor valid).
float weight_scale(const float* w, size_t n);

}  // namespace nzip::train
