// create_dataset_file: a new HDF5 file whose one dataset receives the decompressed bytes,
// hyperslab by hyperslab.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "h5/h5_handle.h"
#include "h5/h5_type.h"
#include "h5/hyperslab_pieces.h"
#include "h5_dataset.h"
#include "nzip/error.h"

namespace nzip::cli {
namespace {

using h5::Handle;

constexpr uint64_t kPieceBytes = uint64_t{4} << 20;  // as the source reads them

class H5DatasetSink final : public DatasetSink {
 public:
  H5DatasetSink(const std::string& path, const DatasetInfo& info) : info_(info), total_(*dataset_bytes(info)) {
    auto lock = h5::h5_lock();
    try {
      create(path);
    } catch (...) {
      close();  // with the lock held, see the source
      throw;
    }
  }

  ~H5DatasetSink() override {
    auto lock = h5::h5_lock();
    close();
  }

  void write(const uint8_t* src, size_t n) override {
    while (n > 0) {
      if (buffer_.empty() && !next_piece())
        throw Error(ErrorCode::corrupt, "more bytes than dataset " + info_.name + " holds");
      const size_t take = std::min(n, piece_bytes_ - buffer_.size());
      buffer_.insert(buffer_.end(), src, src + take);
      src += take;
      n -= take;
      if (buffer_.size() == piece_bytes_) flush();
    }
  }

  void finish() override {
    if (!buffer_.empty() || written_ != total_)
      throw Error(ErrorCode::corrupt, "dataset " + info_.name + " received " +
                                          std::to_string(written_ + buffer_.size()) + " of its " +
                                          std::to_string(total_) + " bytes");
    auto lock = h5::h5_lock();
    dataset_.reset();
    type_.reset();
    if (file_.reset() < 0) throw Error(ErrorCode::io, "HDF5 cannot close the new file: " + h5::h5_error_text());
  }

 private:
  void close() noexcept {
    dataset_.reset();
    type_.reset();
    file_.reset();
  }

  void create(const std::string& path) {
    type_ = h5::decode_type(info_.type);
    // A crafted container could name a type whose "bytes" HDF5 would follow as pointers.
    if (const char* why = h5::unsupported_reason(type_.get()))
      throw Error(ErrorCode::corrupt, "the dataset section names " + std::string(why) + ", which nzip never writes");
    if (H5Tget_size(type_.get()) != info_.element_size)
      throw Error(ErrorCode::corrupt, "the dataset's datatype has " + std::to_string(H5Tget_size(type_.get())) +
                                          " bytes per element, the section says " + std::to_string(info_.element_size));
    if (!info_.name.starts_with('/') || info_.name == "/")
      throw Error(ErrorCode::corrupt, "the dataset section's name '" + info_.name + "' is not a dataset path");
    file_ = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) throw Error(ErrorCode::io, "HDF5 cannot create " + path + ": " + h5::h5_error_text());
    const std::vector<hsize_t> dims(info_.dims.begin(), info_.dims.end());
    Handle space(info_.dims.empty() ? H5Screate(H5S_SCALAR)
                                    : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 H5Sclose);
    Handle link_props(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    if (!space.valid() || !link_props.valid() || H5Pset_create_intermediate_group(link_props.get(), 1) < 0)
      throw Error(ErrorCode::corrupt, "HDF5 cannot describe the dataset's shape: " + h5::h5_error_text());
    // Contiguous layout, the HDF5 default: the file holds the bytes as they are, and needs no
    // chunk size that the original may not have had either.
    dataset_ = Handle(H5Dcreate2(file_.get(), info_.name.c_str(), type_.get(), space.get(), link_props.get(),
                                 H5P_DEFAULT, H5P_DEFAULT),
                      H5Dclose);
    if (!dataset_.valid())
      throw Error(ErrorCode::corrupt, "HDF5 cannot create dataset " + info_.name + ": " + h5::h5_error_text());
    if (!info_.dims.empty()) pieces_.emplace(info_.dims, info_.element_size, kPieceBytes);
    else scalar_left_ = true;
  }

  // Starts the next piece; false when the dataset is complete.
  bool next_piece() {
    uint64_t elements = 1;
    if (scalar_left_) {
      scalar_left_ = false;
      start_.clear();
      count_.clear();
    } else {
      if (!pieces_ || !pieces_->next(start_, count_)) return false;
      for (uint64_t c : count_) elements *= c;
    }
    piece_bytes_ = static_cast<size_t>(elements * info_.element_size);
    buffer_.reserve(piece_bytes_);
    return true;
  }

  void flush() {
    auto lock = h5::h5_lock();
    Handle file_space, mem_space;
    if (!count_.empty()) {
      const std::vector<hsize_t> start(start_.begin(), start_.end()), count(count_.begin(), count_.end());
      const hsize_t flat = piece_bytes_ / info_.element_size;
      file_space = Handle(H5Dget_space(dataset_.get()), H5Sclose);
      mem_space = Handle(H5Screate_simple(1, &flat, nullptr), H5Sclose);
      if (!file_space.valid() || !mem_space.valid() ||
          H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0)
        throw Error(ErrorCode::internal, "HDF5 cannot select a hyperslab of " + info_.name + ": " + h5::h5_error_text());
    }
    const hid_t ms = mem_space.valid() ? mem_space.get() : H5S_ALL;
    const hid_t fs = file_space.valid() ? file_space.get() : H5S_ALL;
    if (H5Dwrite(dataset_.get(), type_.get(), ms, fs, H5P_DEFAULT, buffer_.data()) < 0)
      throw Error(ErrorCode::io, "HDF5 cannot write " + info_.name + ": " + h5::h5_error_text());
    written_ += buffer_.size();
    buffer_.clear();
  }

  DatasetInfo info_;
  uint64_t total_;
  Handle file_, type_, dataset_;
  std::optional<h5::HyperslabPieces> pieces_;
  bool scalar_left_ = false;
  std::vector<uint64_t> start_, count_;
  std::vector<uint8_t> buffer_;
  size_t piece_bytes_ = 0;
  uint64_t written_ = 0;
};

}  // namespace

std::unique_ptr<DatasetSink> create_dataset_file(const std::string& path, const DatasetInfo& info) {
  if (!dataset_bytes(info)) throw Error(ErrorCode::corrupt, "dataset size overflows 64 bits");
  return std::make_unique<H5DatasetSink>(path, info);
}

std::string describe_type(const DatasetInfo& info) {
  auto lock = h5::h5_lock();
  Handle type = h5::decode_type(info.type);
  std::string words = h5::type_in_words(type.get());
  type.reset();
  return words;
}

}  // namespace nzip::cli
