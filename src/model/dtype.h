// model/dtype.h — the element types of safetensors tensors (docs/MODEL_FORMAT.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nzip::model {

// Every fixed-size dtype of the safetensors format. Sub-byte types (F4, F6_*) are not
// accepted: their byte size is not shape × a whole number of bytes.
enum class DType : uint8_t { BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

// The dtype named `name` exactly as safetensors spells it ("I8", "BF16", ...), or nullopt.
std::optional<DType> dtype_from_name(std::string_view name) noexcept;

// The safetensors spelling of `t`.
const char* dtype_name(DType t) noexcept;

// Bytes per element (1, 2, 4 or 8).
unsigned dtype_size(DType t) noexcept;

// Integer types (signed, unsigned and BOOL): what an nzip model may hold, since everything
// that feeds the coder is integer arithmetic (DESIGN.md, invariant 1).
bool dtype_is_integer(DType t) noexcept;

}  // namespace nzip::model
