#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace nzip::cli {
namespace {

ProgressLine* g_active = nullptr;  // the line currently on screen, if any
constexpr auto kMinInterval = std::chrono::milliseconds(200);
constexpr size_t kMaxLabel = 40;

std::string short_label(const std::string& label) {
  if (label.size() <= kMaxLabel) return label;
  return "..." + label.substr(label.size() - (kMaxLabel - 3));
}

std::string format_duration(double seconds) {
  auto s = static_cast<unsigned long long>(seconds + 0.5);
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llu:%02llu", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

std::string human_bytes(uint64_t bytes) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1000.0 && u + 1 < sizeof units / sizeof units[0]) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

ProgressLine::ProgressLine(std::string label, std::optional<uint64_t> total, bool enabled)
    : label_(short_label(label)), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

bool ProgressLine::wanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

void ProgressLine::update(uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  // The first draw also waits one interval, so short runs never flash a line.
  if (now - last_draw_ < kMinInterval) return;
  draw(done, now);
}

void ProgressLine::draw(uint64_t done, std::chrono::steady_clock::time_point now) {
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  std::string line = label_ + ": " + human_bytes(done);
  if (total_ && *total_ > 0) {
    line += " / " + human_bytes(*total_);
    char pct[16];
    std::snprintf(pct, sizeof pct, " (%d%%)",
                  static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(*total_)));
    line += pct;
  }
  char speed[32];
  std::snprintf(speed, sizeof speed, " %.2f MB/s", rate / 1e6);
  line += speed;
  if (total_ && rate > 0 && done <= *total_) {
    line += " ETA " + format_duration(static_cast<double>(*total_ - done) / rate);
  }
  std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
  g_active = this;
}

void ProgressLine::finish() {
  if (drawn_) {
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
  if (g_active == this) g_active = nullptr;
}

void ProgressLine::clear_active() {
  if (g_active != nullptr) g_active->finish();
}

}  // namespace nzip::cli
