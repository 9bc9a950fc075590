#include "bench_command.h"

#include <CLI/CLI.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "baselines.h"
#include "diagnostics.h"
#include "exit_codes.h"
#include "input_file.h"
#include "options.h"
#include "nzip/model.h"
#include "report.h"

namespace nzip::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<int> parse_levels(const std::string& text) {
  std::vector<int> levels;
  for (const auto& item : split_list(text)) {
    int level = 0;
    try {
      size_t used = 0;
      level = std::stoi(item, &used);
      if (used != item.size()) level = 0;
    } catch (const std::exception&) {
      level = 0;
    }
    if (level < kMinLevel || level > kMaxLevel) {
      throw CliError(kExitUsage, "invalid level '" + item + "' in --levels (expected 1..9)");
    }
    levels.push_back(level);
  }
  if (levels.empty()) throw CliError(kExitUsage, "--levels is empty");
  return levels;
}

struct BenchArgs {
  std::string levels = std::to_string(kDefaultLevel);
  std::string json_path;
  unsigned threads = 0;
  bool no_baselines = false;
  std::string baselines;
  std::string chunk_size;
  bool quiet = false;
  std::string model_path;
  bool network_only = false;
  bool no_model = false;
  std::shared_ptr<const NetworkModel> model;
  std::vector<std::string> files;
};

std::vector<bench::Codec> make_codecs(const BenchArgs& a) {
  std::vector<bench::Codec> codecs;
  uint64_t chunk = a.chunk_size.empty() ? 0 : parse_byte_size(a.chunk_size);
  for (int level : parse_levels(a.levels)) {
    if (a.model && !a.network_only) codecs.push_back(bench::make_nzip_codec(level, a.threads, chunk, a.model));
    if (!a.model) codecs.push_back(bench::make_nzip_codec(level, a.threads, chunk, nullptr, false, a.no_model));
  }
  if (a.model) codecs.push_back(bench::make_nzip_codec(kDefaultLevel, a.threads, chunk, a.model, true));
  if (a.no_baselines) return codecs;
  std::vector<std::string> names = a.baselines.empty() ? bench::baseline_names() : split_list(a.baselines);
  for (const auto& name : names) {
    try {
      codecs.push_back(bench::make_baseline(name));
    } catch (const std::invalid_argument& e) {
      std::string known;
      for (const auto& n : bench::baseline_names()) known += (known.empty() ? "" : ",") + n;
      throw CliError(kExitUsage, std::string(e.what()) + " (known: " + known + ")");
    }
  }
  return codecs;
}

void status(bool show, const std::string& file, const std::string& codec) {
  if (!show) return;
  std::fprintf(stderr, "\r\x1b[Kbench: %s: %s ...", file.c_str(), codec.c_str());
  std::fflush(stderr);
}

void clear_status(bool show) {
  if (show) std::fputs("\r\x1b[K", stderr);
}

}  // namespace

