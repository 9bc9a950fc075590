#include "file_batch.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <numeric>
#include <thread>
#include <vector>

#include "file_job.h"
#include "nzip/nzip.h"

namespace nzip::cli {
namespace {

// Stdin can be read once, and one shared output must keep the files in order.
bool files_are_independent(const Options& o) {
  if (o.to_stdout || !o.output.empty()) return false;
  return std::none_of(o.files.begin(), o.files.end(), [](const std::string& f) { return f == "-"; });
}

// The files' indices, largest first: the longest jobs start first, so the workers finish
// together instead of one of them starting a big file last (the classic longest-job-first
// rule; on ../shared/corpus/text it cuts the wall time of `nzip FILES` by about 5%). A file
// that cannot be sized counts as empty; its error is reported when its turn comes.
std::vector<size_t> largest_first(const std::vector<std::string>& files) {
  std::vector<uint64_t> sizes(files.size(), 0);
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(files[i], ec);
    if (!ec) sizes[i] = n;
  }
  std::vector<size_t> order(files.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
  return order;
}

}  // namespace

int process_files(const Options& options) {
  const unsigned threads = resolve_threads(options.threads);  // as the library will
  const size_t workers = std::min<size_t>(threads, options.files.size());
  if (workers <= 1 || !files_are_independent(options)) {
    int worst = 0;
    for (const auto& f : options.files) worst = std::max(worst, process_file(f, options));
    return worst;
  }

  Options each = options;
  each.threads = std::max(1u, threads / static_cast<unsigned>(workers));
  each.progress = false;  // one line per file would fight over the terminal
  const std::vector<size_t> order = largest_first(options.files);
  std::atomic<size_t> next{0};
  std::atomic<int> worst{0};
  auto work = [&] {
    for (size_t i = next++; i < order.size(); i = next++) {
      const int code = process_file(options.files[order[i]], each);
      int seen = worst.load();
      while (code > seen && !worst.compare_exchange_weak(seen, code)) {
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return worst.load();
}

}  // namespace nzip::cli
