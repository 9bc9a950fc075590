// coder/range_coder.h — carry-propagating range coder core, and a multi-symbol range coder
// over integer frequency tables.
//
// The core (LZMA-style) keeps a 32-bit `range` and a 64-bit `low` whose bit 32 is the carry.
// Between symbols range is in [2^24, 2^32): whenever it falls below 2^24 the top byte of low
// is shifted out. A shifted-out byte is held back in `cache_`, followed by `pending_` bytes
// of 0xFF, until it is known whether a later carry will increment it (0xFF..FF + carry
// becomes 00..00 and cache + 1).
//
// Stream definition (shared by BinaryEncoder and RangeEncoder): the coded number is the
// bytes finish() wrote, followed by kImplicitZeroBytes (4) zero bytes that are never
// written. The decoder reads them as zeros without counting them; only bytes requested
// beyond those count as overrun(). A complete, correctly coded stream, decoded symbol by
// symbol to its end, therefore reports overrun() == 0; a truncated or corrupt one soon
// reports more (callers may treat overrun() > a small slack as corrupt; a checksum catches
// the rest). The decoder never reads outside its span.
//
// Multi-symbol coding: a symbol with cumulative frequency `cum` and frequency `freq` out of
// `total` takes the sub-interval [cum, cum + freq) of [0, total), scaled to range.
//   - total a power of two (the fast path, and the exact one): the bounds are
//     (range * c) >> log2(total), computed in 64 bits, so no range is lost to rounding. The
//     encoder needs no division; the decoder one 64-bit division per symbol.
//   - any other total: r = range / total; the symbol takes [r*cum, r*(cum+freq)), except the
//     last symbol (cum + freq == total), which also takes the remainder range - r*total, so
//     no range is wasted. One 32-bit division per symbol on each side.
// Which path runs depends only on `total`, so encoder and decoder always agree.
//
// Preconditions (asserted in debug builds, not checked in release; they come from the
// caller's own tables, never from coded input): 1 <= total <= kMaxTotal (2^16),
// freq >= 1, cum + freq <= total.
#pragma once

#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nzip::coder {

// Range is renormalised to at least this between symbols.
inline constexpr uint32_t kRangeTop = uint32_t{1} << 24;
// Zero bytes that follow every coded stream implicitly (see the stream definition above).
inline constexpr uint64_t kImplicitZeroBytes = 4;
// Largest frequency total the multi-symbol coder accepts.
inline constexpr uint32_t kMaxTotal = uint32_t{1} << 16;

namespace detail {

// Encoder state shared by BinaryEncoder and RangeEncoder: the interval [low, low + range)
// and the carry-propagating byte output.
class EncoderCore {
 public:
  explicit EncoderCore(std::vector<uint8_t>& out) : out_(&out) {}

  uint32_t range() const { return range_; }

  // Narrows the interval to [low + offset, low + offset + size) and renormalises.
  // Needs 0 < size and offset + size <= range.
  void narrow(uint32_t offset, uint32_t size) {
    assert(size > 0 && uint64_t{offset} + size <= range_);
    low_ += offset;
    range_ = size;
    while (range_ < kRangeTop) {
      range_ <<= 8;
      shift_low();
    }
  }

  // Writes the fewest bytes that, followed by kImplicitZeroBytes zeros, decode exactly: it
  // picks the number in [low, low + range) with the most trailing zero bytes (a multiple of
  // 2^32 if there is one, else of 2^24, which always exists as range >= 2^24), so at most
  // one byte of low is written after the held-back cache and 0xFF bytes.
  void finish() {
    assert(!finished_);
    finished_ = true;
    const uint64_t high = low_ + range_;  // exclusive
    const uint64_t v32 = (low_ + 0xFFFFFFFFu) & ~uint64_t{0xFFFFFFFFu};
    if (v32 < high) {
      low_ = v32;
      shift_low();  // flushes cache and pending bytes (with carry); low's bytes are all 0
    } else {
      low_ = (low_ + 0xFFFFFFu) & ~uint64_t{0xFFFFFFu};
      shift_low();  // low's top byte becomes the cache (or a pending 0xFF)
      shift_low();  // low is now 0, so this flushes everything held back
    }
  }

