// api/network_model_impl.h — what a public nzip::NetworkModel holds: the packed transformer.
#pragma once

#include <memory>

#include "model/model_file.h"
#include "model/transformer.h"
#include "nzip/model.h"

namespace nzip {

struct NetworkModel::Impl {
  explicit Impl(const model::ModelFile& file) : transformer(file), parameters(file.parameter_count()) {}
  model::TransformerModel transformer;
  uint64_t parameters;
};

namespace api {
// A NetworkModel from a parsed model file (tests build random ones in memory). Throws
// Error(bad_magic) when the file is not an nzip model, Error(corrupt) when its tensors do
// not fit the architecture.
std::shared_ptr<const NetworkModel> make_network_model(const model::ModelFile& file);
}  // namespace api

}  // namespace nzip
