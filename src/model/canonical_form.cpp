#include "model/canonical_form.h"

#include <algorithm>
#include <numeric>

namespace nzip::model {

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  out += '"';
}

CanonicalLayout canonical_layout(std::span<const TensorDesc> tensors, const std::map<std::string, std::string>& metadata) {
  CanonicalLayout layout;
  layout.data_order.resize(tensors.size());
  std::iota(layout.data_order.begin(), layout.data_order.end(), size_t{0});
  // Tensors come sorted by name; a stable sort by element size keeps name order within a size.
  std::stable_sort(layout.data_order.begin(), layout.data_order.end(),
                   [&](size_t a, size_t b) { return dtype_size(tensors[a].dtype) > dtype_size(tensors[b].dtype); });
  layout.offsets.assign(tensors.size(), 0);
  uint64_t at = 0;
  for (size_t i : layout.data_order) {
    layout.offsets[i] = at;
    at += tensors[i].size;
  }

  // Object keys in byte order: "__metadata__" takes its place among the tensor names.
  std::string& h = layout.header;
  h += '{';
  bool first = true;
  auto comma = [&] {
    if (!first) h += ',';
    first = false;
  };
  auto put_metadata = [&] {
    comma();
    h += "\"__metadata__\":{";
    bool first_entry = true;
    for (const auto& [k, v] : metadata) {
      if (!first_entry) h += ',';
      first_entry = false;
      append_json_string(h, k);
      h += ':';
      append_json_string(h, v);
    }
    h += '}';
  };
  bool metadata_done = metadata.empty();
  const std::string_view meta_key = "__metadata__";
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorDesc& t = tensors[i];
    if (!metadata_done && meta_key < t.name) {
      put_metadata();
      metadata_done = true;
    }
    comma();
    append_json_string(h, t.name);
    h += ":{\"data_offsets\":[";
    h += std::to_string(layout.offsets[i]);
    h += ',';
    h += std::to_string(layout.offsets[i] + t.size);
    h += "],\"dtype\":\"";
    h += dtype_name(t.dtype);
    h += "\",\"shape\":[";
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (d) h += ',';
      h += std::to_string(t.shape[d]);
    }
    h += "]}";
  }
  if (!metadata_done) put_metadata();
  h += '}';
  while (h.size() % 8 != 0) h += ' ';
  return layout;
}

std::string model_id_hex(const ModelId& id) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (uint8_t b : id) {
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

}  // namespace nzip::model
