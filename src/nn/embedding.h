// nn/embedding.h — embedding lookup: rows of an int8 table gathered by token id.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::nn {

// out (count, d) = table[ids[i]] for each i, table (vocab, d) int8 row-major. Throws
// nzip::Error(invalid_argument) naming the position when an id is ≥ vocab (nothing is read
// out of bounds; rows before it are already written), or when d or vocab is 0.
void embedding_lookup(const int8_t* table, size_t vocab, size_t d, const uint32_t* ids,
                      size_t count, int8_t* out);

}  // namespace nzip::nn
