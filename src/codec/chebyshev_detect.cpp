#include "codec/chebyshev_detect.h"

#include <algorithm>
#include <optional>

namespace nzip::codec {

namespace {

constexpr uint32_t kMaxDetectedCoefficients = 32;
constexpr uint32_t kMaxDetectedComponents = 3;
constexpr uint32_t kMaxDetectedSubintervals = 255;  // the header's u8
constexpr size_t kCheckedRecords = 8;
// A zigzag residual below 2^24 is a distance below 2^23 steps: DE200 and DE405 stay under
// 2^15, and a chance match of two float64 to that distance is about 2^-29 per value.
constexpr uint64_t kMaxJoinResidual = uint64_t{1} << 24;
constexpr uint32_t kMaxStartSearch = 1024;

// A normal float64: zeros (padding), subnormals, infinities and NaN do not start a join.
bool normal(uint64_t bits) {
  const uint64_t field = bits >> 52 & 0x7FF;
  return field != 0 && field != 0x7FF;
}

bool join_fits(std::span<const uint64_t> v, size_t prev, size_t cur, uint32_t n) {
  if (!normal(v[prev]) || !normal(v[cur]) || !normal(v[cur + 1])) return false;
  const uint64_t* p = v.data() + prev;
  const uint64_t* c = v.data() + cur;
  if (float_residual(c[0], predict_value_coefficient(p, c, n)) >= kMaxJoinResidual) return false;
  return float_residual(c[1], predict_slope_coefficient(p, c, n)) < kMaxJoinResidual;
}

// Whether the series `s`, starting at element `start` of `v`, holds at 7 of 8 joins or more
// over the first kCheckedRecords records, with at least two joins (chebyshev_links' joins).
bool series_fits(std::span<const uint64_t> v, uint32_t period, size_t start, const ChebyshevSeries& s) {
  const size_t n = s.coefficients, width = n * s.components;
  size_t fit = 0, total = 0;
  for (size_t k = 0; k < kCheckedRecords; ++k) {
    const size_t base = start + k * period;
    if (base + s.span() > v.size()) break;
    for (size_t interval = 0; interval < s.subintervals; ++interval)
      for (size_t c = 0; c < s.components; ++c) {
        const size_t cur = base + interval * width + c * n;
        size_t prev = 0;
        if (interval > 0) prev = cur - width;
        else if (k > 0) prev = base - period + (s.subintervals - 1) * width + c * n;
        else continue;
        ++total;
        fit += join_fits(v, prev, cur, s.coefficients) ? 1 : 0;
      }
  }
  return total >= 2 && fit * 8 >= total * 7;
}

// The series starting at element `start` that covers the most of the `room` elements left
// in the record; ties go to more components, then fewer coefficients.
std::optional<ChebyshevSeries> best_series_at(std::span<const uint64_t> v, uint32_t period, size_t start, size_t room) {
  std::optional<ChebyshevSeries> best;
  for (uint32_t components = kMaxDetectedComponents; components >= 1; --components)
    for (uint32_t n = kMinChebyshevCoefficients; n <= kMaxDetectedCoefficients; ++n) {
      const size_t width = size_t{n} * components;
      if (width > room || start + period + width > v.size()) continue;
      const size_t most = std::min<size_t>(room / width, kMaxDetectedSubintervals);
      // Cheap first tests: does the first polynomial join the next interval's, or the next
      // record's first (one interval per record)?
      const bool within = most >= 2 && join_fits(v, start, start + width, n);
      const bool across = join_fits(v, start, start + period, n);
      for (size_t intervals = within ? most : 1; intervals >= 1; --intervals) {
        if (intervals == 1 && !across) break;
        const ChebyshevSeries s{0, static_cast<uint8_t>(n), static_cast<uint8_t>(intervals),
                                static_cast<uint8_t>(components)};
        if (best && s.span() <= best->span()) break;
        // The last interval must join the next record's first: the cheap test of this count.
        if (!join_fits(v, start + (intervals - 1) * width, start + period, n)) continue;
        if (series_fits(v, period, start, s)) {
          best = s;
          break;
        }
      }
    }
  return best;
}

}  // namespace

std::vector<ChebyshevSeries> detect_chebyshev_series(std::span<const uint64_t> values, uint32_t period) {
  if (period < kMinChebyshevCoefficients || values.size() / period < 2) return {};
  std::vector<ChebyshevSeries> found;
  size_t position = 0;
  std::optional<ChebyshevSeries> next;
  for (; position < std::min(period, kMaxStartSearch) && !next; ++position) next = best_series_at(values, period, position, period);
  if (!next) return {};
  --position;
  // From the first series on, once round the record: each position either starts the
  // longest series found there or is left as it is.
  for (size_t covered = 0; covered < period;) {
    if (!next) next = best_series_at(values, period, position, period - covered);
    const size_t step = next ? next->span() : 1;
    if (next) {
      next->offset = static_cast<uint32_t>(position % period);
      found.push_back(*next);
    }
    position += step;
    covered += step;
    next.reset();
  }
  return rebase_chebyshev_series(found, period, 0);
}

std::vector<ChebyshevSeries> rebase_chebyshev_series(std::span<const ChebyshevSeries> series, uint32_t period,
                                                     uint64_t shift) {
  std::vector<ChebyshevSeries> out(series.begin(), series.end());
  const uint64_t back = period - shift % period;
  for (ChebyshevSeries& s : out) s.offset = static_cast<uint32_t>((s.offset + back) % period);
  std::sort(out.begin(), out.end(), [](const ChebyshevSeries& a, const ChebyshevSeries& b) { return a.offset < b.offset; });
  return out;
}

}  // namespace nzip::codec
