// core/hash.h — the checksums nzip uses, all XXH3 (xxHash) so they match on every machine.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace nzip::core {

// XXH3-64 of `data` (seed 0): the per-chunk checksum of original bytes.
uint64_t xxh3_64(std::span<const uint8_t> data) noexcept;

// Low 32 bits of XXH3-64 of `data` with `seed`: the checksum of fixed-size headers.
uint32_t check32(std::span<const uint8_t> data, uint64_t seed = 0) noexcept;

// Incremental XXH3-64 (seed 0), for data that arrives in pieces.
class Xxh3Stream {
 public:
  Xxh3Stream();
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;

  void update(std::span<const uint8_t> data) noexcept;
  uint64_t digest() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A 128-bit XXH3 digest in xxHash's canonical byte order (XXH128_canonicalFromHash: the high
// 64 bits big-endian, then the low 64 bits big-endian), so that its hex is what `xxhsum -H2`
// prints. The identity of a model file (docs/MODEL_FORMAT.md).
using Digest128 = std::array<uint8_t, 16>;

// XXH3-128 of `data` (seed 0), canonical byte order.
Digest128 xxh3_128(std::span<const uint8_t> data) noexcept;

// Incremental XXH3-128 (seed 0): the same digest as xxh3_128 of the concatenated pieces.
class Xxh3_128Stream {
 public:
  Xxh3_128Stream();
  ~Xxh3_128Stream();
  Xxh3_128Stream(const Xxh3_128Stream&) = delete;
  Xxh3_128Stream& operator=(const Xxh3_128Stream&) = delete;

  void update(std::span<const uint8_t> data) noexcept;
  Digest128 digest() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nzip::core
