#include "nzip/error.h"

namespace nzip {

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::io: return "i/o error";
    case ErrorCode::bad_magic: return "not an nzip file";
    case ErrorCode::unsupported_version: return "unsupported format version";
    case ErrorCode::truncated: return "truncated";
    case ErrorCode::corrupt: return "corrupt";
    case ErrorCode::checksum_mismatch: return "checksum mismatch";
    case ErrorCode::limit_exceeded: return "limit exceeded";
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::model_mismatch: return "model mismatch";
    case ErrorCode::out_of_memory: return "out of memory";
    case ErrorCode::internal: return "internal error";
  }
  return "unknown error";
}

static std::string with_chunk(const std::string& message, std::optional<uint64_t> chunk) {
  if (!chunk) return message;
  return "chunk " + std::to_string(*chunk) + ": " + message;
}

Error::Error(ErrorCode code, const std::string& message, std::optional<uint64_t> chunk)
    : std::runtime_error(with_chunk(message, chunk)), code_(code), chunk_(chunk) {}

}  // namespace nzip
