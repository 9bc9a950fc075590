#include "train/embedding.h"

namespace nzip::train {

void embedding_forward(const uint8_t* tokens, const uint32_t* pos, size_t n, size_t d, const float* E,
                       const float* P, uint32_t period, float* x) {
  for (size_t t = 0; t < n; ++t) {
    const float* e = E + size_t{tokens[t]} * d;
    const float* p = period ? P + (pos[t] % period) * d : nullptr;
    for (size_t i = 0; i < d; ++i) x[t * d + i] = e[i] + (p ? p[i] : 0.0f);
  }
}

void embedding_backward(const uint8_t* tokens, const uint32_t* pos, size_t n, size_t d, const float* dx,
                        float* dE, float* dP, uint32_t period) {
  for (size_t t = 0; t < n; ++t) {
    float* e = dE + size_t{tokens[t]} * d;
    for (size_t i = 0; i < d; ++i) e[i] += dx[t * d + i];
    if (period) {
      float* p = dP + (pos[t] % period) * d;
      for (size_t i = 0; i < d; ++i) p[i] += dx[t * d + i];
    }
  }
}

}  // namespace nzip::train
