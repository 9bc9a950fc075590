#include "file_job.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "diagnostics.h"
#include "exit_codes.h"
#include "fd_stream.h"
#include "h5_dataset.h"
#include "input_file.h"
#include "progress.h"
#include "temp_output.h"

namespace nzip::cli {
namespace {

constexpr const char* kSuffix = ".nz";

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string base_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Where the output of `path` goes: "-" for stdout, otherwise a file name.
std::string destination(const std::string& path, const Options& o) {
  bool compress = o.mode == Mode::compress;
  if (o.to_stdout) return "-";
  if (!o.output.empty()) return o.output;
  if (path == "-") return "-";
  if (compress && !o.dataset.empty()) return dataset_container_name(path, o.dataset);
  if (compress) {
    if (has_suffix(path, kSuffix) && !o.force) {
      throw CliError(kExitUsage,
                     std::string("already has ") + kSuffix + " suffix -- unchanged (use -f to compress it)");
    }
    return path + kSuffix;
  }
  if (!has_suffix(path, kSuffix) || base_of(path) == kSuffix) {
    throw CliError(kExitUsage, std::string("unknown suffix (expected ") + kSuffix +
                                   ") -- ignored; use -c or -o to choose the output");
  }
  return path.substr(0, path.size() - 3);
}

// Refusals that must happen before any work: existing output, output = input.
void check_destination(const std::string& dest, const InputFile& in, const Options& o) {
  struct stat st {};
  if (::stat(dest.c_str(), &st) != 0) return;
  if (!in.is_stdin() && st.st_dev == in.stat().st_dev && st.st_ino == in.stat().st_ino) {
    throw CliError(kExitUsage, "input and output are the same file");
  }
  if (S_ISDIR(st.st_mode)) throw CliError(kExitUsage, dest + " is a directory");
  if (!o.force) throw CliError(kExitUsage, dest + " already exists; use -f to overwrite");
}

// Where decompressed bytes go: the output file as they are, or, once the container turns
// out to hold a dataset and raw bytes were not asked for, a new HDF5 file written over the
// temporary output (HDF5 writes by name; the temporary file's descriptor stays ours).
class DecompressTarget final : public ByteSink {
 public:
  DecompressTarget(ByteSink& plain, const std::string& h5_path) : plain_(plain), h5_path_(h5_path) {}
  // DecompressOptions::on_dataset.
  void on_dataset(const DatasetInfo* dataset) {
    if (dataset != nullptr && !h5_path_.empty()) h5_ = create_dataset_file(h5_path_, *dataset);
  }
  void write(const uint8_t* src, size_t n) override {
    if (h5_) h5_->write(src, n);
    else plain_.write(src, n);
  }
  // Closes the HDF5 file, checking that the dataset is complete.
  void finish() {
    if (h5_) h5_->finish();
  }

