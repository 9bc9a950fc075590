#include "input_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exit_codes.h"
#include "fd_stream.h"
#include "nzip/error.h"

namespace nzip::cli {

InputFile::InputFile(const std::string& path, bool allow_special) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    is_stdin_ = true;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) throw Error(ErrorCode::io, std::strerror(errno));
  }
  try {
    if (::fstat(fd_, &st_) != 0) throw_errno("cannot stat");
    if (is_stdin_) return;
    if (S_ISDIR(st_.st_mode)) throw CliError(kExitUsage, "is a directory -- skipped");
    if (!S_ISREG(st_.st_mode) && !allow_special) {
      throw CliError(kExitUsage, "not a regular file -- skipped (use -c or -o to read it anyway)");
    }
  } catch (...) {
    // The destructor does not run for a constructor that throws.
    if (!is_stdin_) ::close(fd_);
    throw;
  }
}

InputFile::~InputFile() {
  if (!is_stdin_ && fd_ >= 0) ::close(fd_);
}

std::optional<uint64_t> InputFile::size() const {
  if (!is_regular()) return std::nullopt;
  return static_cast<uint64_t>(st_.st_size);
}

std::vector<uint8_t> InputFile::read_all() {
  std::vector<uint8_t> data;
  if (auto n = size()) data.reserve(static_cast<size_t>(*n));
  FdSource src(fd_);
  uint8_t buf[1 << 16];
  while (size_t n = src.read(buf, sizeof buf)) data.insert(data.end(), buf, buf + n);
  return data;
}

}  // namespace nzip::cli
