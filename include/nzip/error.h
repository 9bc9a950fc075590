// nzip/error.h — typed errors of the public API.
//
// Every failure the library reports is an nzip::Error carrying a stable code (the values
// never change between releases; the CLI maps them to exit codes) and a message that
// names what is wrong, and where known the chunk.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace nzip {

enum class ErrorCode : int {
  ok = 0,
  io = 1,                   // reading or writing a file or stream failed
  bad_magic = 2,            // not an nzip container
  unsupported_version = 3,  // container from a newer, incompatible format version
  truncated = 4,            // data ends before the container does
  corrupt = 5,              // a field is inconsistent or out of range
  checksum_mismatch = 6,    // decoded bytes differ from the stored checksum
  limit_exceeded = 7,       // a size exceeds what this build accepts
  invalid_argument = 8,     // the caller passed an option out of range
  model_mismatch = 9,       // the container needs a model that was not given
  out_of_memory = 10,
  internal = 11,            // a bug: please report it
};

// Short stable name of a code ("corrupt", "truncated", ...).
const char* error_code_name(ErrorCode code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::optional<uint64_t> chunk = std::nullopt);
  ErrorCode code() const noexcept { return code_; }
  // Index of the chunk the error is about, when there is one.
  std::optional<uint64_t> chunk() const noexcept { return chunk_; }

 private:
  ErrorCode code_;
  std::optional<uint64_t> chunk_;
};

}  // namespace nzip
