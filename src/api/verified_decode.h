// api/verified_decode.h — decodes one chunk and checks it against its stored checksum.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nzip::api {

// Decodes chunk `index` (method, payload) into original_size bytes with the predictor of
// `level` and verifies XXH3-64 == checksum. Every failure is an nzip::Error naming the
// chunk: the codec's own errors, out_of_memory, internal, or checksum_mismatch.
std::vector<uint8_t> decode_verified(uint8_t method, std::span<const uint8_t> payload, uint64_t original_size,
                                     uint64_t checksum, int level, uint64_t index);

}  // namespace nzip::api
