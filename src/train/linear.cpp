#include "train/linear.h"

namespace nzip::train {

float dot(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (size_t k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

void linear_forward(const float* x, size_t n, size_t in, const float* W, size_t out, float* y) {
  for (size_t t = 0; t < n; ++t)
    for (size_t o = 0; o < out; ++o) y[t * out + o] = dot(x + t * in, W + o * in, in);
}

void linear_backward(const float* dy, const float* x, size_t n, size_t in, const float* W, size_t out, float* dx,
                     float* dW) {
  for (size_t t = 0; t < n; ++t) {
    const float* dyt = dy + t * out;
    const float* xt = x + t * in;
    for (size_t o = 0; o < out; ++o) {
      const float g = dyt[o];
      if (g == 0.0f) continue;  // rows masked by the quantiser's clamp are common
      const float* w = W + o * in;
      float* dw = dW + o * in;
      // axpy loops: vectorisable without reassociation
      if (dx) {
        float* dxt = dx + t * in;
        for (size_t i = 0; i < in; ++i) dxt[i] += g * w[i];
      }
      for (size_t i = 0; i < in; ++i) dw[i] += g * xt[i];
    }
  }
}

}  // namespace nzip::train
