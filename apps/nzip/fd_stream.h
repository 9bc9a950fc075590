// apps/nzip/fd_stream.h — nzip::ByteSource / ByteSink over POSIX file descriptors, and a
// sink that discards (for -t). Reads and writes retry on EINTR and short counts; failures
// throw nzip::Error(io) with the system's message.
#pragma once

#include <cstdint>

#include "nzip/nzip.h"

namespace nzip::cli {

class FdSource final : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  size_t read(uint8_t* dst, size_t max) override;
  uint64_t bytes_read() const { return bytes_; }

 private:
  int fd_;
  uint64_t bytes_ = 0;
};

class FdSink final : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void write(const uint8_t* src, size_t n) override;
  uint64_t bytes_written() const { return bytes_; }

 private:
  int fd_;
  uint64_t bytes_ = 0;
};

class NullSink final : public ByteSink {
 public:
  void write(const uint8_t*, size_t n) override { bytes_ += n; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  uint64_t bytes_ = 0;
};

// Throws nzip::Error(io) with "what: strerror(errno)".
[[noreturn]] void throw_errno(const char* what);

}  // namespace nzip::cli
