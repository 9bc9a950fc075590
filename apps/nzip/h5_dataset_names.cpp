// The default output names of nzip --dataset, and the shape in words (no HDF5 needed).
#include <string>

#include "h5_dataset.h"

namespace nzip::cli {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string dataset_container_name(const std::string& path, const std::string& name) {
  std::string base = path, ext = ".h5";
  for (const char* e : {".h5", ".hdf5", ".he5", ".hdf", ".H5", ".HDF5"}) {
    if (ends_with(path, e)) {
      ext = e;
      base = path.substr(0, path.size() - ext.size());
      break;
    }
  }
  // '/' becomes '.', and empty components vanish, so the name stays in the file's folder.
  std::string flat;
  for (char c : name) {
    if (c == '/') {
      if (!flat.empty() && flat.back() != '.') flat += '.';
    } else {
      flat += c;
    }
  }
  while (!flat.empty() && flat.back() == '.') flat.pop_back();
  return base + "." + flat + ext + ".nz";
}

std::string describe_shape(const DatasetInfo& info) {
  if (info.dims.empty()) return "() scalar";
  std::string s = "(";
  for (size_t i = 0; i < info.dims.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(info.dims[i]);
  }
  return s + ")";
}

}  // namespace nzip::cli
