#include "train/cross_entropy.h"

#include <algorithm>
#include <cmath>

namespace nzip::train {

double cross_entropy_bits(const float* logits, const uint8_t* targets, size_t n, float weight, float* dlogits) {
  double bits = 0;
  for (size_t t = 0; t < n; ++t) {
    const float* z = logits + t * 256;
    const float m = *std::max_element(z, z + 256);
    double sum = 0;
    for (size_t i = 0; i < 256; ++i) sum += std::exp(double{z[i]} - m);
    const double log_sum = std::log(sum);
    bits += (log_sum - (double{z[targets[t]]} - m)) / std::log(2.0);
    if (dlogits) {
      float* dz = dlogits + t * 256;
      for (size_t i = 0; i < 256; ++i) dz[i] = weight * static_cast<float>(std::exp(double{z[i]} - m - log_sum));
      dz[targets[t]] -= weight;
    }
  }
  return bits;
}

}  // namespace nzip::train
