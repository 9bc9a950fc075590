#include "fd_stream.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nzip::cli {

void throw_errno(const char* what) {
  int err = errno;
  throw Error(ErrorCode::io, std::string(what) + ": " + std::strerror(err));
}

size_t FdSource::read(uint8_t* dst, size_t max) {
  // Fill as much of the request as the descriptor gives, so pipes behave like files;
  // 0 is returned only at end of input.
  size_t got = 0;
  while (got < max) {
    ssize_t n = ::read(fd_, dst + got, max - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read failed");
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes_ += got;
  return got;
}

void FdSink::write(const uint8_t* src, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = ::write(fd_, src + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw_errno("write failed");
    }
    done += static_cast<size_t>(w);
  }
  bytes_ += n;
}

}  // namespace nzip::cli
