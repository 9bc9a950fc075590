// apps/nzip/h5/h5_type.h — what nzip needs to know about an HDF5 datatype: whether its bytes
// can travel as they are, which numeric layout suits it, its serialised form and its name in
// words. Call with h5_lock() held.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "h5/h5_handle.h"
#include "nzip/nzip.h"

namespace nzip::cli::h5 {

// Why the elements of `type` are not self-contained bytes (variable-length data, strings or
// references hold pointers or file addresses), or nullptr when they are.
const char* unsupported_reason(hid_t type);

// Element size and byte order for integer and float types of 2, 4 or 8 bytes; for compound
// and array types whose every field is such a number of one size and order, with no padding,
// that number and the whole type as the record; else the record of a dataset with rank ≥ 2 is
// its last dimension (one row). element_bytes 0 when none of this applies.
NumericLayout numeric_layout_for(hid_t type, const std::vector<uint64_t>& dims);

// H5Tencode of a transient copy of `type` (a committed type is stored by value). Throws
// Error(invalid_argument) when HDF5 cannot encode it.
std::vector<uint8_t> encode_type(hid_t type);

// H5Tdecode of `bytes`; throws Error(corrupt) when HDF5 cannot decode them.
Handle decode_type(const std::vector<uint8_t>& bytes);

// "float32, little-endian", "int16, big-endian", "compound, 24 bytes", "string, 16 bytes", ...
std::string type_in_words(hid_t type);

}  // namespace nzip::cli::h5
