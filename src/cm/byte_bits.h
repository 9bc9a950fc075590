// cm/byte_bits.h — binary decomposition of a next-byte distribution: P(next bit = 1 | the
// bits of the byte coded so far), so that a network's 256 coder frequencies can be mixed
// with bitwise context models.
//
// A byte is coded MSB first; after k bits the partial byte c0 = 1 followed by those k bits
// (1 … 255) names a node of the binary tree over 0 … 255. Its subtree holds the bytes
// [lo, hi) with lo = (c0 − 2^k) · 2^(8−k), hi = lo + 2^(8−k); the 1-branch holds the upper
// half. Then
//   P(1) = floor(2^16 · Σ freq[upper half] / Σ freq[lo, hi))   clamped to [1, 65535],
// integer arithmetic only (sums < 2^24 for any uint16 table), so every machine agrees.
#pragma once

#include <cstdint>

namespace nzip::cm {

class ByteBits {
 public:
  // Takes the distribution of the next byte: 256 frequencies, each ≥ 1 (any total up to
  // 2^24). Prefix sums make each p1() one division.
  void set(const uint16_t* freq);

  // P(next bit = 1) of node c0 (1 … 255) in 16 bits, in [1, 65535].
  int p1(int c0) const;

 private:
  uint32_t cum_[257] = {};  // cum_[i] = Σ freq[0 … i−1]
};

// The same probability summed straight from `freq` (the slow, obvious reference).
int byte_bits_reference(const uint16_t* freq, int c0);

}  // namespace nzip::cm
