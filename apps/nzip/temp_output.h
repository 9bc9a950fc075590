// apps/nzip/temp_output.h — an output file that appears only when complete.
//
// The data go to a temporary `.NAME.XXXXXX` in the destination's folder; commit() copies the
// input's permissions and times, fsyncs, and renames it into place. Until then (error,
// exception, SIGINT/SIGTERM via signals.h) the temporary file is removed and the destination
// is untouched.
#pragma once

#include <sys/stat.h>

#include <string>

namespace nzip::cli {

class TempOutput {
 public:
  // Creates the temporary file next to `dest`; throws nzip::Error(io) on failure.
  explicit TempOutput(const std::string& dest);
  ~TempOutput();
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;

  int fd() const { return fd_; }
  const std::string& temp_path() const { return temp_path_; }

  // Gives the file `like`'s mode, owner and times (or 0666 & ~umask when null), syncs it and
  // renames it to the destination. Without `overwrite`, an existing destination is never
  // replaced (CliError, exit 1). Throws nzip::Error(io) on failure.
  void commit(const struct stat* like, bool overwrite);

 private:
  void discard() noexcept;

  std::string dest_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace nzip::cli
