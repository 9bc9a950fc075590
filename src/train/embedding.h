// train/embedding.h — float byte embedding plus the optional position-in-element embedding,
// the float twin of TransformerModel::embed:
//   x[t] = E[token[t]] + P[t mod period]          (P absent when period = 0)
// Shapes: tokens, pos (n); E (256, d); P (period, d); x (n, d).
// Backward accumulates (+=) into dE and dP, as every backward in src/train does.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::train {

void embedding_forward(const uint8_t* tokens, const uint32_t* pos, size_t n, size_t d, const float* E,
                       const float* P, uint32_t period, float* x);

void embedding_backward(const uint8_t* tokens, const uint32_t* pos, size_t n, size_t d, const float* dx,
                        float* dE, float* dP, uint32_t period);

}  // namespace nzip::train
