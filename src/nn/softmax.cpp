#include "nn/softmax.h"

#include <algorithm>
#include <string>
#include <vector>

#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nzip/error.h"

namespace nzip::nn {

uint64_t softmax_exp(const int32_t* z, size_t n, int32_t multiplier, int shift, uint32_t* e) {
  if (n == 0 || multiplier < 0 || multiplier > kSoftmaxMaxMultiplier || shift < 0 ||
      shift > kRequantizeMaxShift)
    throw Error(ErrorCode::invalid_argument,
                "softmax: n=" + std::to_string(n) + " multiplier=" + std::to_string(multiplier) +
                    " shift=" + std::to_string(shift) +
                    " out of range (n ≥ 1, 0 ≤ multiplier < 2^30, 0 ≤ shift ≤ 62)");
  const int64_t m = *std::max_element(z, z + n);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t x = std::min<int64_t>(round_shift_half_even((m - z[i]) * multiplier, shift), 8191);
    e[i] = static_cast<uint32_t>(kExp2Q30[x & 255] >> (x >> 8));
    sum += e[i];
  }
  return sum;
}

void softmax_weights_q15(const int32_t* z, size_t n, int32_t multiplier, int shift, uint16_t* w) {
  std::vector<uint32_t> e(n);
  const uint64_t total = softmax_exp(z, n, multiplier, shift, e.data());
  const uint64_t r = (uint64_t{1} << 61) / total;
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<uint16_t>((e[i] * r) >> 46);
}

void softmax_frequencies(const int32_t* z256, int32_t multiplier, int shift, uint16_t* freq) {
  uint32_t e[256];
  const uint64_t total = softmax_exp(z256, 256, multiplier, shift, e);
  constexpr uint64_t kSpread = kFrequencyTotal - 256;
  const uint64_t r = (kSpread << 32) / total;
  uint32_t sum = 0;
  size_t top = 0;
  for (size_t i = 0; i < 256; ++i) {
    freq[i] = static_cast<uint16_t>(1 + ((e[i] * r) >> 32));
    sum += freq[i];
    if (e[i] > e[top]) top = i;
  }
  freq[top] = static_cast<uint16_t>(freq[top] + (kFrequencyTotal - sum));
}

}  // namespace nzip::nn
