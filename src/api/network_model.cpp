// nzip::NetworkModel (nzip/model.h): loading a model for the predictor.
#include "api/network_model_impl.h"

namespace nzip {

namespace api {
std::shared_ptr<const NetworkModel> make_network_model(const model::ModelFile& file) {
  if (!file.is_nzip_model()) throw Error(ErrorCode::bad_magic, "not an nzip model (plain safetensors file)");
  return std::make_shared<const NetworkModel>(std::make_unique<NetworkModel::Impl>(file));
}
}  // namespace api

NetworkModel::NetworkModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)), id_(impl_->transformer.id()) {}

NetworkModel::~NetworkModel() = default;

std::shared_ptr<const NetworkModel> NetworkModel::load(const std::string& path) {
  return api::make_network_model(model::load_nzip_model(path));
}

std::shared_ptr<const NetworkModel> NetworkModel::load(std::span<const uint8_t> file) {
  return api::make_network_model(model::parse_model_bytes(file));
}

std::string NetworkModel::id_hex() const { return model::model_id_hex(id_); }

uint64_t NetworkModel::parameter_count() const noexcept { return impl_->parameters; }

uint64_t NetworkModel::weight_bytes() const noexcept {
  // int8 weights, packed once; the small gain and scale vectors are left out.
  return impl_->parameters;
}

}  // namespace nzip
