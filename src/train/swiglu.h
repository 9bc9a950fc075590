// train/swiglu.h — the SwiGLU gate in two steps, so that quantisation-aware training can
// round between them exactly where the integer engine rounds (SiLU table output, then the
// gated product): a = silu(g) = g·σ(g), then h = a·u. Shapes: all (n) elementwise.
#pragma once

#include <cstddef>

namespace nzip::train {

void silu_forward(const float* g, size_t n, float* a);
// dg += da · silu'(g),  silu'(g) = σ(g)·(1 + g·(1 − σ(g))).
void silu_backward(const float* g, const float* da, size_t n, float* dg);

void gate_forward(const float* a, const float* u, size_t n, float* h);
// da += dh·u, du += dh·a.
void gate_backward(const float* a, const float* u, const float* dh, size_t n, float* da, float* du);

}  // namespace nzip::train
