// bench/report.h — the benchmark table (text) and the same numbers as JSON for scripts.
//
// Units: sizes in bytes; bpb = 8 * compressed / original; "vs xz" = compressed size divided
// by xz -9e's compressed size of the same file (below 1 means smaller than xz); MB/s = 10^6
// original bytes per second of wall-clock time.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "measure.h"

namespace nzip::bench {

struct BenchReport {
  std::vector<std::string> codecs;   // in the order rows are shown
  std::vector<BenchResult> results;  // one per (file, codec), files in the order given
  unsigned threads = 0;              // nzip's -T (0 = all cores); baselines run single-threaded
};

// One row per codec summing sizes and times over all files (file = "TOTAL").
std::vector<BenchResult> totals(const BenchReport& report);

// Aligned text table: per-file rows, then the TOTAL rows.
void print_table(std::ostream& out, const BenchReport& report);

// {"threads", "codecs", "results": [...], "totals": [...]}; each row has file, codec,
// original_size, compressed_size, bpb, ratio_vs_xz (null without xz), compress_mb_s,
// decompress_mb_s, compress_seconds, decompress_seconds.
nlohmann::json to_json(const BenchReport& report);

}  // namespace nzip::bench
