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
// then not needed. Without an embedded model: `given`, or the built-in model when nothing is
// given and the container names it; model_for checks the result.
std::shared_ptr<const NetworkModel> resolve_model(const format::Header& h, std::span<const uint8_t> embedded,
                                                  const std::shared_ptr<const NetworkModel>& given);

// The built-in default model (models/default.nzm compiled in; api/default_model.cpp), and
// its packed .nzm bytes.
std::shared_ptr<const NetworkModel> builtin_model();
std::span<const uint8_t> builtin_model_bytes();

// The model compression uses at `level` when no model is given and no_model is not set:
// the built-in model at levels 8 and 9, none below (pure context mixing stays fast).
std::shared_ptr<const NetworkModel> default_model(int level);

// The model that decodes a container with header `h`: nullptr for the model-free predictor,
// else `given`'s transformer. Throws Error(model_mismatch) naming the expected hash when the
// container needs a model and `given` is null or has another identity.
const model::TransformerModel* model_for(const format::Header& h, const std::shared_ptr<const NetworkModel>& given);

}  // namespace nzip::api
