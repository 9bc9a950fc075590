#include "nn/rope.h"

#include <algorithm>
#include <string>
#include <vector>

#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nzip/error.h"

namespace nzip::nn {

int32_t sin4096_q15(uint32_t i) {
  const uint32_t q = (i >> 10) & 3, k = i & 1023;
  switch (q) {
    case 0: return kSinQuarterQ15[k];
    case 1: return kSinQuarterQ15[1024 - k];
    case 2: return -kSinQuarterQ15[k];
    default: return -kSinQuarterQ15[1024 - k];
  }
}

void rope_apply(int16_t* x, size_t lanes, size_t d, const uint32_t* pos,
                const uint32_t* inv_freq_q32) {
  if (d == 0 || d % 2 != 0)
    throw Error(ErrorCode::invalid_argument, "rope: dimension " + std::to_string(d) + " is not a positive even number");
  const size_t h = d / 2;
  auto sat16 = [](int64_t v) { return static_cast<int16_t>(std::clamp<int64_t>(v, -32768, 32767)); };
  // The rotation of a position is found once for a run of rows at that position (the query
  // heads of one position are consecutive rows).
  std::vector<int32_t> cs(2 * h);  // cos, then sin, of each pair's angle
  for (size_t l = 0; l < lanes; ++l) {
    if (l == 0 || pos[l] != pos[l - 1])
      for (size_t j = 0; j < h; ++j) {
        const auto a = static_cast<uint32_t>(uint64_t{pos[l]} * inv_freq_q32[j]);
        const uint32_t i = ((a + (uint32_t{1} << 19)) >> 20) & 4095;  // a + 2^19 wraps: mod one turn
        cs[j] = sin4096_q15(i + 1024);
        cs[h + j] = sin4096_q15(i);
      }
    int16_t* xl = x + l * d;
    for (size_t j = 0; j < h; ++j) {
      const int64_t c = cs[j], s = cs[h + j];
      const int64_t x0 = xl[j], x1 = xl[j + h];
      xl[j] = sat16(round_shift_half_even(x0 * c - x1 * s, 15));
      xl[j + h] = sat16(round_shift_half_even(x0 * s + x1 * c, 15));
    }
  }
}

}  // namespace nzip::nn
