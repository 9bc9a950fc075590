// train/rmsnorm.h — float RMSNorm, the twin of nn::rmsnorm (whose eps is 2^-16 of an
// integer unit: negligible, so the float version uses a small fixed kRmsEps).
//   y[t,i] = x[t,i] · r[t] · gain[i],   r[t] = 1 / sqrt(mean_i x[t,i]² + eps)
// Shapes: x, y (n, d); gain (d); rstd (n) saved by forward for backward.
#pragma once

#include <cstddef>

namespace nzip::train {

inline constexpr float kRmsEps = 1e-6f;

void rmsnorm_forward(const float* x, size_t n, size_t d, const float* gain, float* y, float* rstd);

// dx (n, d) += ∂L/∂x, dgain (d) += ∂L/∂gain, from dy (n, d).
void rmsnorm_backward(const float* dy, const float* x, size_t n, size_t d, const float* gain, const float* rstd,
                      float* dx, float* dgain);

}  // namespace nzip::train
