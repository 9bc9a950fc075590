#include "model/dtype.h"

#include <array>

namespace nzip::model {
namespace {

struct DTypeRow {
  DType type;
  const char* name;
  unsigned size;
  bool integer;
};

constexpr std::array<DTypeRow, 15> kTypes{{
    {DType::BOOL, "BOOL", 1, true},     {DType::U8, "U8", 1, true},
    {DType::I8, "I8", 1, true},         {DType::F8_E5M2, "F8_E5M2", 1, false},
    {DType::F8_E4M3, "F8_E4M3", 1, false}, {DType::I16, "I16", 2, true},
    {DType::U16, "U16", 2, true},       {DType::F16, "F16", 2, false},
    {DType::BF16, "BF16", 2, false},    {DType::I32, "I32", 4, true},
    {DType::U32, "U32", 4, true},       {DType::F32, "F32", 4, false},
    {DType::F64, "F64", 8, false},      {DType::I64, "I64", 8, true},
    {DType::U64, "U64", 8, true},
}};

const DTypeRow& row(DType t) noexcept { return kTypes[static_cast<size_t>(t)]; }

}  // namespace

std::optional<DType> dtype_from_name(std::string_view name) noexcept {
  for (const auto& r : kTypes) {
    if (name == r.name) return r.type;
  }
  return std::nullopt;
}

const char* dtype_name(DType t) noexcept { return row(t).name; }
unsigned dtype_size(DType t) noexcept { return row(t).size; }
bool dtype_is_integer(DType t) noexcept { return row(t).integer; }

}  // namespace nzip::model
