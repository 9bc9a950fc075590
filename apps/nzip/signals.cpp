#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace nzip::cli {
namespace {

std::vector<std::string> g_cleanup_paths;  // guarded by cleanup_mutex(); one per file in progress

void ignore_signal(int) {}

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  struct sigaction old {};
  // Respect `nohup`: keep SIGHUP ignored when it was ignored on entry.
  if (sigaction(SIGHUP, nullptr, &old) == 0 && old.sa_handler != SIG_IGN) sigaddset(&set, SIGHUP);
  return set;
}

[[noreturn]] void watch(sigset_t set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  {
    std::lock_guard<std::mutex> lock(cleanup_mutex());
    for (const std::string& path : g_cleanup_paths) ::unlink(path.c_str());
    if (isatty(STDERR_FILENO) == 1) {
      static const char erase[] = "\r\x1b[K";
      ssize_t ignored = ::write(STDERR_FILENO, erase, sizeof erase - 1);
      (void)ignored;
    }
    _exit(128 + sig);
  }
}

}  // namespace

std::mutex& cleanup_mutex() {
  static std::mutex m;
  return m;
}

void add_cleanup_path_locked(const std::string& path) { g_cleanup_paths.push_back(path); }
void remove_cleanup_path_locked(const std::string& path) {
  g_cleanup_paths.erase(std::remove(g_cleanup_paths.begin(), g_cleanup_paths.end(), path), g_cleanup_paths.end());
}

void install_signal_cleanup() {
  sigset_t set = handled_signals();
  // A handler (rather than SIG_IGN inherited from a non-interactive shell's background job)
  // makes sure the signals are delivered to sigwait() at all.
  struct sigaction sa {};
  sa.sa_handler = ignore_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    if (sigismember(&set, sig) == 1) sigaction(sig, &sa, nullptr);
  }
  // A closed pipe becomes a write error (EPIPE) with a message instead of a silent death.
  signal(SIGPIPE, SIG_IGN);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(watch, set).detach();
}

}  // namespace nzip::cli
