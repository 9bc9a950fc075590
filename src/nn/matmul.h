// nn/matmul.h — int8 × int8 → int32 matrix product over a batch of lanes.
//
//   a    is (lanes, k)  int8, row-major: one activation vector per lane
//   w    is (n, k)      int8, row-major: one weight row per output
//   bias is (n)         int32, or null
//   c    is (lanes, n)  int32, row-major: c[l][j] = bias[j] + Σ_{i<k} a[l][i] · w[j][i]
//
// The sum is exact: |a·w| ≤ 128·128 = 2^14, k ≤ kMatmulMaxK = 2^16 gives |Σ| ≤ 2^30, and
// |bias| < 2^30 keeps the total inside int32. Integer addition is associative, so every
// target (scalar, SSE4, AVX2, AVX-512, AVX-512 VNNI, NEON), tiling and summation order gives
// the same int32; tests/nn_matmul_test.cpp compares every target with matmul_reference.
//
// The fast kernel reads the weights in a packed layout made once (weights do not change
// during inference), the same bytes for every target:
//   PackedWeights::data is (n_blocks, k_groups, 16, 4) int8 with n_blocks = ⌈n/16⌉ and
//   k_groups = ⌈k/4⌉: byte [b][g][r][j] = w[16b + r][4g + j], zero where 16b+r ≥ n or
//   4g+j ≥ k. Sixteen outputs × four inputs is one 64-byte AVX-512 vector, which
//   VPDPBUSD consumes whole: it multiplies unsigned bytes by signed bytes, so the VNNI
//   kernel feeds it a+128 (a XOR 0x80) and subtracts 128·row_sums[j], with row_sums[j] =
//   Σ_i w[j][i]. Wrap-around int32 arithmetic makes that correction exact even where the
//   biased partial sums pass 2^31, since the true result fits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nzip::nn {

constexpr size_t kMatmulMaxK = size_t{1} << 16;
constexpr int32_t kMatmulMaxAbsBias = (int32_t{1} << 30) - 1;
// Rows per packed block and inputs per packed group.
constexpr size_t kPackRows = 16;
constexpr size_t kPackK = 4;

struct PackedWeights {
  size_t n = 0;  // outputs
  size_t k = 0;  // inputs
  size_t n_blocks = 0;
  size_t k_groups = 0;
  std::vector<int8_t> data;       // (n_blocks, k_groups, 16, 4), see above
  std::vector<int32_t> row_sums;  // (n_blocks·16): Σ_i w[j][i], 0 for padding rows
};

// Packs w (n, k) for matmul. Throws nzip::Error(invalid_argument) when n or k is 0 or
// k > kMatmulMaxK.
PackedWeights pack_weights(const int8_t* w, size_t n, size_t k);

// Plain reference: the definition above, one multiply-add at a time. Same argument checks
// as matmul (k, bias range).
void matmul_reference(const int8_t* a, size_t lanes, const int8_t* w, size_t n, size_t k,
                      const int32_t* bias, int32_t* c);

// Fast kernel (dispatched to the current SIMD target, NZIP_SIMD honoured): c = a·wᵀ + bias
// with the shapes above, w given packed. lanes may be 0 (nothing written). Throws
// nzip::Error(invalid_argument) when a bias value is outside ±kMatmulMaxAbsBias, or when
// NZIP_SIMD is bad. a, c and bias must not overlap c.
void matmul(const int8_t* a, size_t lanes, const PackedWeights& w, const int32_t* bias,
            int32_t* c);

}  // namespace nzip::nn
