// coder/binary_coder.h — binary arithmetic coder for bitwise predictors (the hot path: 8
// calls per byte).
//
// p1 is P(bit == 1) scaled to 2^16 and must be in [1, 65535]; that is a precondition,
// asserted in debug builds and not checked (or clamped) in release. Bit 1 takes the lower
// part [0, bound) of the interval, bit 0 the upper part [bound, range), with
//   bound = (range * p1) >> 16          (64-bit product, so no precision is lost)
// Since range >= 2^24, both parts are non-empty for any valid p1. This is exactly the
// multi-symbol coder's power-of-two path with total 2^16: coding bit b is the same as
// RangeEncoder::encode_pow2(b ? 0 : p1, b ? p1 : 65536 - p1, 16), bytes identical.
//
// Stream format, finish() and overrun(): see coder/range_coder.h. In short, finish() writes
// the fewest bytes (at most one byte of low after the held-back carry bytes; the empty
// stream is 0 bytes), and a valid stream decoded to its end reports overrun() == 0.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "coder/range_coder.h"

namespace nzip::coder {

namespace detail {
// a where mask is all ones, b where it is zero (mask is 0 or ~0).
inline uint32_t select(uint32_t mask, uint32_t a, uint32_t b) { return b ^ ((a ^ b) & mask); }
}  // namespace detail

class BinaryEncoder {
 public:
  // Appends to `out` (not cleared); `out` must outlive the encoder.
  explicit BinaryEncoder(std::vector<uint8_t>& out) : core_(out) {}

  // Codes `bit` (0 or 1) with P(bit == 1) = p1 / 65536, p1 in [1, 65535].
  void encode(int bit, uint32_t p1) {
    assert(bit == 0 || bit == 1);
    assert(p1 >= 1 && p1 <= 65535);
    const uint32_t range = core_.range();
    const auto bound = static_cast<uint32_t>((uint64_t{range} * p1) >> 16);
    // Masks instead of a branch on the bit: a predictor's bits are hard to predict.
    const uint32_t mask = 0u - static_cast<uint32_t>(bit);  // all ones for bit 1
    core_.narrow(bound & ~mask, detail::select(mask, bound, range - bound));
  }

  // Flushes; call once, after the last bit.
  void finish() { core_.finish(); }

 private:
  detail::EncoderCore core_;
};

class BinaryDecoder {
 public:
  // Reads only inside `in`, which must outlive the decoder.
  explicit BinaryDecoder(std::span<const uint8_t> in) : core_(in) {}

  // Decodes one bit coded with the same p1 (in [1, 65535]).
  int decode(uint32_t p1) {
    assert(p1 >= 1 && p1 <= 65535);
    const uint32_t range = core_.range();
    const auto bound = static_cast<uint32_t>((uint64_t{range} * p1) >> 16);
    const int bit = core_.code() < bound;
    const uint32_t mask = 0u - static_cast<uint32_t>(bit);  // all ones for bit 1
    core_.narrow(bound & ~mask, detail::select(mask, bound, range - bound));
    return bit;
  }

  // Bytes requested beyond the end of the input and its 4 implicit zero bytes (they read as
  // zero). 0 for a complete, valid stream decoded to its end; a truncated or corrupt
  // stream grows it (treat more than a few bytes as corrupt; a checksum catches the rest).
  uint64_t overrun() const { return core_.overrun(); }

 private:
  detail::DecoderCore core_;
};

}  // namespace nzip::coder
