// nn/silu_products.h — the gate products of SwiGLU: p_i = silu[uint8(a_i)]·b_i in int32
// (|p_i| ≤ 2^14), for swiglu_fast (activation.h). The fast version is dispatched per SIMD
// target (NZIP_SIMD honoured) and gives the reference's numbers on every target.
#pragma once

#include <cstddef>
#include <cstdint>

#include "nn/activation.h"

namespace nzip::nn {

void silu_products_reference(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t* p);
void silu_products(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t* p);

}  // namespace nzip::nn
