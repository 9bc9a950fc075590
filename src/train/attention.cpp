#include "train/attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "train/linear.h"

namespace nzip::train {

void attention_forward(const AttentionShape& s, const float* q, const float* k, const float* v, float* o,
                       float* probs) {
  const size_t d = s.heads * s.hd;
  const float scale = 1.0f / std::sqrt(static_cast<float>(s.hd));
  std::fill_n(probs, s.n * s.heads * s.window, 0.0f);
  for (size_t t = 0; t < s.n; ++t) {
    const size_t count = std::min(t + 1, s.window), first = t + 1 - count;
    for (size_t h = 0; h < s.heads; ++h) {
      const float* qh = q + t * d + h * s.hd;
      float* p = probs + (t * s.heads + h) * s.window;
      float m = -INFINITY;
      for (size_t j = 0; j < count; ++j) {
        p[j] = dot(qh, k + (first + j) * s.hd, s.hd) * scale;
        m = std::max(m, p[j]);
      }
      float sum = 0;
      for (size_t j = 0; j < count; ++j) {
        p[j] = std::exp(p[j] - m);
        sum += p[j];
      }
      float* oh = o + t * d + h * s.hd;
      std::fill_n(oh, s.hd, 0.0f);
      for (size_t j = 0; j < count; ++j) {
        p[j] /= sum;
        const float* vj = v + (first + j) * s.hd;
        for (size_t i = 0; i < s.hd; ++i) oh[i] += p[j] * vj[i];
      }
    }
  }
}

void attention_backward(const AttentionShape& s, const float* q, const float* k, const float* v, const float* probs,
                        const float* do_, float* dq, float* dk, float* dv) {
  const size_t d = s.heads * s.hd;
  const float scale = 1.0f / std::sqrt(static_cast<float>(s.hd));
  std::vector<float> dp(s.window);
  for (size_t t = 0; t < s.n; ++t) {
    const size_t count = std::min(t + 1, s.window), first = t + 1 - count;
    for (size_t h = 0; h < s.heads; ++h) {
      const float* qh = q + t * d + h * s.hd;
      const float* doh = do_ + t * d + h * s.hd;
      const float* p = probs + (t * s.heads + h) * s.window;
      float pdp = 0;
      for (size_t j = 0; j < count; ++j) {
        const float* vj = v + (first + j) * s.hd;
        dp[j] = dot(doh, vj, s.hd);
        pdp += p[j] * dp[j];
        float* dvj = dv + (first + j) * s.hd;
        for (size_t i = 0; i < s.hd; ++i) dvj[i] += p[j] * doh[i];
      }
      float* dqh = dq + t * d + h * s.hd;
      for (size_t j = 0; j < count; ++j) {
        // softmax backward, then the 1/√hd of the scores
        const float ds = p[j] * (dp[j] - pdp) * scale;
        const float* kj = k + (first + j) * s.hd;
        float* dkj = dk + (first + j) * s.hd;
        for (size_t i = 0; i < s.hd; ++i) {
          dqh[i] += ds * kj[i];
          dkj[i] += ds * qh[i];
        }
      }
    }
  }
}

}  // namespace nzip::train
