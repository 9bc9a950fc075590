// apps/nzip/numeric_layout_options.h — the numbers' layout from --dtype, --record and
// --layout (a JSON description such as the sidecars of ../shared/corpus/float).
#pragma once

#include <string>

#include "nzip/nzip.h"

namespace nzip::cli {

// "f4", "<f8", ">i4", "u2" (numpy style: optional < little / > big endian, kind f/i/u, size
// 2, 4 or 8) or "float32", "float64", "int16", … → element size and byte order (little when
// not said). Throws CliError(kExitUsage) for anything else.
void parse_dtype(const std::string& text, NumericLayout& layout);

// Reads a JSON layout description: "dtype" (as parse_dtype, or numpy's names), optional
// "endian" ("little"/"big"), and a record from "record_bytes", or from "shape" [rows, fields]
// when "layout" starts with "row-major". Throws CliError(kExitUsage) naming the file.
NumericLayout read_layout_file(const std::string& path);

}  // namespace nzip::cli
