// apps/nzip/progress.h — a one-line progress display on stderr:
//   "NAME: 12.3 MB / 45.6 MB (27%) 3.21 MB/s ETA 0:10"
// redrawn at most 5 times a second, and only when enabled (stderr is a terminal and -q
// was not given). The line is erased when the work ends, so nothing of it stays on screen.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace nzip::cli {

class ProgressLine {
 public:
  // `total`: bytes expected, when known (enables percentage and ETA).
  ProgressLine(std::string label, std::optional<uint64_t> total, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Records `done` bytes processed; redraws when the last draw is ≥ 200 ms old.
  void update(uint64_t done);
  // Erases the line (idempotent).
  void finish();

  // Erases whichever progress line is on screen (before printing a message).
  static void clear_active();

  // True when progress should be shown: stderr is a terminal and not quiet.
  static bool wanted(bool quiet);

 private:
  void draw(uint64_t done, std::chrono::steady_clock::time_point now);

  std::string label_;
  std::optional<uint64_t> total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// "1.23 MB" style size (decimal units).
std::string human_bytes(uint64_t bytes);

}  // namespace nzip::cli
