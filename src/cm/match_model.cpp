#include "cm/match_model.h"

#include <bit>
#include <cstring>

#include "cm/hash.h"
#include "cm/logistic.h"

namespace nzip::cm {

namespace {
constexpr uint32_t kMaxLen = 65535;

int bucket_of(uint32_t len) {
  if (len == 0) return 0;
  if (len < 16) return static_cast<int>(len + 1) / 2;  // 1..8
  if (len < 32) return 9;
  if (len < 64) return 10;
  if (len < 128) return 11;
  if (len < 256) return 12;
  if (len < 512) return 13;
  if (len < 2048) return 14;
  return 15;
}
}  // namespace

uint32_t equal_bytes_before_reference(const uint8_t* buf, uint64_t a, uint64_t b, uint32_t limit) {
  uint32_t n = 0;
  while (n < limit && n < a && buf[a - 1 - n] == buf[b - 1 - n]) ++n;
  return n;
}

uint32_t equal_bytes_before(const uint8_t* buf, uint64_t a, uint64_t b, uint32_t limit) {
  uint32_t n = 0;
  while (n + 8 <= limit && n + 8 <= a) {
    uint64_t x, y;
    std::memcpy(&x, buf + a - n - 8, 8);
    std::memcpy(&y, buf + b - n - 8, 8);
    const uint64_t diff = x ^ y;
    // The byte nearest the end comes first: the most significant one when loaded little-endian.
    if (diff) return n + static_cast<uint32_t>((std::endian::native == std::endian::little ? std::countl_zero(diff) : std::countr_zero(diff)) / 8);
    n += 8;
  }
  return n + equal_bytes_before_reference(buf, a - n, b - n, limit - n);
}

MatchModel::MatchModel(int log2_entries, int min_len)
    : table_(size_t{1} << log2_entries),
      mask_((1u << log2_entries) - 1),
      min_len_(min_len),
      sm_(64 * 2, 1023) {}

void MatchModel::hash_last_bytes(const uint8_t* buf, uint64_t pos) {
  if (pos < static_cast<uint64_t>(min_len_)) return;
  uint64_t h = 0;
  for (int i = 1; i <= min_len_; ++i) h = (h << 8 | buf[pos - static_cast<uint64_t>(i)]) * 0x100000001B3ull + 1;
  slot_ = hash_context(h, 77) & mask_;
}

void MatchModel::update_byte(const uint8_t* buf, uint64_t pos) {
  if (len_ > 0 && !miss_) {
    if (len_ < kMaxLen) ++len_;
    ++ptr_;
  } else {
    len_ = 0;
  }
  miss_ = false;
  if (pos >= static_cast<uint64_t>(min_len_)) {
    const uint32_t slot = slot_;
    if (len_ == 0) {
      const uint32_t cand = table_[slot];
      if (cand > 0) {
        const uint32_t n = equal_bytes_before(buf, cand, pos, 64);
        if (n >= static_cast<uint32_t>(min_len_)) {
          len_ = n;
          ptr_ = cand;
        }
      }
    }
    table_[slot] = static_cast<uint32_t>(pos);
  }
  expected_ = len_ ? buf[ptr_] : 0;
  bucket_ = bucket_of(len_);
}

void MatchModel::predict(int c0, int bit_pos, int* inputs) {
  active_ = false;
  if (len_ > 0 && !miss_) {
    // The expected byte must agree with the bits of this byte seen so far.
    if (((expected_ + 256) >> (8 - bit_pos)) == c0) {
      expected_bit_ = (expected_ >> (7 - bit_pos)) & 1;
      const int ctx = (len_ < 32 ? static_cast<int>(len_) : 32 + bucket_) * 2 + expected_bit_;
      const int p = sm_.p(static_cast<size_t>(ctx));
      const int st = stretch(p);
      inputs[0] = st;
      inputs[1] = expected_bit_ ? (bucket_ << 6) : -(bucket_ << 6);
      active_ = true;
      return;
    }
    miss_ = true;
    bucket_ = 0;
  }
  inputs[0] = 0;
  inputs[1] = 0;
}

void MatchModel::update_bit(int bit) {
  if (active_) sm_.update(bit);
}

}  // namespace nzip::cm
