// api/model_check.h — matching a container's model identity with the model the caller gave.
#pragma once

#include <memory>

#include "format/layout.h"
#include "model/transformer.h"
#include "nzip/model.h"

namespace nzip::api {

// The model that decodes a container with header `h`: nullptr for the model-free predictor,
// else `given`'s transformer. Throws Error(model_mismatch) naming the expected hash when the
// container needs a model and `given` is null or has another identity.
const model::TransformerModel* model_for(const format::Header& h, const std::shared_ptr<const NetworkModel>& given);

}  // namespace nzip::api
