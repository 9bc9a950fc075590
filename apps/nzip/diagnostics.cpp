#include "diagnostics.h"

#include <cstdio>
#include <exception>
#include <new>

#include "exit_codes.h"
#include "nzip/error.h"
#include "progress.h"

namespace nzip::cli {

std::string display_name(const std::string& path, bool is_output) {
  if (path == "-") return is_output ? "(stdout)" : "(stdin)";
  return path;
}

void report_error(const std::string& name, const std::string& message) {
  ProgressLine::clear_active();
  std::fprintf(stderr, "nzip: %s: %s\n", name.c_str(), message.c_str());
  std::fflush(stderr);
}

void report_warning(const std::string& name, const std::string& message, bool quiet) {
  if (!quiet) report_error(name, message);
}

int report_current_exception(const std::string& name) {
  try {
    throw;
  } catch (const CliError& e) {
    report_error(name, e.what());
    return e.exit_code();
  } catch (const Error& e) {
    std::string message = e.what();
    if (e.chunk() && message.find("chunk") == std::string::npos) {
      message += " (chunk " + std::to_string(*e.chunk()) + ")";
    }
    report_error(name, message);
    return exit_code_for(e.code());
  } catch (const std::bad_alloc&) {
    report_error(name, "out of memory");
    return kExitIo;
  } catch (const std::exception& e) {
    report_error(name, std::string("internal error: ") + e.what());
    return kExitInternal;
  } catch (...) {
    report_error(name, "internal error: unknown exception");
    return kExitInternal;
  }
}

}  // namespace nzip::cli
