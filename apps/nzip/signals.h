// apps/nzip/signals.h — nothing left behind on SIGINT/SIGTERM/SIGHUP.
//
// install_signal_cleanup() blocks these signals in every thread (call it before anything
// starts a thread) and hands them to one watcher thread. When one arrives, the watcher removes
// the temporary output files registered here (one per file being written), erases a progress line, and
// exits with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). A SIGHUP that was
// ignored when nzip started (nohup) stays ignored.
#pragma once

#include <mutex>
#include <string>

namespace nzip::cli {

void install_signal_cleanup();

// The lock that orders "register / rename / remove the temporary file" against the watcher.
std::mutex& cleanup_mutex();

// Registers `path` as a file to remove on a signal (caller holds cleanup_mutex()).
void add_cleanup_path_locked(const std::string& path);
// Forgets a registered file (caller holds cleanup_mutex()).
void remove_cleanup_path_locked(const std::string& path);

}  // namespace nzip::cli
