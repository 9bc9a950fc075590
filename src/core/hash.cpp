#include "core/hash.h"

#include <xxhash.h>

#include <cstring>
#include <new>

namespace nzip::core {

uint64_t xxh3_64(std::span<const uint8_t> data) noexcept {
  return XXH3_64bits(data.data(), data.size());
}

uint32_t check32(std::span<const uint8_t> data, uint64_t seed) noexcept {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(data.data(), data.size(), seed));
}

struct Xxh3Stream::State {
  State() : s(XXH3_createState()) {
    if (!s) throw std::bad_alloc();
  }
  ~State() { XXH3_freeState(s); }
  XXH3_state_t* s;
};

Xxh3Stream::Xxh3Stream() : state_(std::make_unique<State>()) { XXH3_64bits_reset(state_->s); }
Xxh3Stream::~Xxh3Stream() = default;

void Xxh3Stream::update(std::span<const uint8_t> data) noexcept {
  XXH3_64bits_update(state_->s, data.data(), data.size());
}

uint64_t Xxh3Stream::digest() const noexcept { return XXH3_64bits_digest(state_->s); }

static Digest128 canonical(XXH128_hash_t h) noexcept {
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, h);
  Digest128 out;
  static_assert(sizeof c.digest == sizeof(Digest128));
  std::memcpy(out.data(), c.digest, out.size());
  return out;
}

Digest128 xxh3_128(std::span<const uint8_t> data) noexcept {
  return canonical(XXH3_128bits(data.data(), data.size()));
}

struct Xxh3_128Stream::State {
  State() : s(XXH3_createState()) {
    if (!s) throw std::bad_alloc();
  }
  ~State() { XXH3_freeState(s); }
  XXH3_state_t* s;
};

Xxh3_128Stream::Xxh3_128Stream() : state_(std::make_unique<State>()) { XXH3_128bits_reset(state_->s); }
Xxh3_128Stream::~Xxh3_128Stream() = default;

void Xxh3_128Stream::update(std::span<const uint8_t> data) noexcept {
  XXH3_128bits_update(state_->s, data.data(), data.size());
}

Digest128 Xxh3_128Stream::digest() const noexcept { return canonical(XXH3_128bits_digest(state_->s)); }

}  // namespace nzip::core
