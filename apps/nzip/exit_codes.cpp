#include "exit_codes.h"

namespace nzip::cli {

int exit_code_for(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok:
      return kExitOk;
    case ErrorCode::invalid_argument:
      return kExitUsage;
    case ErrorCode::io:
    case ErrorCode::out_of_memory:
      return kExitIo;
    case ErrorCode::bad_magic:
    case ErrorCode::truncated:
    case ErrorCode::corrupt:
    case ErrorCode::checksum_mismatch:
    case ErrorCode::limit_exceeded:  // a damaged size field is the usual cause
      return kExitData;
    case ErrorCode::unsupported_version:
    case ErrorCode::model_mismatch:
      return kExitUnsupported;
    case ErrorCode::internal:
      return kExitInternal;
  }
  return kExitInternal;
}

const char* exit_code_help() noexcept {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  usage or argument error (bad option, refused overwrite, skipped input)\n"
         "  2  I/O error (missing file, permission, disk full, out of memory)\n"
         "  3  data error (not an nzip file, corrupt, truncated, checksum mismatch)\n"
         "  4  unsupported format version or model mismatch\n"
         "  5  internal error (please report)\n"
         "  130/143  interrupted by SIGINT/SIGTERM (no partial output is left)\n"
         "With several files, nzip goes on after an error and exits with the highest code.";
}

}  // namespace nzip::cli
