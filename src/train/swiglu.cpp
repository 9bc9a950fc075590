#include "train/swiglu.h"

#include <cmath>

namespace nzip::train {
namespace {
float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
}  // namespace

void silu_forward(const float* g, size_t n, float* a) {
  for (size_t i = 0; i < n; ++i) a[i] = g[i] * sigmoid(g[i]);
}

void silu_backward(const float* g, const float* da, size_t n, float* dg) {
  for (size_t i = 0; i < n; ++i) {
    const float s = sigmoid(g[i]);
    dg[i] += da[i] * s * (1.0f + g[i] * (1.0f - s));
  }
}

void gate_forward(const float* a, const float* u, size_t n, float* h) {
  for (size_t i = 0; i < n; ++i) h[i] = a[i] * u[i];
}

void gate_backward(const float* a, const float* u, const float* dh, size_t n, float* da, float* du) {
  for (size_t i = 0; i < n; ++i) {
    da[i] += dh[i] * u[i];
    du[i] += dh[i] * a[i];
  }
}

}  // namespace nzip::train
