// The public view of a model file (nzip/model.h) over model/model_file.h.
#include "model/model_file.h"
#include "nzip/model.h"

namespace nzip {
namespace {

ModelInfo to_info(model::ModelSummary s) {
  ModelInfo info;
  info.nzip_model = s.architecture.has_value();
  if (info.nzip_model) {
    info.format_version = s.header.metadata.at("format_version");
    info.architecture = ModelArchitectureInfo{model::architecture_kind_name(s.architecture->kind),
                                              model::architecture_dimensions(*s.architecture)};
  }
  info.parameter_count = s.parameter_count;
  info.file_size = s.file_size;
  info.header_size = s.header_size;
  info.canonical = s.canonical && !s.packed;
  info.packed = s.packed;
  info.raw_size = s.raw_size;
  if (s.packed) info.coding = model::pack_coding_name(s.coding);
  info.id = s.id;
  info.id_hex = model::model_id_hex(s.id);
  for (const auto& t : s.header.tensors) {
    ModelTensorInfo ti;
    ti.name = t.name;
    ti.dtype = model::dtype_name(t.dtype);
    ti.shape = t.shape;
    ti.elements = t.elements();
    ti.bytes = t.end - t.begin;
    ti.scale = info.nzip_model && model::is_scale_name(t.name);
    info.tensors.push_back(std::move(ti));
  }
  info.metadata = std::move(s.header.metadata);
  return info;
}

}  // namespace

ModelInfo model_info(const std::string& path) { return to_info(model::summarize_model_file(path)); }

ModelInfo model_info(std::span<const uint8_t> file) { return to_info(model::summarize_model_bytes(file)); }

std::vector<uint8_t> pack_model(std::span<const uint8_t> file) {
  return model::pack_canonical(model::serialize_model(model::parse_model_bytes(file)));
}

std::vector<uint8_t> unpack_model(std::span<const uint8_t> file) {
  return model::serialize_model(model::parse_model_bytes(file));
}

}  // namespace nzip