 private:
  // Moves the top byte of the 32-bit window out of low, into the held-back bytes.
  void shift_low() {
    if (static_cast<uint32_t>(low_) < 0xFF000000u || (low_ >> 32) != 0) {
      const auto carry = static_cast<uint8_t>(low_ >> 32);
      // The first cache is a phantom byte above the coded number: a carry never reaches it
      // (the interval stays below 1.0), so it is always 0 and is not written.
      if (has_cache_) out_->push_back(static_cast<uint8_t>(cache_ + carry));
      for (; pending_ != 0; --pending_) out_->push_back(static_cast<uint8_t>(0xFFu + carry));
      cache_ = static_cast<uint8_t>(low_ >> 24);
      has_cache_ = true;
    } else {
      ++pending_;  // top byte 0xFF: whether it stays 0xFF depends on a later carry
    }
    low_ = (low_ & 0x00FFFFFFu) << 8;
  }

  std::vector<uint8_t>* out_;
  uint64_t low_ = 0;
  uint32_t range_ = 0xFFFFFFFFu;
  uint8_t cache_ = 0;
  bool has_cache_ = false;
  bool finished_ = false;
  uint64_t pending_ = 0;
};

// Decoder state shared by BinaryDecoder and RangeDecoder: code = (coded number - low) in
// the current 32-bit window, and range.
class DecoderCore {
 public:
  explicit DecoderCore(std::span<const uint8_t> in) : data_(in.data()), size_(in.size()) {
    for (int i = 0; i < 4; ++i) code_ = (code_ << 8) | next_byte();
  }

  uint32_t range() const { return range_; }
  uint32_t code() const { return code_; }

  // Mirror of EncoderCore::narrow. On a valid stream offset <= code < offset + size; on a
  // corrupt one code may lie outside, and only wraps (unsigned), never anything worse.
  void narrow(uint32_t offset, uint32_t size) {
    assert(size > 0 && uint64_t{offset} + size <= range_);
    code_ -= offset;
    range_ = size;
    while (range_ < kRangeTop) {
      range_ <<= 8;
      code_ = (code_ << 8) | next_byte();
    }
  }

  uint64_t overrun() const {
    return past_end_ > kImplicitZeroBytes ? past_end_ - kImplicitZeroBytes : 0;
  }

 private:
  uint32_t next_byte() {
    if (pos_ < size_) return data_[pos_++];
    ++past_end_;
    return 0;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  uint64_t past_end_ = 0;
  uint32_t code_ = 0;
  uint32_t range_ = 0xFFFFFFFFu;
};

// Bound of cumulative frequency c out of 2^bits, scaled to range (exact, 64-bit product).
inline uint32_t scale_pow2(uint32_t range, uint32_t c, int bits) {
  return static_cast<uint32_t>((uint64_t{range} * c) >> bits);
}

inline void check_symbol([[maybe_unused]] uint32_t cum, [[maybe_unused]] uint32_t freq,
                         [[maybe_unused]] uint32_t total) {
  assert(total >= 1 && total <= kMaxTotal);
  assert(freq >= 1 && cum < total && freq <= total - cum);
}

// Narrows an encoder's or decoder's core to symbol [cum, cum + freq) out of 2^bits: the one
// step both sides take identically (0 <= bits <= 16).
template <typename Core>
void narrow_pow2(Core& core, uint32_t cum, uint32_t freq, int bits) {
  assert(bits >= 0 && bits <= 16);
  check_symbol(cum, freq, uint32_t{1} << bits);
  const uint32_t range = core.range();
  const uint32_t lo = scale_pow2(range, cum, bits);
  const uint32_t hi = scale_pow2(range, cum + freq, bits);
  core.narrow(lo, hi - lo);
}

}  // namespace detail

// Multi-symbol range encoder. Appends to `out` (which it does not clear); finish() must be
// called once, after the last symbol, before the bytes are used.
class RangeEncoder {
 public:
  explicit RangeEncoder(std::vector<uint8_t>& out) : core_(out) {}