int run_bench_command(int argc, char** argv) {
  BenchArgs a;
  CLI::App app{
      "nzip bench: nzip beside xz -9e, zstd -19, zstd --ultra -22 --long=27, brotli -11, bzip2 -9 and gzip -9\n"
      "on the same bytes in the same run. Every output is decompressed and compared with the input.\n"
      "Columns: size in bytes, bpb = 8*size/original, vs xz = size / xz-9e size, MB/s = 10^6 original\n"
      "bytes per second. Baselines run single-threaded; -T applies to nzip."};
  app.name("nzip bench");
  app.add_option("--levels", a.levels, "nzip levels to run, comma-separated (default " + a.levels + ")")
      ->type_name("LIST");
  app.add_option("--json", a.json_path, "also write the results as JSON to FILE")->type_name("FILE");
  app.add_option("-T,--threads", a.threads, "threads for nzip; 0 = all cores (default)")->type_name("N");
  auto* nb = app.add_flag("--no-baselines", a.no_baselines, "time nzip only");
  std::string known;
  for (const auto& n : bench::baseline_names()) known += (known.empty() ? "" : ",") + n;
  auto* bl = app.add_option("--baselines", a.baselines, "baselines to run, comma-separated: " + known)->type_name("LIST");
  nb->excludes(bl);
  app.add_option("--chunk-size", a.chunk_size, "nzip chunk size (suffixes K, M, G)")->type_name("BYTES");
  app.add_flag("-q,--quiet", a.quiet, "no status line on stderr");
  app.add_option("--model", a.model_path,
                 "network model (.nzm): run nzip-LEVEL+nn (context mixing + network) and nzip-nn (network alone)")
      ->type_name("FILE");
  app.add_flag("--network-only", a.network_only, "with --model: run nzip-nn only");
  app.add_flag("--no-model", a.no_model, "pure context mixing at every level (no built-in default model)");
  app.add_option("files", a.files, "files to benchmark")->required()->type_name("FILE");

  std::vector<bench::Codec> codecs;
  try {
    app.parse(argc, argv);
    if (a.network_only && a.model_path.empty()) throw CliError(kExitUsage, "--network-only needs --model FILE.nzm");
    if (a.no_model && !a.model_path.empty()) throw CliError(kExitUsage, "--no-model and --model exclude each other");
    if (!a.model_path.empty()) {
      const int rc = guarded(display_name(a.model_path), [&] {
        a.model = NetworkModel::load(a.model_path);
        return static_cast<int>(kExitOk);
      });
      if (rc != kExitOk) return rc;
    }
    codecs = make_codecs(a);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nzip bench: %s\nTry 'nzip bench --help' for more information.\n", e.what());
    return kExitUsage;
  } catch (const CliError& e) {
    std::fprintf(stderr, "nzip bench: %s\n", e.what());
    return e.exit_code();
  }

  bench::BenchReport report;
  report.threads = a.threads;
  for (const auto& c : codecs) report.codecs.push_back(c.name);
  const bool show = !a.quiet && isatty(STDERR_FILENO) == 1;
  int worst = kExitOk;
  for (const auto& file : a.files) {
    std::vector<uint8_t> data;
    int rc = guarded(file, [&] {
      InputFile in(file, /*allow_special=*/true);
      data = in.read_all();
      return kExitOk;
    });
    if (rc != kExitOk) {
      worst = std::max(worst, rc);
      continue;
    }
    for (const auto& codec : codecs) {
      status(show, file, codec.name);
      rc = guarded(file, [&] {
        report.results.push_back(bench::measure(codec, data, file));
        return kExitOk;
      });
      clear_status(show);
      // A codec failure or a round-trip mismatch is a bug somewhere, not bad input.
      if (rc != kExitOk) worst = std::max(worst, rc == kExitUsage ? kExitUsage : static_cast<int>(kExitInternal));
    }
  }

  bench::print_table(std::cout, report);
  if (a.model) {
    // Peak resident memory of the whole run (model, chunks in flight, every codec above).
    // Network models run at KB/s, below the table's MB/s resolution.
    for (const auto& r : report.results) {
      if (r.codec.rfind("nzip-", 0) != 0) continue;
      auto kbs = [&](double s) { return s > 0 ? static_cast<double>(r.original_size) / 1e3 / s : 0.0; };
      std::printf("%s on %s: compress %.1f KB/s, decompress %.1f KB/s\n", r.codec.c_str(), r.file.c_str(),
                  kbs(r.compress_seconds), kbs(r.decompress_seconds));
    }
    std::fflush(stdout);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::cout << "model " << a.model->id_hex() << ": " << a.model->parameter_count() << " parameters, "
              << a.model->weight_bytes() / 1024 << " KiB of weights; peak memory (RSS) of this run "
              << ru.ru_maxrss / 1024 << " MiB\n";
  }
  std::cout.flush();
  if (!a.json_path.empty()) {
    std::ofstream out(a.json_path, std::ios::binary | std::ios::trunc);
    out << bench::to_json(report).dump(2) << "\n";
    out.close();
    if (!out) {
      report_error(a.json_path, "cannot write JSON report");
      worst = std::max(worst, static_cast<int>(kExitIo));
    }
  }
  return worst;
}

}  // namespace nzip::cli
