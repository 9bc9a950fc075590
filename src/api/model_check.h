// api/model_check.h — matching a container's model identity with the model the caller gave.
#pragma once

#include <memory>
#include <span>

#include "format/layout.h"
#include "model/transformer.h"
#include "nzip/model.h"

namespace nzip::api {

// The model a container with header `h` decodes with. When the container embeds one
// (`embedded`, the model section's bytes, non-empty), that one: it must be a packed .nzm
// file that loads and whose identity is the header's, else Error(corrupt) (damaged data);
// `given`, when set, must have the same identity (Error(model_mismatch) otherwise) and is
// then not needed. Without an embedded model: `given`, checked by model_for.
std::shared_ptr<const NetworkModel> resolve_model(const format::Header& h, std::span<const uint8_t> embedded,
                                                  const std::shared_ptr<const NetworkModel>& given);

// The built-in default model compression uses at `level` when no model is given and
// --no-model is not (issue 4: a small general model for -8 and -9). This build has none
// yet, so it returns nullptr for every level; compress_stream already asks it, so that
// the model, once built in, is used by default and switched off by CompressOptions::no_model.
std::shared_ptr<const NetworkModel> default_model(int level);

// The model that decodes a container with header `h`: nullptr for the model-free predictor,
// else `given`'s transformer. Throws Error(model_mismatch) naming the expected hash when the
// container needs a model and `given` is null or has another identity.
const model::TransformerModel* model_for(const format::Header& h, const std::shared_ptr<const NetworkModel>& given);

}  // namespace nzip::api
