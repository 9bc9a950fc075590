#include "options.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdio>
#include <limits>

#include "exit_codes.h"
#include "numeric_layout_options.h"

namespace nzip::cli {

uint64_t parse_byte_size(const std::string& text) {
  size_t i = 0;
  uint64_t value = 0;
  bool overflow = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    auto digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) overflow = true;
    value = value * 10 + digit;
    ++i;
  }
  std::string suffix;
  for (size_t j = i; j < text.size(); ++j) {
    suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(text[j])));
  }
  unsigned shift = 0;
  if (suffix.empty() || suffix == "B") {
    shift = 0;
  } else if (suffix == "K" || suffix == "KB" || suffix == "KIB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MB" || suffix == "MIB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GB" || suffix == "GIB") {
    shift = 30;
  } else {
    i = 0;  // unknown suffix: reject below
  }
  if (i == 0 || overflow || value == 0 || value > (std::numeric_limits<uint64_t>::max() >> shift)) {
    throw CliError(kExitUsage, "invalid size '" + text + "' (expected a positive number of bytes, e.g. 4M)");
  }
  return value << shift;
}

ParsedCommandLine parse_command_line(int argc, char** argv) {
  ParsedCommandLine parsed;
  Options& o = parsed.options;

  CLI::App app{
      "nzip: lossless compression with context mixing.\n"
      "Compresses each FILE to FILE.nz (keeping FILE), or with -d restores FILE from FILE.nz.\n"
      "With no FILE, or when FILE is -, reads stdin and writes stdout.\n"
      "Levels: -1 (fastest) ... -9 (strongest); default -" +
          std::to_string(kDefaultLevel) + ".\n"
          "Benchmark against xz/zstd/brotli/bzip2/gzip: nzip bench --help\n"
          "Model files (.nzm): nzip model info --help"};
  app.name("nzip");
  app.footer(exit_code_help());
  app.set_version_flag("-V,--version", std::string("nzip ") + version_string());

  bool decompress = false, test = false, list = false, keep = false;
  std::string chunk_size;
  app.add_flag("-d,--decompress,--uncompress", decompress, "decompress FILE.nz to FILE");
  app.add_flag("-t,--test", test, "decompress and verify, write nothing");
  app.add_flag("-l,--list", list, "list sizes, ratio, chunks and model of .nz files");
  app.add_flag("-c,--stdout,--to-stdout", o.to_stdout, "write to standard output, keep input files");
  app.add_option("-o,--output", o.output, "write to FILE (one input only)")->type_name("FILE");
  app.add_flag("-f,--force", o.force,
               "overwrite existing outputs, compress files ending in .nz, write compressed data to a terminal");
  app.add_flag("-k,--keep", keep, "keep input files (the default)");
  app.add_flag("--rm", o.remove_input, "remove each input file after its output is safely written");
  app.add_option("-T,--threads", o.threads, "worker threads; 0 = all cores (default)")->type_name("N");
  app.add_option("--chunk-size", chunk_size, "bytes per independent chunk (suffixes K, M, G); default: the level's")
      ->type_name("BYTES");
  app.add_flag("-v,--verbose", o.verbose, "print sizes, ratio, bpb and speed of each file");
  app.add_flag("-q,--quiet", o.quiet, "no progress line and no warnings (errors are still printed)");
  for (int level = kMinLevel; level <= kMaxLevel; ++level) {
    // Hidden one by one (the description names them); last one given wins, as in gzip.
    app.add_flag_callback("-" + std::to_string(level), [&o, level] { o.level = level; })
        ->group("")
        ->trigger_on_parse();
  }
  app.add_option("--model", o.model_path,
                 "network model (.nzm) whose predictions join context mixing; decoding needs the same model")
      ->type_name("FILE");
  app.add_flag("--network-only", o.network_only,
               "with --model: code with the network alone (multi-symbol range coding), to measure it");
  std::string dtype, record, layout_file;
  app.add_option("--dtype", dtype, "the input is numbers of this type: f4, f8, i2, i4, i8, u2, u4, u8 (prefix > for big endian)")
      ->type_name("TYPE");
  app.add_option("--record", record, "with --dtype: bytes per record of fields (default: detected)")->type_name("BYTES");
  app.add_option("--layout", layout_file, "read dtype, byte order and record size from a JSON description")
      ->type_name("FILE.json");
  app.add_flag("--embed-model", o.embed_model,
               "with --model: store the model (packed) in each .nz, which then decodes without it");
  app.add_flag("--no-model", o.no_model,
               "pure context mixing at any level: no network model, not even a built-in default one");
  app.add_option("--dataset", o.dataset,
                 "compress dataset NAME of each HDF5 FILE (its raw bytes, type and shape) to FILE.NAME.h5.nz")
      ->type_name("NAME");
  app.add_flag("--raw-bytes", o.raw_bytes, "with -d: write a dataset's raw bytes instead of a new .h5 file");
  app.add_option("files", o.files, "files to process ('-' = stdin)")->type_name("FILE");


  try {
    app.parse(argc, argv);
    if (!chunk_size.empty()) o.chunk_size = parse_byte_size(chunk_size);
    if (!layout_file.empty()) o.layout = read_layout_file(layout_file);
    if (!dtype.empty()) parse_dtype(dtype, o.layout);
    if (!record.empty()) o.layout.record_bytes = parse_byte_size(record);
  } catch (const CLI::CallForHelp& e) {
    parsed.exit_now = app.exit(e);
    return parsed;
  } catch (const CLI::CallForAllHelp& e) {
    parsed.exit_now = app.exit(e);
    return parsed;
  } catch (const CLI::CallForVersion& e) {
    parsed.exit_now = app.exit(e);
    return parsed;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nzip: %s\nTry 'nzip --help' for more information.\n", e.what());
    parsed.exit_now = kExitUsage;
    return parsed;
  } catch (const CliError& e) {
    std::fprintf(stderr, "nzip: %s\n", e.what());
    parsed.exit_now = e.exit_code();
    return parsed;
  }

  // Conflicts are checked here rather than with CLI11's excludes(), which clutter --help.
  const char* conflict = nullptr;
  if (int(decompress) + int(test) + int(list) > 1) conflict = "-d, -t and -l exclude each other";
  else if (!o.output.empty() && (o.to_stdout || test || list)) conflict = "-o cannot be combined with -c, -t or -l";
  else if (keep && o.remove_input) conflict = "-k and --rm exclude each other";
  else if (o.verbose && o.quiet) conflict = "-v and -q exclude each other";
  else if (o.network_only && o.model_path.empty()) conflict = "--network-only needs --model FILE.nzm";
  else if ((!dtype.empty() || !record.empty() || !layout_file.empty()) && (decompress || test || list))
    conflict = "--dtype, --record and --layout apply to compression only";
  else if (!record.empty() && o.layout.element_bytes == 0) conflict = "--record needs --dtype (or --layout)";
  else if (o.no_model && !o.model_path.empty()) conflict = "--no-model and --model exclude each other";
  else if (o.embed_model && o.model_path.empty()) conflict = "--embed-model needs --model FILE.nzm";
  else if (o.embed_model && (decompress || test || list)) conflict = "--embed-model is for compression only";
  else if (!o.dataset.empty() && (decompress || test || list))
    conflict = "--dataset is for compression only (-d restores the dataset the container names)";
  else if (!o.dataset.empty() && o.remove_input) conflict = "--rm cannot be combined with --dataset (the HDF5 file holds more)";
  else if (o.raw_bytes && !decompress) conflict = "--raw-bytes applies to -d only";
  if (conflict != nullptr) {
    std::fprintf(stderr, "nzip: %s\nTry 'nzip --help' for more information.\n", conflict);
    parsed.exit_now = kExitUsage;
    return parsed;
  }
  if (decompress) o.mode = Mode::decompress;
  if (test) o.mode = Mode::test;
  if (list) o.mode = Mode::list;
  if (o.files.empty()) o.files.push_back("-");
  if (!o.output.empty() && o.files.size() > 1) {
    std::fprintf(stderr, "nzip: -o takes a single input file (%zu given)\n", o.files.size());
    parsed.exit_now = kExitUsage;
  }
  return parsed;
}

}  // namespace nzip::cli
