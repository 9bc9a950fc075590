#include "train/linear.h"

#include <algorithm>
#include <vector>

// The hot loops of training are element-wise axpy loops (no reductions), which vectorise
// without reassociation. On x86-64 they are also compiled for AVX2 and picked at run time;
// with FP contraction off every version computes the same numbers, so results do not depend
// on the machine's ISA.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define NZIP_TRAIN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NZIP_TRAIN_CLONES
#endif

namespace nzip::train {
namespace {

// y += g0·a0 + g1·a1 + g2·a2 + g3·a3 (one load and store of y per four updates).
NZIP_TRAIN_CLONES void axpy4(float* __restrict y, float g0, const float* __restrict a0, float g1,
                             const float* __restrict a1, float g2, const float* __restrict a2, float g3,
                             const float* __restrict a3, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += ((g0 * a0[i] + g1 * a1[i]) + (g2 * a2[i] + g3 * a3[i]));
}

NZIP_TRAIN_CLONES void axpy(float* __restrict y, float g, const float* __restrict a, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += g * a[i];
}

}  // namespace

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
  // y[t] = Σ_i x[t,i]·Wᵀ[i]: axpy loops over a transposed copy of W (its cost is 1/n of the
  // product), four inputs at a time.
  thread_local std::vector<float> wt;
  wt.resize(in * out);
  for (size_t o = 0; o < out; ++o)
    for (size_t i = 0; i < in; ++i) wt[i * out + o] = W[o * in + i];
  const size_t in4 = in - in % 4;
  for (size_t t = 0; t < n; ++t) {
    const float* xt = x + t * in;
    float* yt = y + t * out;
    std::fill_n(yt, out, 0.0f);
    for (size_t i = 0; i < in4; i += 4)
      axpy4(yt, xt[i], &wt[i * out], xt[i + 1], &wt[(i + 1) * out], xt[i + 2], &wt[(i + 2) * out], xt[i + 3],
            &wt[(i + 3) * out], out);
    for (size_t i = in4; i < in; ++i) axpy(yt, xt[i], &wt[i * out], out);
  }
}

void linear_backward(const float* dy, const float* x, size_t n, size_t in, const float* W, size_t out, float* dx,
                     float* dW) {
  // dx[t] += Σ_o dy[t,o]·W[o], four rows of W at a time.
  const size_t out4 = out - out % 4, n4 = n - n % 4;
  if (dx)
    for (size_t t = 0; t < n; ++t) {
      const float* g = dy + t * out;
      float* d = dx + t * in;
      for (size_t o = 0; o < out4; o += 4)
        axpy4(d, g[o], W + o * in, g[o + 1], W + (o + 1) * in, g[o + 2], W + (o + 2) * in, g[o + 3],
              W + (o + 3) * in, in);
      for (size_t o = out4; o < out; ++o) axpy(d, g[o], W + o * in, in);
    }
  // dW[o] += Σ_t dy[t,o]·x[t], four positions at a time.
  for (size_t o = 0; o < out; ++o) {
    float* dw = dW + o * in;
    for (size_t t = 0; t < n4; t += 4)
      axpy4(dw, dy[t * out + o], x + t * in, dy[(t + 1) * out + o], x + (t + 1) * in, dy[(t + 2) * out + o],
            x + (t + 2) * in, dy[(t + 3) * out + o], x + (t + 3) * in, in);
    for (size_t t = n4; t < n; ++t) axpy(dw, dy[t * out + o], x + t * in, in);
  }
}

}  // namespace nzip::train
