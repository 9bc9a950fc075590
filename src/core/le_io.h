// core/le_io.h — little-endian loads/stores and a bounds-checked cursor over untrusted bytes.
//
// Every multi-byte field nzip writes is little-endian, independent of the host. ByteReader
// never reads past the end of its span: a short read throws nzip::Error(truncated) naming
// what was being read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "nzip/error.h"

namespace nzip::core {

inline void store_le16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void store_le64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint16_t load_le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t load_le32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Sequential reader over a span of untrusted bytes; every read is checked against what
// remains. `what` names the structure being read, for error messages.
class ByteReader {
 public:
  ByteReader(std::span<const uint8_t> data, const char* what) : data_(data), what_(what) {}

  size_t position() const noexcept { return pos_; }
  size_t remaining() const noexcept { return data_.size() - pos_; }

  uint8_t u8() { return *take(1); }
  uint16_t u16() { return load_le16(take(2)); }
  uint32_t u32() { return load_le32(take(4)); }
  uint64_t u64() { return load_le64(take(8)); }
  std::span<const uint8_t> bytes(size_t n) {
    const uint8_t* p = take(n);
    return {p, n};
  }

 private:
  const uint8_t* take(size_t n) {
    if (n > remaining())
      throw Error(ErrorCode::truncated, std::string(what_) + " ends early");
    const uint8_t* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }

  std::span<const uint8_t> data_;
  const char* what_;
  size_t pos_ = 0;
};

// Appends little-endian fields to a fixed buffer; the caller sizes the buffer exactly, so
// an overflow is a bug (checked, throws internal).
class ByteWriter {
 public:
  explicit ByteWriter(std::span<uint8_t> out) : out_(out) {}

  size_t position() const noexcept { return pos_; }
  void u8(uint8_t v) { *take(1) = v; }
  void u16(uint16_t v) { store_le16(take(2), v); }
  void u32(uint32_t v) { store_le32(take(4), v); }
  void u64(uint64_t v) { store_le64(take(8), v); }
  void bytes(std::span<const uint8_t> b) {
    uint8_t* p = take(b.size());
    for (size_t i = 0; i < b.size(); ++i) p[i] = b[i];
  }
  void zeros(size_t n) {
    uint8_t* p = take(n);
    for (size_t i = 0; i < n; ++i) p[i] = 0;
  }

 private:
  uint8_t* take(size_t n) {
    if (n > out_.size() - pos_) throw Error(ErrorCode::internal, "ByteWriter overflow");
    uint8_t* p = out_.data() + pos_;
    pos_ += n;
    return p;
  }

  std::span<uint8_t> out_;
  size_t pos_ = 0;
};

}  // namespace nzip::core
