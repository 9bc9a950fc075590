// open_dataset_source: a dataset's raw element bytes, read hyperslab by hyperslab.
#include <algorithm>
#include <optional>
#include <cstring>
#include <string>
#include <vector>

#include "exit_codes.h"
#include "h5/h5_handle.h"
#include "h5/h5_type.h"
#include "h5/hyperslab_pieces.h"
#include "h5_dataset.h"
#include "nzip/error.h"

namespace nzip::cli {

bool hdf5_available() noexcept { return true; }

namespace {

using h5::Handle;

// Bytes per hyperslab read: large enough that HDF5's per-call cost vanishes, small beside
// the compressor's own buffers.
constexpr uint64_t kPieceBytes = uint64_t{4} << 20;

class H5DatasetSource final : public DatasetSource {
 public:
  H5DatasetSource(const std::string& path, const std::string& name) {
    auto lock = h5::h5_lock();
    try {
      open(path, name);
    } catch (...) {
      close();  // while the lock is held: members would otherwise close after it is released
      throw;
    }
  }

  ~H5DatasetSource() override {
    auto lock = h5::h5_lock();
    close();
  }

  const DatasetInfo& info() const override { return info_; }
  NumericLayout layout() const override { return layout_; }

  size_t read(uint8_t* dst, size_t max) override {
    if (pos_ == buffer_.size() && !fill()) return 0;
    const size_t n = std::min(max, buffer_.size() - pos_);
    std::memcpy(dst, buffer_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  void close() noexcept {
    type_.reset();
    dataset_.reset();
    file_.reset();
  }

  void open(const std::string& path, const std::string& asked) {
    // HDF5 reads "x" from the root group as "/x"; messages say the absolute path.
    const std::string name = asked.starts_with('/') ? asked : "/" + asked;
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 <= 0) throw Error(ErrorCode::bad_magic, "not an HDF5 file");
    file_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) throw Error(ErrorCode::corrupt, "HDF5 cannot open the file: " + h5::h5_error_text());
    Handle object(H5Oopen(file_.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!object.valid()) throw CliError(kExitUsage, "no dataset " + name + " in this file");
    const H5I_type_t kind = H5Iget_type(object.get());
    if (kind != H5I_DATASET)
      throw CliError(kExitUsage, name + " is " + (kind == H5I_GROUP ? "a group" : "a named datatype") + ", not a dataset");
    dataset_ = Handle(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    type_ = Handle(H5Dget_type(dataset_.get()), H5Tclose);
    Handle space(H5Dget_space(dataset_.get()), H5Sclose);
    if (!dataset_.valid() || !type_.valid() || !space.valid())
      throw Error(ErrorCode::corrupt, "HDF5 cannot open dataset " + name + ": " + h5::h5_error_text());
    if (const char* why = h5::unsupported_reason(type_.get()))
      throw CliError(kExitUsage, name + " holds " + why + ", whose bytes are not the data; nzip --dataset takes "
                                        "numbers, fixed-size strings and compounds or arrays of them");

    info_.name = absolute_name(dataset_.get(), name);
    info_.element_size = H5Tget_size(type_.get());
    info_.type = h5::encode_type(type_.get());
    const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
    if (space_class == H5S_NULL) throw CliError(kExitUsage, name + " has a null dataspace (no shape, no data)");
    if (space_class == H5S_SIMPLE) {
      const int rank = H5Sget_simple_extent_ndims(space.get());
      if (rank < 0) throw Error(ErrorCode::corrupt, "HDF5 cannot read the shape of " + name);
      std::vector<hsize_t> dims(static_cast<size_t>(rank));
      H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
      info_.dims.assign(dims.begin(), dims.end());
    }
    if (!dataset_bytes(info_))
      throw Error(ErrorCode::corrupt, name + ": shape × element size exceeds 2^64 bytes");
    layout_ = h5::numeric_layout_for(type_.get(), info_.dims);
    // A scalar is one piece of one element (read with H5S_ALL, no hyperslab).
    scalar_left_ = info_.dims.empty();
    pieces_.emplace(info_.dims, info_.element_size, kPieceBytes);
  }

  // The path HDF5 opened the dataset by, always absolute ("/group/x" for "group/x").
  static std::string absolute_name(hid_t dataset, const std::string& asked) {
    const ssize_t n = H5Iget_name(dataset, nullptr, 0);
    if (n <= 0) return asked.starts_with('/') ? asked : "/" + asked;
    std::vector<char> name(static_cast<size_t>(n) + 1, '\0');
    H5Iget_name(dataset, name.data(), name.size());
    return std::string(name.data(), static_cast<size_t>(n));
  }

  // Reads the next hyperslab into buffer_; false at the end of the dataset.
  bool fill() {
    auto lock = h5::h5_lock();
    buffer_.clear();
    pos_ = 0;
    Handle file_space, mem_space;
    uint64_t elements = 1;
    if (scalar_left_) {
      scalar_left_ = false;
    } else {
      if (!pieces_->next(start_, count_)) return false;
      for (uint64_t c : count_) elements *= c;
      const std::vector<hsize_t> start(start_.begin(), start_.end()), count(count_.begin(), count_.end());
      file_space = Handle(H5Dget_space(dataset_.get()), H5Sclose);
      const hsize_t flat = elements;
      mem_space = Handle(H5Screate_simple(1, &flat, nullptr), H5Sclose);
      if (!file_space.valid() || !mem_space.valid() ||
          H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0)
        throw Error(ErrorCode::corrupt, "HDF5 cannot select a hyperslab of " + info_.name + ": " + h5::h5_error_text());
    }
    buffer_.resize(static_cast<size_t>(elements * info_.element_size));
    const hid_t ms = mem_space.valid() ? mem_space.get() : H5S_ALL;
    const hid_t fs = file_space.valid() ? file_space.get() : H5S_ALL;
    // The dataset's own file type as memory type: HDF5 converts nothing.
    if (H5Dread(dataset_.get(), type_.get(), ms, fs, H5P_DEFAULT, buffer_.data()) < 0)
      throw Error(ErrorCode::corrupt, "HDF5 cannot read " + info_.name + ": " + h5::h5_error_text());
    return true;
  }

  Handle file_, dataset_, type_;
  DatasetInfo info_;
  NumericLayout layout_;
  std::optional<h5::HyperslabPieces> pieces_;
  bool scalar_left_ = false;
  std::vector<uint64_t> start_, count_;
  std::vector<uint8_t> buffer_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<DatasetSource> open_dataset_source(const std::string& path, const std::string& name) {
  return std::make_unique<H5DatasetSource>(path, name);
}

}  // namespace nzip::cli
