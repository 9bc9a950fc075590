// api/numeric_layout.h — checks a caller's NumericLayout and turns it into the codec's hint.
#pragma once

#include "codec/chunk_plan.h"
#include "nzip/nzip.h"

namespace nzip::api {

// Throws nzip::Error(invalid_argument) for an element size other than 0, 2, 4 or 8, a record
// that is not whole elements, or a record of more than cm::kMaxRecordElements elements.
codec::NumericHint numeric_hint(const NumericLayout& layout);

}  // namespace nzip::api
