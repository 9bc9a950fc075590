// apps/nzip/file_batch.h — runs `nzip` over all its file arguments, several at once.
//
// Files that each get their own output (FILE → FILE.nz and back, or -t) are independent,
// so with more threads than one file can use — many small files are one chunk each — they
// run side by side: up to -T files at once, the threads shared out between them, the
// largest files first. Each
// output is byte-identical to a one-file run (the bytes never depend on threads). Writing
// to stdout or to one -o file keeps the files in order, one after the other.
#pragma once

#include "options.h"

namespace nzip::cli {

// Processes options.files in options.mode (compress, decompress or test) and returns the
// worst exit code. Messages are reported per file as each one finishes.
int process_files(const Options& options);

}  // namespace nzip::cli
