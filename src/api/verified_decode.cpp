#include "api/verified_decode.h"

#include <new>
#include <string>

#include "codec/chunk_codec.h"
#include "core/hash.h"
#include "nzip/error.h"

namespace nzip::api {

std::vector<uint8_t> decode_verified(uint8_t method, std::span<const uint8_t> payload, uint64_t original_size,
                                     uint64_t checksum, int level, uint64_t index) {
  std::vector<uint8_t> out;
  try {
    out.resize(original_size);
    codec::decode_chunk(static_cast<codec::Method>(method), payload, out, level);
  } catch (const Error& e) {
    if (e.chunk()) throw;
    throw Error(e.code(), e.what(), index);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory, "out of memory decoding", index);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::internal, std::string("decoder failed: ") + e.what(), index);
  }
  if (core::xxh3_64(out) != checksum)
    throw Error(ErrorCode::checksum_mismatch, "decoded bytes do not match the stored checksum", index);
  return out;
}

}  // namespace nzip::api
