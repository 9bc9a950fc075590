// apps/nzip/file_job.h — what `nzip` does with one input: compress, decompress or test it.
#pragma once

#include <string>

#include "options.h"

namespace nzip::cli {

// Processes `path` ("-" = stdin) in options.mode (compress, decompress or test; -l is in
// list_command.h). Reports any problem as `nzip: FILE: message` and returns the exit code
// for this file (0 on success).
int process_file(const std::string& path, const Options& options);

}  // namespace nzip::cli
