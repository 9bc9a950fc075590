// cm/hash.h — integer hashing of contexts (same result on every machine).
#pragma once

#include <cstdint>

namespace nzip::cm {

// Mixes a 64-bit context value with a per-context seed into 32 well-spread bits.
inline uint32_t hash_context(uint64_t x, uint64_t seed) {
  x += (seed + 1) * 0x9E3779B97F4A7C15ull;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 32;
  return static_cast<uint32_t>(x);
}

}  // namespace nzip::cm
