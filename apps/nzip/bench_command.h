// apps/nzip/bench_command.h — `nzip bench [options] FILE...`: nzip at chosen levels beside
// xz/zstd/brotli/bzip2/gzip on the same bytes (codecs in bench/baselines.h, table and JSON in
// bench/report.h).
#pragma once

namespace nzip::cli {

// argv[0] is "bench". Returns the exit code.
int run_bench_command(int argc, char** argv);

}  // namespace nzip::cli
