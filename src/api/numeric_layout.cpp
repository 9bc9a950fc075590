#include "api/numeric_layout.h"

#include <string>

#include "cm/level_config.h"
#include "nzip/error.h"

namespace nzip::api {

codec::NumericHint numeric_hint(const NumericLayout& layout) {
  codec::NumericHint hint;
  const uint32_t e = layout.element_bytes;
  if (e == 0) {
    if (layout.record_bytes != 0)
      throw Error(ErrorCode::invalid_argument, "a record size needs an element size (a dtype) too");
    return hint;
  }
  if (e != 2 && e != 4 && e != 8)
    throw Error(ErrorCode::invalid_argument, "element size " + std::to_string(e) + " is not 2, 4 or 8 bytes");
  if (layout.record_bytes % e != 0)
    throw Error(ErrorCode::invalid_argument, "record size " + std::to_string(layout.record_bytes) +
                                                 " is not a whole number of " + std::to_string(e) + "-byte elements");
  if (layout.record_bytes / e > cm::kMaxRecordElements)
    throw Error(ErrorCode::invalid_argument, "record size " + std::to_string(layout.record_bytes) + " exceeds " +
                                                 std::to_string(cm::kMaxRecordElements) + " elements");
  hint.element_bytes = e;
  hint.big_endian = layout.big_endian;
  hint.record_elements = static_cast<uint32_t>(layout.record_bytes / e);
  return hint;
}

}  // namespace nzip::api
