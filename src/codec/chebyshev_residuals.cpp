#include "codec/chebyshev_residuals.h"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>

#include "nzip/error.h"

namespace nzip::codec {

namespace {

__extension__ typedef __int128 Int128;  // GCC and Clang on every target nzip builds for
__extension__ typedef unsigned __int128 UInt128;

constexpr uint64_t kSignBit = uint64_t{1} << 63;
constexpr uint64_t kFractionMask = (uint64_t{1} << 52) - 1;
constexpr uint64_t kLargestFinite = 0x7FEFFFFFFFFFFFFFull;
// The accumulator's unit is 2^(E − kFixedPointBits) for the largest exponent bound E: a term
// (< 2^53 · 2^12 after its weight) then sits at most 2^47 above the unit, below 2^112, and 128
// of them stay below 2^119.
constexpr int kFixedPointBits = 100;
constexpr size_t kMaxTerms = 2 * kMaxChebyshevCoefficients;

// A finite non-zero float64 as ±mantissa · 2^exponent; zero, NaN and infinities give mantissa 0.
struct Unpacked {
  uint64_t mantissa = 0;
  int exponent = 0;
  bool negative = false;
};

Unpacked unpack(uint64_t bits) {
  const auto field = static_cast<int>(bits >> 52 & 0x7FF);
  const uint64_t fraction = bits & kFractionMask;
  if (field == 0x7FF) return {};
  if (field == 0) return {fraction, -1074, (bits & kSignBit) != 0};
  return {fraction | uint64_t{1} << 52, field - 1075, (bits & kSignBit) != 0};
}

int highest_bit(UInt128 v) {
  const auto high = static_cast<uint64_t>(v >> 64);
  if (high) return 127 - std::countl_zero(high);
  return 63 - std::countl_zero(static_cast<uint64_t>(v));
}

// The float64 of `sum` · 2^unit_exponent, truncated toward zero.
uint64_t to_float64(Int128 sum, int unit_exponent) {
  if (sum == 0) return 0;
  const uint64_t sign = sum < 0 ? kSignBit : 0;
  const UInt128 magnitude = sum < 0 ? -static_cast<UInt128>(sum) : static_cast<UInt128>(sum);
  const int top = highest_bit(magnitude);
  const long biased = static_cast<long>(unit_exponent) + top + 1023;
  if (biased >= 0x7FF) return sign | kLargestFinite;
  if (biased <= 0) return sign;
  const UInt128 mantissa = top >= 52 ? magnitude >> (top - 52) : magnitude << (52 - top);
  return sign | static_cast<uint64_t>(biased) << 52 | (static_cast<uint64_t>(mantissa) & kFractionMask);
}

// Order-preserving map of float64 bit patterns onto unsigned integers.
uint64_t order_key(uint64_t bits) { return (bits & kSignBit) ? ~bits : bits | kSignBit; }
uint64_t from_order_key(uint64_t key) { return (key & kSignBit) ? key & ~kSignBit : ~key; }

// The first or second kind of prediction, from the value (kind 0) or the derivative
// (kind 1) at the join: weights for prev[i] and, from index 1 + kind on, for cur[i].
uint64_t predict(const uint64_t* prev, const uint64_t* cur, size_t n, int kind) {
  if (n < kMinChebyshevCoefficients || n > kMaxChebyshevCoefficients)
    throw Error(ErrorCode::internal, "Chebyshev prediction: polynomial length out of range");
  std::array<WeightedTerm, kMaxTerms> terms;
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto scale = static_cast<int32_t>(kind == 0 ? 1 : i * i);
    if (scale) terms[count++] = {prev[i], scale};
  }
  for (size_t i = static_cast<size_t>(kind) + 1; i < n; ++i) {
    // Value: c₀ = Σprev − Σᵢ₌₁ (−1)ⁱcurᵢ. Derivative: c₁ = Σi²prev − Σᵢ₌₂ (−1)ⁱ⁺¹i²curᵢ.
    const auto scale = static_cast<int32_t>(kind == 0 ? 1 : i * i);
    const bool odd = (i & 1) != 0;
    terms[count++] = {cur[i], (odd == (kind == 0)) ? scale : -scale};
  }
  return fixed_point_sum(std::span<const WeightedTerm>(terms.data(), count));
}

}  // namespace

