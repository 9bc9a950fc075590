// Temporary: stored-only until the context-mixing codec lands (same session).
#include "codec/chunk_codec.h"

#include <cstring>

#include "nzip/error.h"

namespace nzip::codec {

EncodedChunk encode_chunk(std::span<const uint8_t> in, int) {
  return {Method::stored, std::vector<uint8_t>(in.begin(), in.end())};
}

void decode_chunk(Method method, std::span<const uint8_t> payload, std::span<uint8_t> out, int) {
  if (method != Method::stored || payload.size() != out.size())
    throw Error(ErrorCode::corrupt, "bad stored chunk");
  if (!out.empty()) std::memcpy(out.data(), payload.data(), out.size());
}

uint64_t codec_memory(int) { return 0; }

}  // namespace nzip::codec
