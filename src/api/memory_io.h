// api/memory_io.h — ByteSource over a span and ByteSink into a vector, for the buffer API.
#pragma once

#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

#include "nzip/nzip.h"

namespace nzip::api {

class SpanSource final : public ByteSource {
 public:
  explicit SpanSource(std::span<const uint8_t> data) : data_(data) {}
  size_t read(uint8_t* dst, size_t max) override {
    const size_t n = std::min(max, data_.size() - pos_);
    if (n) std::memcpy(dst, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

class VectorSink final : public ByteSink {
 public:
  explicit VectorSink(std::vector<uint8_t>& out) : out_(out) {}
  void write(const uint8_t* src, size_t n) override { out_.insert(out_.end(), src, src + n); }

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace nzip::api
