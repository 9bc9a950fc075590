// plugins/hdf5/h5z_nzip.cpp — the HDF5 filter plugin (see include/nzip/hdf5_filter.h).
//
// HDF5 calls filter() once per chunk: forward (compress) when writing, with
// H5Z_FLAG_REVERSE when reading. Nothing may throw into HDF5's C code: every failure is
// pushed on HDF5's error stack and reported by returning 0.
#include <H5PLextern.h>
#include <hdf5.h>

#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "nzip/hdf5_filter.h"
#include "nzip/nzip.h"

namespace {

void push_error(const std::string& what) {
  H5Epush2(H5E_DEFAULT, __FILE__, "h5z_nzip", __LINE__, H5E_ERR_CLS, H5E_PLINE, H5E_CANTFILTER, "nzip: %s",
           what.c_str());
}

// Replaces HDF5's buffer with `bytes`; false (error pushed) when memory runs out.
bool hand_over(const std::vector<uint8_t>& bytes, size_t* buf_size, void** buf) {
  void* out = H5allocate_memory(bytes.empty() ? 1 : bytes.size(), false);
  if (out == nullptr) {
    push_error("out of memory");
    return false;
  }
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  H5free_memory(*buf);
  *buf = out;
  *buf_size = bytes.empty() ? 1 : bytes.size();
  return true;
}

// cd_values[3]: whether the dataset's elements are plain numbers for the numeric model.
constexpr unsigned kNotNumeric = 0, kNumericLittleEndian = 1, kNumericBigEndian = 2;

// Integers and floats of 2, 4 or 8 bytes in a known byte order; compound, string and other
// types are left to the encoder's trials.
unsigned numeric_kind(hid_t type, size_t element) {
  const H5T_class_t c = H5Tget_class(type);
  if ((c != H5T_FLOAT && c != H5T_INTEGER) || (element != 2 && element != 4 && element != 8)) return kNotNumeric;
  const H5T_order_t order = H5Tget_order(type);
  return order == H5T_ORDER_LE ? kNumericLittleEndian : order == H5T_ORDER_BE ? kNumericBigEndian : kNotNumeric;
}

int level_of(size_t cd_nelmts, const unsigned cd_values[]) {
  if (cd_nelmts == 0 || cd_values[0] == 0) return nzip::kDefaultLevel;
  return static_cast<int>(cd_values[0]);
}

size_t nzip_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[], size_t nbytes, size_t* buf_size,
                   void** buf) {
  try {
    const std::span<const uint8_t> in(static_cast<const uint8_t*>(*buf), nbytes);
    std::vector<uint8_t> out;
    if (flags & H5Z_FLAG_REVERSE) {
      nzip::DecompressOptions options;
      options.threads = 1;  // HDF5 runs filters one chunk at a time
      out = nzip::decompress(in, options);
    } else {
      nzip::CompressOptions options;
      options.level = level_of(cd_nelmts, cd_values);
      options.threads = 1;
      // Numbers of a known size and order get the numeric model (the record is detected).
      if (cd_nelmts >= 4 && cd_values[3] != kNotNumeric) {
        options.layout.element_bytes = cd_values[1];
        options.layout.big_endian = cd_values[3] == kNumericBigEndian;
      }
      out = nzip::compress(in, options);
    }
    if (out.empty()) {
      push_error("empty result");
      return 0;
    }
    return hand_over(out, buf_size, buf) ? out.size() : 0;
  } catch (const std::exception& e) {
    push_error(e.what());
  } catch (...) {
    push_error("unknown failure");
  }
  return 0;
}

// Checks the level and records the element size and kind; runs when a dataset is created.
herr_t nzip_set_local(hid_t dcpl, hid_t type, hid_t /*space*/) {
  unsigned flags = 0;
  size_t n = 8;
  unsigned values[8] = {};
  if (H5Pget_filter_by_id2(dcpl, H5Z_FILTER_NZIP, &flags, &n, values, 0, nullptr, nullptr) < 0) return -1;
  const int level = level_of(n, values);
  if (level < nzip::kMinLevel || level > nzip::kMaxLevel) {
    push_error("level " + std::to_string(level) + " is out of range 1..9");
    return -1;
  }
  const size_t element = H5Tget_size(type);
  if (element == 0) return -1;
  const unsigned stored[4] = {static_cast<unsigned>(level), static_cast<unsigned>(element), nzip::kHdf5FilterVersion,
                              numeric_kind(type, element)};
  return H5Pmodify_filter(dcpl, H5Z_FILTER_NZIP, flags, 4, stored);
}

const H5Z_class2_t kNzipFilter = {
    H5Z_CLASS_T_VERS, static_cast<H5Z_filter_t>(H5Z_FILTER_NZIP), 1, 1, "nzip: lossless compression with learned models", nullptr,
    nzip_set_local,   nzip_filter,
};

}  // namespace

extern "C" {
__attribute__((visibility("default"))) H5PL_type_t H5PLget_plugin_type(void) { return H5PL_TYPE_FILTER; }
__attribute__((visibility("default"))) const void* H5PLget_plugin_info(void) { return &kNzipFilter; }
}
