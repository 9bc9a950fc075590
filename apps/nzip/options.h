// apps/nzip/options.h — the command line of `nzip` (compress/decompress/test/list), parsed
// with CLI11 into a plain struct.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nzip/model.h"
#include "nzip/nzip.h"

namespace nzip::cli {

enum class Mode { compress, decompress, test, list };

struct Options {
  Mode mode = Mode::compress;
  bool to_stdout = false;     // -c
  std::string output;         // -o FILE ("" = derived from the input name)
  bool force = false;         // -f
  bool remove_input = false;  // --rm
  unsigned threads = 0;       // -T, 0 = all cores
  int level = kDefaultLevel;  // -1 … -9
  uint64_t chunk_size = 0;    // --chunk-size, 0 = the level's default
  bool verbose = false;       // -v
  bool quiet = false;         // -q
  bool progress = true;       // not an option: off while several files run at once
  std::string model_path;     // --model FILE.nzm
  bool network_only = false;  // --network-only
  bool embed_model = false;   // --embed-model: store the model (packed) in the container
  bool no_model = false;      // --no-model: pure context mixing, no built-in default model
  std::vector<uint8_t> embedded_model;  // not an option: the packed model, made by main for --embed-model
  std::shared_ptr<const NetworkModel> model;  // not an option: loaded from model_path by main
  NumericLayout layout;       // --layout FILE.json, then --dtype and --record over it
  std::string dataset;        // --dataset NAME: compress that dataset of each HDF5 FILE
  bool raw_bytes = false;     // --raw-bytes: -d writes a dataset's bytes, not an .h5 file
  std::vector<std::string> files;  // never empty: "-" stands for stdin
};

struct ParsedCommandLine {
  Options options;
  std::optional<int> exit_now;  // set for --help, --version and errors (already reported)
};

ParsedCommandLine parse_command_line(int argc, char** argv);

// "4096", "64K", "16M", "1G" (binary multiples, K/M/G or KiB/MiB/GiB, any case) → bytes.
// Throws CliError(kExitUsage) for anything else, zero, or an overflow.
uint64_t parse_byte_size(const std::string& text);

}  // namespace nzip::cli
