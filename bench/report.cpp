#include "report.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace nzip::bench {
namespace {

const char* const kXz = "xz-9e";

double bpb(const BenchResult& r) {
  return r.original_size == 0 ? 0.0
                              : 8.0 * static_cast<double>(r.compressed_size) / static_cast<double>(r.original_size);
}

double mb_per_s(uint64_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
}

// Compressed size of `row` relative to xz's row for the same file, when xz was run.
std::optional<double> ratio_vs_xz(const std::vector<BenchResult>& rows, const BenchResult& row) {
  auto xz = std::find_if(rows.begin(), rows.end(),
                         [&](const BenchResult& r) { return r.codec == kXz && r.file == row.file; });
  if (xz == rows.end() || xz->compressed_size == 0) return std::nullopt;
  return static_cast<double>(row.compressed_size) / static_cast<double>(xz->compressed_size);
}

nlohmann::json row_json(const std::vector<BenchResult>& rows, const BenchResult& r) {
  nlohmann::json j;
  j["file"] = r.file;
  j["codec"] = r.codec;
  j["original_size"] = r.original_size;
  j["compressed_size"] = r.compressed_size;
  j["bpb"] = bpb(r);
  auto vs = ratio_vs_xz(rows, r);
  j["ratio_vs_xz"] = vs ? nlohmann::json(*vs) : nlohmann::json(nullptr);
  j["compress_mb_s"] = mb_per_s(r.original_size, r.compress_seconds);
  j["decompress_mb_s"] = mb_per_s(r.original_size, r.decompress_seconds);
  j["compress_seconds"] = r.compress_seconds;
  j["decompress_seconds"] = r.decompress_seconds;
  return j;
}

void print_row(std::ostream& out, const std::vector<BenchResult>& rows, const BenchResult& r, size_t file_width) {
  char vs[32] = "-";
  if (auto v = ratio_vs_xz(rows, r)) std::snprintf(vs, sizeof vs, "%.4f", *v);
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %-15s %14llu %8.4f %8s %10.2f %10.2f\n", static_cast<int>(file_width),
                r.file.c_str(), r.codec.c_str(), static_cast<unsigned long long>(r.compressed_size), bpb(r), vs,
                mb_per_s(r.original_size, r.compress_seconds), mb_per_s(r.original_size, r.decompress_seconds));
  out << line;
}

}  // namespace

std::vector<BenchResult> totals(const BenchReport& report) {
  std::vector<BenchResult> out;
  for (const auto& codec : report.codecs) {
    BenchResult t;
    t.file = "TOTAL";
    t.codec = codec;
    for (const auto& r : report.results) {
      if (r.codec != codec) continue;
      t.original_size += r.original_size;
      t.compressed_size += r.compressed_size;
      t.compress_seconds += r.compress_seconds;
      t.decompress_seconds += r.decompress_seconds;
    }
    out.push_back(t);
  }
  return out;
}

void print_table(std::ostream& out, const BenchReport& report) {
  size_t file_width = 5;
  for (const auto& r : report.results) file_width = std::max(file_width, r.file.size());
  char header[512];
  std::snprintf(header, sizeof header, "%-*s  %-15s %14s %8s %8s %10s %10s\n", static_cast<int>(file_width), "file",
                "codec", "size", "bpb", "vs xz", "comp MB/s", "dec MB/s");
  out << header;
  for (const auto& r : report.results) print_row(out, report.results, r, file_width);
  auto tot = totals(report);
  out << std::string(file_width + 2 + 15 + 1 + 14 + 1 + 8 + 1 + 8 + 1 + 10 + 1 + 10, '-') << "\n";
  for (const auto& r : tot) print_row(out, tot, r, file_width);
}

nlohmann::json to_json(const BenchReport& report) {
  nlohmann::json j;
  j["threads"] = report.threads;
  j["codecs"] = report.codecs;
  j["results"] = nlohmann::json::array();
  for (const auto& r : report.results) j["results"].push_back(row_json(report.results, r));
  auto tot = totals(report);
  j["totals"] = nlohmann::json::array();
  for (const auto& r : tot) j["totals"].push_back(row_json(tot, r));
  return j;
}

}  // namespace nzip::bench
