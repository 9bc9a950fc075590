#include "nn/embedding.h"

#include <cstring>
#include <string>

#include "nzip/error.h"

namespace nzip::nn {

void embedding_lookup(const int8_t* table, size_t vocab, size_t d, const uint32_t* ids,
                      size_t count, int8_t* out) {
  if (vocab == 0 || d == 0) throw Error(ErrorCode::invalid_argument, "embedding: empty table");
  for (size_t i = 0; i < count; ++i) {
    if (ids[i] >= vocab)
      throw Error(ErrorCode::invalid_argument, "embedding: token id " + std::to_string(ids[i]) +
                                                   " at position " + std::to_string(i) +
                                                   " outside a vocabulary of " + std::to_string(vocab));
    std::memcpy(out + i * d, table + size_t{ids[i]} * d, d);
  }
}

}  // namespace nzip::nn
