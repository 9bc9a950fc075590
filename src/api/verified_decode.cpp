#include "api/verified_decode.h"

#include <new>
#include <string>

#include "codec/chunk_codec.h"
#include "codec/network_codec.h"
#include "core/hash.h"
#include "nzip/error.h"

namespace nzip::api {

void rethrow_for_chunk(std::exception_ptr e, uint64_t index) {
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    if (err.chunk()) throw;
    throw Error(err.code(), err.what(), index);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory, "out of memory decoding", index);
  } catch (const std::exception& err) {
    throw Error(ErrorCode::internal, std::string("decoder failed: ") + err.what(), index);
  }
}

void verify_checksum(std::span<const uint8_t> bytes, uint64_t checksum, uint64_t index) {
  if (core::xxh3_64(bytes) != checksum)
    throw Error(ErrorCode::checksum_mismatch, "decoded bytes do not match the stored checksum", index);
}

std::vector<uint8_t> decode_verified(uint8_t method, std::span<const uint8_t> payload, uint64_t original_size,
                                     uint64_t checksum, int level, uint64_t index,
                                     const model::TransformerModel* model) {
  std::vector<uint8_t> out;
  try {
    out.resize(original_size);
    const auto m = static_cast<codec::Method>(method);
    if (model != nullptr && (codec::needs_network(m))) {
      codec::NetworkLane lane{m, payload, out, nullptr};
      codec::decode_network_lanes(*model, level, std::span<codec::NetworkLane>(&lane, 1));
      if (lane.error) std::rethrow_exception(lane.error);
    } else {
      codec::decode_chunk(m, payload, out, level);
    }
  } catch (...) {
    rethrow_for_chunk(std::current_exception(), index);
  }
  verify_checksum(out, checksum, index);
  return out;
}

}  // namespace nzip::api
