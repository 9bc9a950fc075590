#include "train/fake_quant.h"

#include <algorithm>
#include <cmath>

namespace nzip::train {

void fake_quant_forward(float* x, size_t n, QuantGrid grid, uint8_t* mask) {
  const float inv = 1.0f / grid.scale;
  for (size_t i = 0; i < n; ++i) {
    const float q = std::nearbyint(x[i] * inv);  // default rounding mode: half to even
    mask[i] = q >= grid.qmin && q <= grid.qmax;
    x[i] = std::clamp(q, grid.qmin, grid.qmax) * grid.scale;
  }
}

void fake_quant_backward(float* dx, size_t n, const uint8_t* mask) {
  for (size_t i = 0; i < n; ++i)
    if (!mask[i]) dx[i] = 0;
}

float weight_scale(const float* w, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(w[i]));
  return std::max(m, 1e-8f) / 127.0f;
}

}  // namespace nzip::train