 private:
  ByteSink& plain_;
  std::string h5_path_;  // "" = bytes as they are (stdout, -t, --raw-bytes)
  std::unique_ptr<DatasetSink> h5_;
};

StreamStats run_stream(ByteSource& src, ByteSink& sink, const Options& o, ProgressLine& progress,
                       const DatasetSource* dataset, const std::string& h5_path) {
  ProgressFn on_progress = [&progress](uint64_t done) { progress.update(done); };
  if (o.mode == Mode::compress) {
    CompressOptions copt;
    copt.level = o.level;
    copt.threads = o.threads;
    copt.chunk_size = o.chunk_size;
    copt.model = o.model;
    copt.network_only = o.network_only;
    copt.layout = o.layout;
    copt.no_model = o.no_model;
    copt.embedded_model = o.embedded_model;
    if (dataset != nullptr) {
      copt.dataset = dataset->info();
      // The datatype's layout, unless --dtype/--record/--layout said otherwise (a network
      // model takes no numeric layout yet).
      if (copt.layout.element_bytes == 0 && !copt.model) copt.layout = dataset->layout();
    }
    return compress_stream(src, sink, copt, on_progress);
  }
  DecompressTarget target(sink, o.raw_bytes ? std::string() : h5_path);
  DecompressOptions dopt;
  dopt.threads = o.threads;
  dopt.model = o.model;
  dopt.on_dataset = [&](const DatasetInfo* d) {
    // -t also proves that the datatype decodes, where this build has HDF5.
    if (d != nullptr && o.mode == Mode::test && hdf5_available()) describe_type(*d);
    target.on_dataset(d);
  };
  const StreamStats stats = decompress_stream(src, target, dopt, on_progress);
  target.finish();
  return stats;
}

void print_verbose(const std::string& name, const Options& o, const StreamStats& s, double seconds) {
  uint64_t original = o.mode == Mode::compress ? s.bytes_in : s.bytes_out;
  uint64_t packed = o.mode == Mode::compress ? s.bytes_out : s.bytes_in;
  char ratio[64] = "ratio -, bpb -";
  if (original > 0 && packed > 0) {
    auto orig = static_cast<double>(original), pack = static_cast<double>(packed);
    std::snprintf(ratio, sizeof ratio, "ratio %.3f, %.3f bpb", orig / pack, 8.0 * pack / orig);
  }
  double mbs = seconds > 0 ? static_cast<double>(original) / 1e6 / seconds : 0.0;
  const char* verb = o.mode == Mode::test ? "OK, " : "";
  std::fprintf(stderr, "%s: %s%llu -> %llu bytes (%s), %.2f MB/s\n", name.c_str(), verb,
               static_cast<unsigned long long>(s.bytes_in), static_cast<unsigned long long>(s.bytes_out), ratio, mbs);
}

int run(const std::string& path, const Options& o) {
  const std::string name = display_name(path);
  const bool compress = o.mode == Mode::compress;
  const bool test = o.mode == Mode::test;
  const std::string dest = test ? std::string() : destination(path, o);
  const bool to_stdout = dest == "-";

  if (compress && to_stdout && isatty(STDOUT_FILENO) == 1 && !o.force) {
    throw CliError(kExitUsage, "refusing to write compressed data to a terminal (use -f to force)");
  }
  if (!compress && path == "-" && isatty(STDIN_FILENO) == 1 && !o.force) {
    throw CliError(kExitUsage, "refusing to read compressed data from a terminal (use -f to force)");
  }

  const bool from_dataset = compress && !o.dataset.empty();
  if (from_dataset && path == "-") throw CliError(kExitUsage, "--dataset needs an HDF5 file, not stdin");
  InputFile in(path, /*allow_special=*/!from_dataset && (test || to_stdout || !o.output.empty()));
  if (!test && !to_stdout) check_destination(dest, in, o);

  // With --dataset the bytes come from HDF5, which opens the file by name.
  std::unique_ptr<DatasetSource> dataset;
  if (from_dataset) dataset = open_dataset_source(path, o.dataset);
  FdSource fd_source(in.fd());
  ByteSource& src = dataset ? static_cast<ByteSource&>(*dataset) : fd_source;
  const std::optional<uint64_t> total = dataset ? dataset_bytes(dataset->info()) : in.size();

  bool show = o.progress && ProgressLine::wanted(o.quiet) && !(to_stdout && isatty(STDOUT_FILENO) == 1);
  ProgressLine progress(name, total, show);
  auto start = std::chrono::steady_clock::now();
  StreamStats stats;
  if (test) {
    NullSink sink;
    stats = run_stream(src, sink, o, progress, dataset.get(), "");
  } else if (to_stdout) {
    // An HDF5 file cannot be streamed: a dataset goes to stdout as its raw bytes.
    FdSink sink(STDOUT_FILENO);
    stats = run_stream(src, sink, o, progress, dataset.get(), "");
  } else {
    TempOutput out(dest);
    FdSink sink(out.fd());
    stats = run_stream(src, sink, o, progress, dataset.get(), out.temp_path());
    dataset.reset();  // closes the HDF5 input before the output is committed
    out.commit(in.is_stdin() ? nullptr : &in.stat(), o.force);
  }
  progress.finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.verbose) print_verbose(name, o, stats, seconds);

  // Only now is the output safely in place (or there is none: -t keeps the input anyway).
  if (o.remove_input && !test && !to_stdout && !in.is_stdin()) {
    if (::unlink(path.c_str()) != 0) {
      throw Error(ErrorCode::io, std::string("output written, but cannot remove input: ") + std::strerror(errno));
    }
  }
  return kExitOk;
}

}  // namespace

int process_file(const std::string& path, const Options& options) {
  return guarded(display_name(path), [&] { return run(path, options); });
}

}  // namespace nzip::cli
