// ephemeris_support.h — a synthetic ephemeris for tests and golden files: records of
// little-endian float64 Chebyshev coefficients whose polynomials join with continuous value and
// derivative exactly, built from integers so that every platform makes the same bits.
//
// Each record has 30 elements: series A at element 0 (2 intervals × 3 components × 4
// coefficients), one zero, series B at element 25 (1 interval × 1 component × 5
// coefficients). The components have different scales, as x, y, z of a real orbit do.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "codec/chebyshev_residuals.h"

namespace nzip_test {

constexpr uint32_t kEphemerisRecordElements = 30;

inline std::vector<nzip::codec::ChebyshevSeries> ephemeris_series() { return {{0, 4, 2, 3}, {25, 5, 1, 1}}; }

inline std::vector<uint8_t> synthetic_ephemeris(uint32_t records) {
  // Every polynomial is the cubic (plus a drawn T₄ term when it has five coefficients) that
  // starts where the previous one ended, with its value and derivative, and ends at a drawn
  // value and derivative: solved in integers (units of 2^-20, multiples of 64 for the drawn
  // numbers, so every division is exact), its coefficients stay bounded and exact in float64.
  uint64_t lcg = 20261208;
  auto draw = [&lcg](int bits) {
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    const auto r = static_cast<int64_t>(lcg >> (64 - bits)) - (int64_t{1} << (bits - 1));
    return r * 64;
  };
  struct Series {
    uint32_t offset, n, intervals, components;
  };
  const Series layout[] = {{0, 4, 2, 3}, {25, 5, 1, 1}};
  struct End {
    int64_t value = 0, slope = 0;
  };
  std::array<std::array<End, 3>, 2> last{};
  std::vector<int64_t> units(size_t{records} * kEphemerisRecordElements, 0);
  for (uint32_t k = 0; k < records; ++k)
    for (int s = 0; s < 2; ++s) {
      const Series& l = layout[s];
      for (uint32_t j = 0; j < l.intervals; ++j)
        for (uint32_t c = 0; c < l.components; ++c) {
          const int bits = 34 - 5 * static_cast<int>(c) + 3 * s;
          End& end = last[s][c];
          if (k == 0 && j == 0) end = {draw(bits), draw(bits - 4)};
          const End next = {draw(bits), draw(bits - 4)};
          std::array<int64_t, 5> p{};
          if (l.n == 5) p[4] = draw(bits - 12) / 4;
          // T₄ is 1 at both ends, its slope 16 at +1 and −16 at −1: take it out, then solve the cubic.
          const int64_t x0 = end.value - p[4], x1 = next.value - p[4];
          const int64_t v0 = end.slope + 16 * p[4], v1 = next.slope - 16 * p[4];
          p[2] = (v1 - v0) / 8;
          p[3] = ((v1 + v0) / 2 - (x1 - x0) / 2) / 8;
          p[1] = (x1 - x0) / 2 - p[3];
          p[0] = (x1 + x0) / 2 - p[2];
          end = next;
          for (uint32_t i = 0; i < l.n; ++i)
            units[size_t{k} * kEphemerisRecordElements + l.offset + (j * l.components + c) * l.n + i] = p[i];
        }
    }
  std::vector<uint8_t> out;
  for (const int64_t u : units) {
    const double v = static_cast<double>(u) / 1048576.0;
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    for (int b = 0; b < 8; ++b) out.push_back(static_cast<uint8_t>(bits >> (8 * b)));
  }
  return out;
}

}  // namespace nzip_test
