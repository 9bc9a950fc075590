#include "api/model_check.h"

#include "api/network_model_impl.h"
#include "model/model_pack.h"

namespace nzip::api {

std::shared_ptr<const NetworkModel> resolve_model(const format::Header& h, std::span<const uint8_t> embedded,
                                                  const std::shared_ptr<const NetworkModel>& given) {
  if (embedded.empty()) {
    // A container made with the built-in model needs no --model.
    if (!given && h.predictor == format::kPredictorNetwork && h.model_id == builtin_model()->id()) return builtin_model();
    return given;
  }
  const std::string expected = format::model_name(h);
  if (!model::is_packed_model(embedded))
    throw Error(ErrorCode::corrupt, "embedded model: not a packed .nzm file (damaged container)");
  std::shared_ptr<const NetworkModel> m;
  try {
    m = NetworkModel::load(embedded);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::out_of_memory) throw;
    throw Error(ErrorCode::corrupt, std::string("embedded model: ") + e.what());
  }
  if (m->id() != h.model_id)
    throw Error(ErrorCode::corrupt, "embedded model " + m->id_hex() + " is not the container's model " + expected +
                                        " (damaged container)");
  if (given && given->id() != h.model_id)
    throw Error(ErrorCode::model_mismatch, "the container embeds network model " + expected +
                                               ", but the model given is " + given->id_hex());
  return m;
}

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
