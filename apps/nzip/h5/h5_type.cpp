#include "h5/h5_type.h"

#include <algorithm>
#include <string>

#include "nzip/error.h"

namespace nzip::cli::h5 {
namespace {

constexpr uint64_t kMaxRecordElements = uint64_t{1} << 16;  // the numeric model's limit

bool is_number(H5T_class_t c) { return c == H5T_INTEGER || c == H5T_FLOAT; }

// True when every leaf of `type` is an integer or float of one size and one byte order and
// the leaves fill the type without padding; `size` and `order` receive them.
bool uniform_numbers(hid_t type, size_t& size, H5T_order_t& order) {
  const H5T_class_t c = H5Tget_class(type);
  if (is_number(c)) {
    const size_t s = H5Tget_size(type);
    const H5T_order_t o = H5Tget_order(type);
    if (size == 0) {
      size = s;
      order = o;
    }
    return s == size && o == order && (o == H5T_ORDER_LE || o == H5T_ORDER_BE);
  }
  if (c == H5T_ARRAY) {
    Handle super(H5Tget_super(type), H5Tclose);
    return super.valid() && uniform_numbers(super.get(), size, order);
  }
  if (c == H5T_COMPOUND) {
    const int n = H5Tget_nmembers(type);
    size_t sum = 0;
    for (int i = 0; i < n; ++i) {
      Handle member(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
      if (!member.valid() || !uniform_numbers(member.get(), size, order)) return false;
      sum += H5Tget_size(member.get());
    }
    return n > 0 && sum == H5Tget_size(type);
  }
  return false;
}

const char* order_name(H5T_order_t o) {
  return o == H5T_ORDER_LE ? "little-endian" : o == H5T_ORDER_BE ? "big-endian" : "mixed byte order";
}

}  // namespace

const char* unsupported_reason(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_VLEN:
      return "a variable-length type";
    case H5T_REFERENCE:
      return "references";
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0 ? "variable-length strings" : nullptr;
    case H5T_ARRAY: {
      Handle super(H5Tget_super(type), H5Tclose);
      return super.valid() ? unsupported_reason(super.get()) : "an unreadable array type";
    }
    case H5T_COMPOUND: {
      const int n = H5Tget_nmembers(type);
      for (int i = 0; i < n; ++i) {
        Handle member(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
        if (!member.valid()) return "an unreadable compound type";
        if (const char* why = unsupported_reason(member.get())) return why;
      }
      return nullptr;
    }
    case H5T_NO_CLASS:
    case H5T_NCLASSES:
      return "an unknown type class";
    default:
      return nullptr;
  }
}

NumericLayout numeric_layout_for(hid_t type, const std::vector<uint64_t>& dims) {
  NumericLayout layout;
  size_t size = 0;
  H5T_order_t order = H5T_ORDER_NONE;
  if (!uniform_numbers(type, size, order) || (size != 2 && size != 4 && size != 8)) return layout;
  layout.element_bytes = static_cast<uint32_t>(size);
  layout.big_endian = order == H5T_ORDER_BE;
  const uint64_t type_size = H5Tget_size(type);
  uint64_t record = 0;
  if (type_size > size) record = type_size;  // a compound or array: one element is a record
  else if (dims.size() >= 2 && dims.back() > 1) record = dims.back() * size;  // a row
  if (record / size <= kMaxRecordElements) layout.record_bytes = record;
  return layout;
}

std::vector<uint8_t> encode_type(hid_t type) {
  Handle copy(H5Tcopy(type), H5Tclose);
  size_t n = 0;
  if (!copy.valid() || H5Tencode(copy.get(), nullptr, &n) < 0 || n == 0)
    throw Error(ErrorCode::invalid_argument, "HDF5 cannot serialise the dataset's datatype: " + h5_error_text());
  std::vector<uint8_t> bytes(n);
  if (H5Tencode(copy.get(), bytes.data(), &n) < 0 || n != bytes.size())
    throw Error(ErrorCode::invalid_argument, "HDF5 cannot serialise the dataset's datatype: " + h5_error_text());
  return bytes;
}

Handle decode_type(const std::vector<uint8_t>& bytes) {
  // H5Tdecode takes no buffer size (HDF5 1.10): the section's checksum catches damage, and
  // zero padding keeps a short, inconsistent blob from reading past our buffer.
  std::vector<uint8_t> padded(bytes.size() + 4096, 0);
  std::copy(bytes.begin(), bytes.end(), padded.begin());
  Handle type(H5Tdecode(padded.data()), H5Tclose);
  if (!type.valid()) throw Error(ErrorCode::corrupt, "the dataset's datatype does not decode: " + h5_error_text());
  // Canonical: the type must encode back to the very bytes stored (nothing ignored or padded).
  size_t n = 0;
  if (H5Tencode(type.get(), nullptr, &n) < 0 || n != bytes.size())
    throw Error(ErrorCode::corrupt, "the dataset's datatype is not in HDF5's own encoding");
  std::vector<uint8_t> again(n);
  if (H5Tencode(type.get(), again.data(), &n) < 0 || again != bytes)
    throw Error(ErrorCode::corrupt, "the dataset's datatype is not in HDF5's own encoding");
  return type;
}

std::string type_in_words(hid_t type) {
  const size_t size = H5Tget_size(type);
  const std::string bytes = std::to_string(size) + " bytes";
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(8 * size) + ", " +
             order_name(H5Tget_order(type));
    case H5T_FLOAT:
      return "float" + std::to_string(8 * size) + ", " + order_name(H5Tget_order(type));
    case H5T_COMPOUND:
      return "compound of " + std::to_string(H5Tget_nmembers(type)) + " fields, " + bytes;
    case H5T_ARRAY:
      return "array, " + bytes;
    case H5T_STRING:
      return "string, " + bytes;
    case H5T_ENUM:
      return "enum, " + bytes;
    case H5T_BITFIELD:
      return "bitfield, " + bytes;
    case H5T_OPAQUE:
      return "opaque, " + bytes;
    default:
      return "HDF5 type, " + bytes;
  }
}

}  // namespace nzip::cli::h5