  // Codes the symbol [cum, cum + freq) out of total (preconditions in the file comment).
  void encode(uint32_t cum, uint32_t freq, uint32_t total) {
    detail::check_symbol(cum, freq, total);
    if (std::has_single_bit(total)) {
      encode_pow2(cum, freq, std::countr_zero(total));
      return;
    }
    const uint32_t range = core_.range();
    const uint32_t r = range / total;
    const uint32_t lo = r * cum;
    const uint32_t size = cum + freq == total ? range - lo : r * freq;
    core_.narrow(lo, size);
  }

  // Same as encode(cum, freq, 1 << bits), for callers that know the shift (0 <= bits <= 16).
  void encode_pow2(uint32_t cum, uint32_t freq, int bits) { detail::narrow_pow2(core_, cum, freq, bits); }

  // Flushes the held-back bytes (see EncoderCore::finish). Call once.
  void finish() { core_.finish(); }

 private:
  detail::EncoderCore core_;
};

// Multi-symbol range decoder. Per symbol: f = decode_freq(total), look up the symbol whose
// [cum, cum + freq) holds f, then consume(cum, freq, total) with the same total.
class RangeDecoder {
 public:
  // Reads only inside `in`, which must outlive the decoder.
  explicit RangeDecoder(std::span<const uint8_t> in) : core_(in) {}

  // The cumulative frequency the next symbol covers: a value in [0, total), even on
  // corrupt input (clamped), so it is always safe to look up in the caller's table.
  uint32_t decode_freq(uint32_t total) {
    assert(total >= 1 && total <= kMaxTotal);
    if (std::has_single_bit(total)) return decode_freq_pow2(std::countr_zero(total));
    r_ = core_.range() / total;
    const uint32_t f = core_.code() / r_;
    return f < total ? f : total - 1;
  }

  // Same as decode_freq(1 << bits).
  uint32_t decode_freq_pow2(int bits) {
    assert(bits >= 0 && bits <= 16);
    // Largest c with (range * c) >> bits <= code, i.e. c < (code + 1) * 2^bits / range.
    const uint64_t f = (((uint64_t{core_.code()} + 1) << bits) - 1) / core_.range();
    const uint64_t last = (uint64_t{1} << bits) - 1;
    return static_cast<uint32_t>(f < last ? f : last);
  }

  // Removes the symbol [cum, cum + freq) found from decode_freq(total); same total.
  void consume(uint32_t cum, uint32_t freq, uint32_t total) {
    detail::check_symbol(cum, freq, total);
    if (std::has_single_bit(total)) {
      consume_pow2(cum, freq, std::countr_zero(total));
      return;
    }
    assert(r_ == core_.range() / total);  // decode_freq(total) came first
    const uint32_t lo = r_ * cum;
    const uint32_t size = cum + freq == total ? core_.range() - lo : r_ * freq;
    core_.narrow(lo, size);
  }

  // Same as consume(cum, freq, 1 << bits).
  void consume_pow2(uint32_t cum, uint32_t freq, int bits) { detail::narrow_pow2(core_, cum, freq, bits); }

  // Bytes requested beyond the end of the input and its implicit zero bytes (read as 0).
  // 0 for a complete, valid stream decoded to its end.
  uint64_t overrun() const { return core_.overrun(); }

 private:
  detail::DecoderCore core_;
  uint32_t r_ = 0;  // range / total of the last decode_freq (non-power-of-two totals)
};

}  // namespace nzip::coder
