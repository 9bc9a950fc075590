#include "train/rmsnorm.h"

#include <cmath>

namespace nzip::train {

void rmsnorm_forward(const float* x, size_t n, size_t d, const float* gain, float* y, float* rstd) {
  for (size_t t = 0; t < n; ++t) {
    const float* xt = x + t * d;
    double ss = 0;
    for (size_t i = 0; i < d; ++i) ss += double{xt[i]} * xt[i];
    const auto r = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(d) + kRmsEps));
    rstd[t] = r;
    for (size_t i = 0; i < d; ++i) y[t * d + i] = xt[i] * r * gain[i];
  }
}

void rmsnorm_backward(const float* dy, const float* x, size_t n, size_t d, const float* gain, const float* rstd,
                      float* dx, float* dgain) {
  for (size_t t = 0; t < n; ++t) {
    const float* xt = x + t * d;
    const float* dyt = dy + t * d;
    const float r = rstd[t];
    // ∂y_i/∂x_j = r·g_i·δ_ij − g_i·x_i·x_j·r³/d
    double dot = 0;
    for (size_t i = 0; i < d; ++i) dot += double{dyt[i]} * gain[i] * xt[i];
    const auto c = static_cast<float>(dot * r * r * r / static_cast<double>(d));
    for (size_t i = 0; i < d; ++i) {
      dx[t * d + i] += r * gain[i] * dyt[i] - xt[i] * c;
      dgain[i] += dyt[i] * xt[i] * r;
    }
  }
}

}  // namespace nzip::train
