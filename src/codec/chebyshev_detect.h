// codec/chebyshev_detect.h — finding piecewise Chebyshev series in records of float64.
//
// The encoder looks for the layout that codec/chebyshev_residuals.h needs in the data itself,
// so an ephemeris file needs no description: a candidate series (coefficients per
// polynomial, components per interval, intervals per record) at some element of the
// record is accepted when the continuity predictions of c₀ and c₁ land within 2^23 float64
// steps at 7 of 8 joins or more, over up to eight records. Random or merely smooth numbers
// essentially never do: each join must match some 30 bits of two values. Detection decides
// nothing a decoder repeats; the series found are stored in the plan header.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "codec/chebyshev_residuals.h"

namespace nzip::codec {

// The series in `values` (float64 bit patterns in element order), whose records are `period`
// elements long, with offsets counted from values[0] modulo the period; empty when there are
// fewer than two records or no series. Looks for 2..32 coefficients and 1..3 components, and
// for the first series within the first 1024 elements.
std::vector<ChebyshevSeries> detect_chebyshev_series(std::span<const uint64_t> values, uint32_t period);

// The same series seen from element `shift` of the same data: offsets (offset − shift) mod
// period, in increasing order.
std::vector<ChebyshevSeries> rebase_chebyshev_series(std::span<const ChebyshevSeries> series, uint32_t period,
                                                     uint64_t shift);

}  // namespace nzip::codec
