#include "numeric_layout_options.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "exit_codes.h"

namespace nzip::cli {

void parse_dtype(const std::string& text, NumericLayout& layout) {
  static const std::map<std::string, std::string> names = {
      {"float16", "f2"}, {"float32", "f4"}, {"float64", "f8"}, {"int16", "i2"},  {"int32", "i4"},
      {"int64", "i8"},   {"uint16", "u2"},  {"uint32", "u4"},  {"uint64", "u8"}, {"double", "f8"}, {"float", "f4"}};
  std::string t = text;
  bool big_endian = false;
  if (!t.empty() && (t[0] == '<' || t[0] == '>' || t[0] == '=')) {
    big_endian = t[0] == '>';
    t.erase(0, 1);
  }
  if (const auto it = names.find(t); it != names.end()) t = it->second;
  if (t.size() != 2 || (t[0] != 'f' && t[0] != 'i' && t[0] != 'u') || (t[1] != '2' && t[1] != '4' && t[1] != '8'))
    throw CliError(kExitUsage, "unknown dtype '" + text + "' (expected f4, f8, i2, i4, i8, u2, u4, u8, optionally after < or >)");
  layout.element_bytes = static_cast<uint32_t>(t[1] - '0');
  layout.big_endian = big_endian;
}

NumericLayout read_layout_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CliError(kExitUsage, path + ": cannot read the layout file");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw CliError(kExitUsage, path + ": not a JSON object");
  NumericLayout layout;
  try {
    if (!j.contains("dtype") || !j["dtype"].is_string()) throw CliError(kExitUsage, "no \"dtype\" string");
    parse_dtype(j["dtype"].get<std::string>(), layout);
    if (j.contains("endian")) {
      const std::string endian = j["endian"].get<std::string>();
      if (endian != "little" && endian != "big") throw CliError(kExitUsage, "\"endian\" is neither little nor big");
      layout.big_endian = endian == "big";
    }
    if (j.contains("record_bytes")) {
      layout.record_bytes = j["record_bytes"].get<uint64_t>();
    } else if (j.contains("layout") && j["layout"].is_string() && j["layout"].get<std::string>().starts_with("row-major") &&
               j.contains("shape") && j["shape"].is_array() && j["shape"].size() == 2) {
      layout.record_bytes = j["shape"][1].get<uint64_t>() * layout.element_bytes;
    }
  } catch (const CliError& e) {
    throw CliError(kExitUsage, path + ": " + e.what());
  } catch (const nlohmann::json::exception&) {
    throw CliError(kExitUsage, path + ": a layout field has the wrong type");
  }
  return layout;
}

}  // namespace nzip::cli
