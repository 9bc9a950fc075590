// train/linear.h — float linear layer without bias, the twin of nn::matmul's layout:
//   y (n, out) = x (n, in) · Wᵀ,   W (out, in) row-major.
// Backward: dx (n, in) += dy·W, dW (out, in) += dyᵀ·x. Every sum is taken in a fixed order,
// so results are reproducible, and the loops vectorise without -ffast-math.
#pragma once

#include <cstddef>

namespace nzip::train {

// Σ a_i·b_i over n floats, eight interleaved partial sums added in a fixed order.
float dot(const float* a, const float* b, size_t n);

void linear_forward(const float* x, size_t n, size_t in, const float* W, size_t out, float* y);

// dx may be nullptr (the input needs no gradient, e.g. when it is data).
void linear_backward(const float* dy, const float* x, size_t n, size_t in, const float* W, size_t out, float* dx,
                     float* dW);

}  // namespace nzip::train
