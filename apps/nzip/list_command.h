// apps/nzip/list_command.h — `nzip -l`: one line per container (original size in bytes,
// compressed size, ratio, bpb, chunks, level, model, name), a total line for several files,
// and with -v one line per chunk.
#pragma once

#include <cstdint>
#include <string>

#include "options.h"

namespace nzip::cli {

class ListPrinter {
 public:
  explicit ListPrinter(const Options& options) : options_(options) {}
  // Reads `path` ("-" = stdin) whole, inspects it and prints its line. Returns the exit code.
  int list(const std::string& path);
  // Prints the total line when more than one file was listed.
  void finish();

 private:
  void print_header();

  const Options& options_;
  bool header_done_ = false;
  unsigned files_ = 0;
  uint64_t total_original_ = 0;
  uint64_t total_compressed_ = 0;
  uint64_t total_chunks_ = 0;
};

}  // namespace nzip::cli
