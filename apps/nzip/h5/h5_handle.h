// apps/nzip/h5/h5_handle.h — owning HDF5 identifiers, the process-wide HDF5 lock, and HDF5's
// own error text. Every HDF5 call, closing included, runs with h5_lock() held: Debian's HDF5
// is not thread-safe and nzip runs files side by side.
#pragma once

#include <hdf5.h>

#include <mutex>
#include <string>
#include <utility>

namespace nzip::cli::h5 {

// Locks HDF5 for the caller's scope. The first lock also stops HDF5 from printing its error
// stack on stderr (nzip prints its own messages).
std::unique_lock<std::mutex> h5_lock();

// The innermost message on HDF5's error stack ("" when empty), to explain a failed call.
std::string h5_error_text();

// An HDF5 identifier closed by `close` when the handle goes (with h5_lock() held by the owner).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      close_ = o.close_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }
  // Closes now; returns HDF5's result (negative on failure, e.g. a file that cannot be flushed).
  herr_t reset() noexcept {
    herr_t r = 0;
    if (id_ >= 0 && close_ != nullptr) r = close_(id_);
    id_ = H5I_INVALID_HID;
    return r;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

}  // namespace nzip::cli::h5
