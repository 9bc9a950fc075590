// inspect and decompress_chunk: random access to a container held in memory, through the
// footer and the index (format::ContainerView).
#include <string>

#include "api/model_check.h"
#include "api/verified_decode.h"
#include "codec/chunk_codec.h"
#include "format/container_view.h"
#include "nzip/nzip.h"

namespace nzip {

namespace {

// The plan of a chunk of methods 4-6 in words; listing never decodes, so a damaged plan
// header is shown, not thrown.
std::string plan_of(uint8_t method, std::span<const uint8_t> payload) {
  const auto m = static_cast<codec::Method>(method);
  if (m != codec::Method::cm_planned && !codec::is_planned_network(m)) return "";
  try {
    return codec::describe_plan(codec::read_plan_header(payload));
  } catch (const Error&) {
    return "damaged plan header";
  }
}

}  // namespace

ContainerInfo inspect(std::span<const uint8_t> container) {
  format::ContainerView view(container);
  ContainerInfo info;
  const format::Header& h = view.header();
  info.format_version = uint32_t{h.version_major} * 100 + h.version_minor;
  info.level = h.level;
  info.predictor = h.predictor;
  info.chunk_size = h.chunk_size;
  info.model = format::model_name(h);
  info.embedded_model_size = view.embedded_model().size();
  info.dataset = view.dataset();
  info.original_size = view.total_original_size();
  info.compressed_size = view.size();
  info.chunks.reserve(view.entries().size());
  for (size_t i = 0; i < view.entries().size(); ++i) {
    const format::IndexEntry& e = view.entries()[i];
    info.chunks.push_back({e.offset, e.payload_size, e.original_size, e.checksum, e.method, plan_of(e.method, view.payload(i))});
  }
  return info;
}

std::vector<uint8_t> decompress_chunk(std::span<const uint8_t> container, uint64_t index,
                                      const DecompressOptions& options) {
  format::ContainerView view(container);
  const std::shared_ptr<const NetworkModel> resolved =
      api::resolve_model(view.header(), view.embedded_model(), options.model);
  const model::TransformerModel* model = api::model_for(view.header(), resolved);
  if (index >= view.entries().size())
    throw Error(ErrorCode::invalid_argument, "chunk " + std::to_string(index) + " does not exist (the container has " +
                                                 std::to_string(view.entries().size()) + " chunks)");
  const format::IndexEntry& e = view.entries()[index];
  return api::decode_verified(e.method, view.payload(index), e.original_size, e.checksum, view.header().level, index, model);
}

}  // namespace nzip
