#include "h5/h5_handle.h"

namespace nzip::cli::h5 {
namespace {

herr_t keep_last(unsigned /*n*/, const H5E_error2_t* e, void* data) {
  if (e != nullptr && e->desc != nullptr && e->desc[0] != '\0') *static_cast<std::string*>(data) = e->desc;
  return 0;
}

}  // namespace

std::unique_lock<std::mutex> h5_lock() {
  static std::mutex mutex;
  std::unique_lock<std::mutex> lock(mutex);
  static bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
  return lock;
}

std::string h5_error_text() {
  std::string text;
  // Walking downward ends at the innermost record, which says what actually went wrong.
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_last, &text);
  return text;
}

}  // namespace nzip::cli::h5
