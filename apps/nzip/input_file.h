// apps/nzip/input_file.h — opening an input (a path or "-" for stdin) and reading it whole.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nzip::cli {

class InputFile {
 public:
  // Opens `path` ("-" = stdin). Directories are refused (CliError, exit 1); so are other
  // non-regular files (devices, FIFOs) unless `allow_special`. A missing or unreadable file
  // throws nzip::Error(io) with the system's message.
  InputFile(const std::string& path, bool allow_special);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return fd_; }
  bool is_stdin() const { return is_stdin_; }
  bool is_regular() const { return S_ISREG(st_.st_mode); }
  const struct stat& stat() const { return st_; }
  // Size when known in advance (regular files).
  std::optional<uint64_t> size() const;

  // Reads everything that is left (for -l, which needs the whole container).
  std::vector<uint8_t> read_all();

 private:
  int fd_ = -1;
  bool is_stdin_ = false;
  struct stat st_ {};
};

}  // namespace nzip::cli
