#include "train/rope.h"

#include "nn/rope.h"
#include "nzip/error.h"

namespace nzip::train {

RopeTable::RopeTable(const std::vector<uint32_t>& inv_freq_q32, size_t hd, size_t positions)
    : hd_(hd), positions_(positions) {
  if (hd == 0 || hd % 2 != 0 || inv_freq_q32.size() != hd / 2)
    throw Error(ErrorCode::invalid_argument, "rope: head dimension must be even with hd/2 frequencies");
  const size_t h = hd / 2;
  cos_.resize(positions * h);
  sin_.resize(positions * h);
  for (size_t p = 0; p < positions; ++p)
    for (size_t j = 0; j < h; ++j) {
      // The same angle step as nn::rope_apply.
      const auto a = static_cast<uint32_t>(uint64_t{p} * inv_freq_q32[j]);
      const uint32_t i = ((a + (uint32_t{1} << 19)) >> 20) & 4095;
      sin_[p * h + j] = static_cast<float>(nn::sin4096_q15(i)) / 32768.0f;
      cos_[p * h + j] = static_cast<float>(nn::sin4096_q15(i + 1024)) / 32768.0f;
    }
}

void RopeTable::forward(float* x, size_t rows, const uint32_t* pos) const {
  const size_t h = hd_ / 2;
  for (size_t r = 0; r < rows; ++r) {
    float* xr = x + r * hd_;
    const float* c = cos_.data() + pos[r] * h;
    const float* s = sin_.data() + pos[r] * h;
    for (size_t j = 0; j < h; ++j) {
      const float x0 = xr[j], x1 = xr[j + h];
      xr[j] = x0 * c[j] - x1 * s[j];
      xr[j + h] = x0 * s[j] + x1 * c[j];
    }
  }
}

void RopeTable::backward(float* dx, size_t rows, const uint32_t* pos) const {
  const size_t h = hd_ / 2;
  for (size_t r = 0; r < rows; ++r) {
    float* g = dx + r * hd_;
    const float* c = cos_.data() + pos[r] * h;
    const float* s = sin_.data() + pos[r] * h;
    for (size_t j = 0; j < h; ++j) {
      const float g0 = g[j], g1 = g[j + h];
      g[j] = g0 * c[j] + g1 * s[j];
      g[j + h] = -g0 * s[j] + g1 * c[j];
    }
  }
}

}  // namespace nzip::train