uint64_t fixed_point_sum(std::span<const WeightedTerm> terms) {
  if (terms.size() > kMaxTerms) throw Error(ErrorCode::internal, "fixed_point_sum: too many terms");
  int largest = INT_MIN;
  for (const WeightedTerm& t : terms) {
    const Unpacked u = unpack(t.bits);
    if (u.mantissa && t.weight) largest = std::max(largest, u.exponent + 53);
  }
  if (largest == INT_MIN) return 0;
  const int unit = largest - kFixedPointBits;
  Int128 sum = 0;
  for (const WeightedTerm& t : terms) {
    const Unpacked u = unpack(t.bits);
    if (!u.mantissa || !t.weight) continue;
    UInt128 magnitude = static_cast<UInt128>(u.mantissa) * static_cast<uint32_t>(t.weight < 0 ? -t.weight : t.weight);
    const int shift = u.exponent - unit;  // ≤ 47
    if (shift >= 0) magnitude <<= shift;
    else magnitude = -shift >= 128 ? 0 : magnitude >> -shift;
    const bool negative = u.negative != (t.weight < 0);
    sum += negative ? -static_cast<Int128>(magnitude) : static_cast<Int128>(magnitude);
  }
  return to_float64(sum, unit);
}

uint64_t predict_slope_coefficient(const uint64_t* prev, const uint64_t* cur, size_t n) {
  return predict(prev, cur, n, 1);
}

uint64_t predict_value_coefficient(const uint64_t* prev, const uint64_t* cur, size_t n) {
  return predict(prev, cur, n, 0);
}

uint64_t float_residual(uint64_t actual, uint64_t predicted) {
  const uint64_t d = order_key(actual) - order_key(predicted);
  return d << 1 ^ (0 - (d >> 63));  // zigzag: 0, −1, 1, −2 … → 0, 1, 2, 3 …
}

uint64_t restore_float(uint64_t residual, uint64_t predicted) {
  const uint64_t d = residual >> 1 ^ (0 - (residual & 1));
  return from_order_key(order_key(predicted) + d);
}

bool valid_chebyshev_series(uint32_t period, std::span<const ChebyshevSeries> series) {
  if (series.empty() || series.size() > period) return false;
  uint64_t covered = 0;
  for (size_t i = 0; i < series.size(); ++i) {
    const ChebyshevSeries& s = series[i];
    if (s.coefficients < kMinChebyshevCoefficients || s.coefficients > kMaxChebyshevCoefficients) return false;
    if (s.subintervals == 0 || s.components == 0 || s.offset >= period) return false;
    if (i > 0 && s.offset < uint64_t{series[i - 1].offset} + series[i - 1].span()) return false;
    covered += s.span();
  }
  // The last series may run past the end of the period, but not into the first's next instance.
  return covered <= period && uint64_t{series.back().offset} + series.back().span() <= uint64_t{series.front().offset} + period;
}

std::vector<ChebyshevLink> chebyshev_links(size_t count, uint32_t period, std::span<const ChebyshevSeries> series) {
  if (!valid_chebyshev_series(period, series)) throw Error(ErrorCode::internal, "Chebyshev series do not fit the period");
  std::vector<ChebyshevLink> links;
  for (const ChebyshevSeries& s : series) {
    const size_t n = s.coefficients, width = n * s.components;
    for (size_t base = s.offset; base + s.span() <= count; base += period) {
      for (size_t interval = 0; interval < s.subintervals; ++interval)
        for (size_t c = 0; c < s.components; ++c) {
          const size_t cur = base + interval * width + c * n;
          if (interval > 0) links.push_back({cur - width, cur, s.coefficients});
          else if (base >= period) links.push_back({base - period + (s.subintervals - 1) * width + c * n, cur, s.coefficients});
        }
    }
  }
  return links;
}

void encode_chebyshev_residuals(std::span<uint64_t> values, uint32_t period, std::span<const ChebyshevSeries> series) {
  const std::vector<ChebyshevLink> links = chebyshev_links(values.size(), period, series);
  // Backwards, so that every prediction reads original values: a polynomial's c₀ and c₁ change
  // only after all the joins that read them (its own and the one that follows it) are done.
  for (auto link = links.rbegin(); link != links.rend(); ++link) {
    uint64_t* cur = values.data() + link->cur;
    const uint64_t* prev = values.data() + link->prev;
    const uint64_t slope = predict_slope_coefficient(prev, cur, link->n);
    const uint64_t value = predict_value_coefficient(prev, cur, link->n);
    cur[0] = float_residual(cur[0], value);
    cur[1] = float_residual(cur[1], slope);
  }
}

void decode_chebyshev_residuals(std::span<uint64_t> values, uint32_t period, std::span<const ChebyshevSeries> series) {
  // Forwards: the previous polynomial is whole again before its successor needs it; c₁ comes
  // back first because c₀'s prediction reads it.
  for (const ChebyshevLink& link : chebyshev_links(values.size(), period, series)) {
    uint64_t* cur = values.data() + link.cur;
    const uint64_t* prev = values.data() + link.prev;
    cur[1] = restore_float(cur[1], predict_slope_coefficient(prev, cur, link.n));
    cur[0] = restore_float(cur[0], predict_value_coefficient(prev, cur, link.n));
  }
}

}  // namespace nzip::codec
