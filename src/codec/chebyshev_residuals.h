// codec/chebyshev_residuals.h — continuity residuals for piecewise Chebyshev series.
//
// Planetary ephemerides (JPL's DE files, INPOP, casacore's tables of them) store each body's
// coordinates as Chebyshev polynomials over consecutive time intervals, fitted so that
// position and velocity join continuously where intervals meet. At τ = +1 a series Σ cᵢTᵢ is
// Σ cᵢ and its derivative Σ i²cᵢ; at τ = −1 they are Σ (−1)ⁱcᵢ and Σ (−1)ⁱ⁺¹i²cᵢ. So, given the
// previous interval's polynomial and all but the first two coefficients of the next one, c₁
// and then c₀ of the next follow to a few units in the last place (measured on DE200 and
// DE405: a few bits instead of 52 of mantissa). Replacing c₀ and c₁ by their distance from
// that prediction (in float64 steps, zigzag-coded) leaves numbers whose high bytes are zero.
//
// Everything that decides a coded byte is integer arithmetic: each prediction is a weighted
// sum of float64 bit patterns accumulated in 128-bit fixed point and truncated back to a
// float64 (fixed_point_sum), so any machine restores exactly what another encoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nzip::codec {

// One body's polynomials in each period (record) of float64 elements: `subintervals` time
// intervals one after another, each holding `components` polynomials (x, y, z) of
// `coefficients` coefficients, starting `offset` elements into the period. Instance k covers
// elements k·period + offset … + span() − 1 of the chunk; the next instance continues it in
// time, so instance k's last interval joins instance k+1's first.
struct ChebyshevSeries {
  uint32_t offset = 0;
  uint8_t coefficients = 0;
  uint8_t subintervals = 0;
  uint8_t components = 0;

  uint32_t span() const { return uint32_t{coefficients} * subintervals * components; }
  bool operator==(const ChebyshevSeries&) const = default;
};

// Polynomials shorter than 2 have no c₁; longer than 64 would let the weights i² outgrow the
// fixed-point headroom (fixed_point_sum).
constexpr uint32_t kMinChebyshevCoefficients = 2;
constexpr uint32_t kMaxChebyshevCoefficients = 64;

// A float64 (its IEEE-754 bit pattern) times a small integer weight (|weight| < 2^13).
struct WeightedTerm {
  uint64_t bits = 0;
  int32_t weight = 0;
};

// The float64 bit pattern of Σ weight·value, truncated toward zero: each term is placed in a
// 128-bit accumulator whose unit is 2^(E−100), E being the largest term's binary exponent
// bound, with the bits below that unit dropped; at most 128 terms. NaN and infinite terms
// count as zero; a sum below the smallest normal float64 gives ±0, one above the largest
// finite gives the largest finite.
uint64_t fixed_point_sum(std::span<const WeightedTerm> terms);

// Predictions for the polynomial `cur` (n coefficients) that follows `prev` (n coefficients):
// c₁ from the derivative at the join and cur[2..n), c₀ from the value at the join and cur[1..n).
uint64_t predict_slope_coefficient(const uint64_t* prev, const uint64_t* cur, size_t n);
uint64_t predict_value_coefficient(const uint64_t* prev, const uint64_t* cur, size_t n);

// The distance from `predicted` to `actual` in steps of the float64 order (adjacent values
// differ by one; +0 and −0 by one), zigzag-coded so that small distances of either sign have
// zero high bytes; and its inverse.
uint64_t float_residual(uint64_t actual, uint64_t predicted);
uint64_t restore_float(uint64_t residual, uint64_t predicted);

// A join: the polynomial starting at element `cur` follows the one at `prev`, both `n` long.
struct ChebyshevLink {
  size_t prev = 0;
  size_t cur = 0;
  uint32_t n = 0;
};

// Every join inside `count` elements, in an order where a polynomial's own join comes after
// the join of the polynomial it follows. Instances that do not fit in `count` are left out.
// The series must be valid for the period (valid_chebyshev_series).
std::vector<ChebyshevLink> chebyshev_links(size_t count, uint32_t period, std::span<const ChebyshevSeries> series);

// Whether `series` can describe a period of `period` elements: 1 to `period` entries, each
// with 2..64 coefficients and at least one subinterval and component, offsets increasing and
// below the period, and no two overlapping, also across the end of the period.
bool valid_chebyshev_series(uint32_t period, std::span<const ChebyshevSeries> series);

// In place: c₁ and c₀ of every polynomial that follows another become float_residual against
// their predictions (encode), or are restored from them (decode). Elements outside the
// series, and the first instance's first interval, are left as they are.
void encode_chebyshev_residuals(std::span<uint64_t> values, uint32_t period, std::span<const ChebyshevSeries> series);
void decode_chebyshev_residuals(std::span<uint64_t> values, uint32_t period, std::span<const ChebyshevSeries> series);

}  // namespace nzip::codec
