// apps/nzip/diagnostics.h — messages on stderr in the form `nzip: FILE: message`.
#pragma once

#include <string>

namespace nzip::cli {

// Name shown for an input or output path: "(stdin)"/"(stdout)" for "-".
std::string display_name(const std::string& path, bool is_output = false);

// `nzip: NAME: message` on stderr (always, even with -q).
void report_error(const std::string& name, const std::string& message);

// `nzip: NAME: message` on stderr, unless `quiet`.
void report_warning(const std::string& name, const std::string& message, bool quiet);

// Runs `body`, turning any exception into a message about `name` and an exit code.
template <typename F>
int guarded(const std::string& name, F&& body);

// Maps the exception in flight (call from a catch block) to a message and exit code.
int report_current_exception(const std::string& name);

template <typename F>
int guarded(const std::string& name, F&& body) {
  try {
    return body();
  } catch (...) {
    return report_current_exception(name);
  }
}

}  // namespace nzip::cli
