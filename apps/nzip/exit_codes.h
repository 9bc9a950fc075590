// apps/nzip/exit_codes.h — the documented exit codes of `nzip` (docs/CLI.md) and the one
// place where library errors become exit codes.
#pragma once

#include <stdexcept>
#include <string>

#include "nzip/error.h"

namespace nzip::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,        // bad option or argument, refused overwrite, skipped input
  kExitIo = 2,           // missing file, permission, disk full, out of memory
  kExitData = 3,         // corrupt, truncated, bad magic, checksum mismatch
  kExitUnsupported = 4,  // newer format version, model mismatch
  kExitInternal = 5,     // a bug in nzip
  kExitSigint = 130,     // interrupted (128 + SIGINT)
  kExitSigterm = 143,    // terminated (128 + SIGTERM)
};

// Exit code for a library error code.
int exit_code_for(ErrorCode code) noexcept;

// The text of --help's epilog listing the exit codes.
const char* exit_code_help() noexcept;

// A refusal or failure of the command-line layer itself, with the exit code it maps to.
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace nzip::cli
