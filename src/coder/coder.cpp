// coder/coder.cpp — the entropy coders are header-only (coder/binary_coder.h,
// coder/range_coder.h) so the per-bit calls inline into the predictor loop. This file
// compiles both headers with the library's warning flags and pins their basic contracts.
#include "coder/binary_coder.h"
#include "coder/range_coder.h"

namespace nzip::coder {

// range >= 2^24 and total <= 2^16 keep every symbol's share of the range at least 256.
static_assert(kRangeTop / kMaxTotal >= 256);
static_assert(kImplicitZeroBytes == 4, "the decoder primes a 32-bit code from 4 bytes");

}  // namespace nzip::coder
