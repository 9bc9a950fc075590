#include "api/model_check.h"

#include "api/network_model_impl.h"

namespace nzip::api {

const model::TransformerModel* model_for(const format::Header& h, const std::shared_ptr<const NetworkModel>& given) {
  if (h.predictor != format::kPredictorNetwork) return nullptr;
  const std::string expected = format::model_name(h);
  if (!given)
    throw Error(ErrorCode::model_mismatch,
                "compressed with network model " + expected + "; decoding needs that model (--model FILE.nzm)");
  if (given->id() != h.model_id)
    throw Error(ErrorCode::model_mismatch,
                "compressed with network model " + expected + ", but the model given is " + given->id_hex());
  return &given->impl().transformer;
}

}  // namespace nzip::api
