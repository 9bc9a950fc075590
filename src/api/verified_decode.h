// api/verified_decode.h — decodes one chunk and checks it against its stored checksum.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <vector>

namespace nzip::model {
class TransformerModel;
}

namespace nzip::api {

// Decodes chunk `index` (method, payload) into original_size bytes with the predictor of
// `level` (and `model` for the network methods; nullptr when the container has none) and
// verifies XXH3-64 == checksum. Every failure is an nzip::Error naming the chunk: the
// codec's own errors, out_of_memory, internal, or checksum_mismatch.
std::vector<uint8_t> decode_verified(uint8_t method, std::span<const uint8_t> payload, uint64_t original_size,
                                     uint64_t checksum, int level, uint64_t index,
                                     const model::TransformerModel* model = nullptr);

// Rethrows the failure `e` of decoding chunk `index` as an nzip::Error naming the chunk
// (bad_alloc → out_of_memory, anything else unexpected → internal).
[[noreturn]] void rethrow_for_chunk(std::exception_ptr e, uint64_t index);

// Throws Error(checksum_mismatch) naming chunk `index` when XXH3-64(bytes) != checksum.
void verify_checksum(std::span<const uint8_t> bytes, uint64_t checksum, uint64_t index);

}  // namespace nzip::api
