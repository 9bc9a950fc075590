// train/cross_entropy.h — softmax cross-entropy of the next byte, the float twin of the
// head's softmax_frequencies: logits (n, 256), targets (n) bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nzip::train {

// Σ_t −log2 softmax(logits[t])[target[t]] in bits. When dlogits is not null it receives
// (overwritten, not accumulated) ∂(weight · Σ −ln p)/∂logits = weight·(softmax − onehot).
double cross_entropy_bits(const float* logits, const uint8_t* targets, size_t n, float weight, float* dlogits);

}  // namespace nzip::train
