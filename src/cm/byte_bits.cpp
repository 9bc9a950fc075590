#include "cm/byte_bits.h"

#include <bit>

namespace nzip::cm {
namespace {

// Subtree [lo, hi) of node c0 and the start of its 1-half.
struct Node {
  uint32_t lo, mid, hi;
};

Node node_of(int c0) {
  const auto c = static_cast<uint32_t>(c0);
  const int k = std::bit_width(c) - 1;  // bits known
  const uint32_t width = 256u >> k;
  const uint32_t lo = (c - (1u << k)) * width;
  return {lo, lo + width / 2, lo + width};
}

int ratio16(uint32_t ones, uint32_t total) {
  // total ≥ 1 (frequencies ≥ 1) and < 2^24, so ones · 2^16 fits in 64 bits with room.
  const auto p = static_cast<int>((uint64_t{ones} << 16) / total);
  return p < 1 ? 1 : (p > 65535 ? 65535 : p);
}

}  // namespace

void ByteBits::set(const uint16_t* freq) {
  cum_[0] = 0;
  for (int i = 0; i < 256; ++i) cum_[i + 1] = cum_[i] + freq[i];
}

int ByteBits::p1(int c0) const {
  const Node n = node_of(c0);
  return ratio16(cum_[n.hi] - cum_[n.mid], cum_[n.hi] - cum_[n.lo]);
}

int byte_bits_reference(const uint16_t* freq, int c0) {
  const Node n = node_of(c0);
  uint32_t ones = 0, total = 0;
  for (uint32_t i = n.lo; i < n.hi; ++i) {
    total += freq[i];
    if (i >= n.mid) ones += freq[i];
  }
  return ratio16(ones, total);
}

}  // namespace nzip::cm
