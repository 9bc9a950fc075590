// nn/matmul.cpp — the int8 matrix product (see matmul.h), compiled once per Highway target.
//
// Kernels by target (all exact, all compared with matmul_reference by the tests):
//   SCALAR       the reference loop over the packed layout;
//   SSE4, NEON   i8 → i32 widening, 32-bit multiply, 4 partial sums per output;
//   AVX2, AVX3   i8 → i16 widening, PMADDWD (pairs of products into int32), 2 partial sums;
//   AVX3_DL      VPDPBUSD (AVX-512 VNNI): 4 products per int32 lane, u8 activations.
#include "nn/matmul.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "nn/simd_target.h"
#include "nzip/error.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/matmul.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#if HWY_TARGET == HWY_AVX3_DL
#include <immintrin.h>
#endif

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr size_t kBlockBytes = kPackRows * kPackK;  // 64

// Writes the 16 sums of block `blk` (outputs 16·blk …) to c_row, adding bias, skipping
// padding rows past n.
inline void FinishBlock(const int32_t* sums, size_t blk, size_t n, const int32_t* bias,
                        int32_t* c_row) {
  const size_t n0 = blk * kPackRows;
  const size_t m = std::min(kPackRows, n - n0);
  for (size_t r = 0; r < m; ++r) c_row[n0 + r] = sums[r] + (bias != nullptr ? bias[n0 + r] : 0);
}

#if HWY_TARGET == HWY_SCALAR

void MatmulImpl(const int8_t* a, size_t lanes, size_t k, const int8_t* packed,
                const int32_t* /*row_sums*/, size_t n, size_t n_blocks, size_t k_groups,
                const int32_t* bias, int32_t* c) {
  for (size_t l = 0; l < lanes; ++l) {
    const int8_t* al = a + l * k;
    for (size_t b = 0; b < n_blocks; ++b) {
      int32_t sums[kPackRows] = {};
      const int8_t* wb = packed + b * k_groups * kBlockBytes;
      for (size_t i = 0; i < k; ++i) {
        const int8_t* wg = wb + (i / kPackK) * kBlockBytes + i % kPackK;
        for (size_t r = 0; r < kPackRows; ++r) sums[r] += int32_t{al[i]} * wg[r * kPackK];
      }
      FinishBlock(sums, b, n, bias, c + l * n);
    }
  }
}

#elif HWY_TARGET == HWY_AVX3_DL

// u8 activations (a XOR 0x80), k padded to whole groups.
thread_local std::vector<uint8_t> tl_act;

// acc += a · w by VPDPBUSD, written as in-place asm: with the intrinsic, GCC 12 copied every
// accumulator of a tile to another register (and some to the stack) each k-group, which
// left the kernel at ~55% of the register-only loop's rate.
__attribute__((target("avx512vnni"), always_inline)) inline __m512i Dpbusd(__m512i acc, __m512i a, __m512i w) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(w));
  return acc;
}

template <size_t Lb, size_t Nb>
__attribute__((target("avx512vnni"))) inline void VnniTile(
    const uint8_t* act, size_t kpad, const int8_t* packed, const int32_t* row_sums, size_t n,
    size_t k_groups, size_t l0, size_t b0, const int32_t* bias, int32_t* c) {
  __m512i acc[Lb][Nb];
  for (size_t i = 0; i < Lb; ++i)
    for (size_t j = 0; j < Nb; ++j) acc[i][j] = _mm512_setzero_si512();
  const size_t wstride = k_groups * kBlockBytes;
  const int8_t* wb = packed + b0 * wstride;
  for (size_t g = 0; g < k_groups; ++g) {
    __m512i wv[Nb];
    for (size_t j = 0; j < Nb; ++j) wv[j] = _mm512_loadu_si512(wb + j * wstride + g * kBlockBytes);
    for (size_t i = 0; i < Lb; ++i) {
      int32_t a4;
      std::memcpy(&a4, act + (l0 + i) * kpad + g * kPackK, sizeof a4);
      const __m512i av = _mm512_set1_epi32(a4);
      for (size_t j = 0; j < Nb; ++j) acc[i][j] = Dpbusd(acc[i][j], av, wv[j]);
    }
  }
  for (size_t j = 0; j < Nb; ++j) {
    const size_t blk = b0 + j;
    const __m512i corr = _mm512_slli_epi32(_mm512_loadu_si512(row_sums + blk * kPackRows), 7);
    const bool full = (blk + 1) * kPackRows <= n;
    __m512i bv = _mm512_setzero_si512();
    if (bias != nullptr && full) bv = _mm512_loadu_si512(bias + blk * kPackRows);
    for (size_t i = 0; i < Lb; ++i) {
      const __m512i s = _mm512_add_epi32(_mm512_sub_epi32(acc[i][j], corr), bv);
      int32_t* c_row = c + (l0 + i) * n;
      if (full) {
        _mm512_storeu_si512(c_row + blk * kPackRows, s);
      } else {
        alignas(64) int32_t sums[kPackRows];
        _mm512_store_si512(sums, s);
        FinishBlock(sums, blk, n, bias, c_row);
      }
    }
  }
}

// Lanes [l0, l0 + Lb) × blocks [b0, b1), in tiles of Nb blocks.
template <size_t Lb, size_t Nb>
void VnniLanes(const uint8_t* act, size_t kpad, const int8_t* packed, const int32_t* row_sums,
               size_t n, size_t b0, size_t b1, size_t k_groups, size_t l0, const int32_t* bias,
               int32_t* c) {
  size_t b = b0;
  for (; b + Nb <= b1; b += Nb)
    VnniTile<Lb, Nb>(act, kpad, packed, row_sums, n, k_groups, l0, b, bias, c);
  for (; b < b1; ++b)
    VnniTile<Lb, 1>(act, kpad, packed, row_sums, n, k_groups, l0, b, bias, c);
}

// Output blocks per panel: every lane tile runs over one panel before the next, so a
// panel's weights come from memory once per call and from cache for the other lane tiles
// (a decoder step's weights do not fit in L2). A multiple of every tile's width.
constexpr size_t kPanelBlocks = 8;

void MatmulImpl(const int8_t* a, size_t lanes, size_t k, const int8_t* packed,
                const int32_t* row_sums, size_t n, size_t n_blocks, size_t k_groups,
                const int32_t* bias, int32_t* c) {
  const size_t kpad = k_groups * kPackK;
  tl_act.assign(lanes * kpad, 0x80);
  // Through a local pointer: writes through the thread_local vector's own would make the
  // compiler reload its data pointer every byte (no vectorisation).
  uint8_t* act = tl_act.data();
  for (size_t l = 0; l < lanes; ++l)
    for (size_t i = 0; i < k; ++i) act[l * kpad + i] = static_cast<uint8_t>(static_cast<uint8_t>(a[l * k + i]) ^ 0x80u);
  // Tiles of lanes × 16-output blocks sized to the 32 vector registers (accumulators, one
  // weight vector per block, the broadcast activation); the last one to three lanes share
  // their weight loads too instead of streaming every weight once per lane.
  for (size_t b0 = 0; b0 < n_blocks; b0 += kPanelBlocks) {
    const size_t b1 = std::min(b0 + kPanelBlocks, n_blocks);
    size_t l = 0;
    for (; l + 4 <= lanes; l += 4) VnniLanes<4, 4>(act, kpad, packed, row_sums, n, b0, b1, k_groups, l, bias, c);
    if (lanes - l == 3) VnniLanes<3, 4>(act, kpad, packed, row_sums, n, b0, b1, k_groups, l, bias, c);
    if (lanes - l == 2) VnniLanes<2, 8>(act, kpad, packed, row_sums, n, b0, b1, k_groups, l, bias, c);
    if (lanes - l == 1) VnniLanes<1, 8>(act, kpad, packed, row_sums, n, b0, b1, k_groups, l, bias, c);
  }
}

#elif HWY_ARCH_X86 && (HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3)

// PMADDWD path. Activations are widened to int16 with each group of four repeated to fill a
// 128-bit block ([a0 a1 a2 a3 a0 a1 a2 a3]), so LoadDup128 gives the pattern that lines
// up with 4 (AVX2) or 8 (AVX3) packed rows of one group. ReorderWidenMulAccumulate on
// int16 is exactly PMADDWD on x86 (int32 lane m = p[2m] + p[2m+1]), so int32 lane 2r+h of
// a block holds row r's products for inputs 2h, 2h+1 of the group.
thread_local std::vector<int16_t> tl_act16;

template <size_t Lb>
void MaddLanes(const int16_t* act, size_t kdup, const int8_t* packed, size_t n,
               size_t n_blocks, size_t k_groups, size_t l0, const int32_t* bias, int32_t* c) {
  const hn::ScalableTag<int16_t> d16;
  const hn::Repartition<int32_t, decltype(d16)> d32;
  const hn::Rebind<int8_t, decltype(d16)> d8;
  constexpr size_t L16 = HWY_LANES(int16_t);
  constexpr size_t V = kBlockBytes / L16;  // vectors per group: 4 (AVX2) or 2 (AVX3)
  using V32 = hn::Vec<decltype(d32)>;
  for (size_t b = 0; b < n_blocks; ++b) {
    const int8_t* wb = packed + b * k_groups * kBlockBytes;
    V32 acc[Lb][V];
    for (size_t i = 0; i < Lb; ++i)
      for (size_t v = 0; v < V; ++v) acc[i][v] = hn::Zero(d32);
    for (size_t g = 0; g < k_groups; ++g) {
      hn::Vec<decltype(d16)> wv[V];
      for (size_t v = 0; v < V; ++v)
        wv[v] = hn::PromoteTo(d16, hn::LoadU(d8, wb + g * kBlockBytes + v * L16));
      for (size_t i = 0; i < Lb; ++i) {
        const auto av = hn::LoadDup128(d16, act + (l0 + i) * kdup + g * 8);
        for (size_t v = 0; v < V; ++v) {
          V32 unused = hn::Zero(d32);
          acc[i][v] = hn::ReorderWidenMulAccumulate(d32, wv[v], av, acc[i][v], unused);
        }
      }
    }
    for (size_t i = 0; i < Lb; ++i) {
      HWY_ALIGN int32_t pairs[2 * kPackRows];
      for (size_t v = 0; v < V; ++v) hn::Store(acc[i][v], d32, pairs + v * (L16 / 2));
      int32_t sums[kPackRows];
      for (size_t r = 0; r < kPackRows; ++r) sums[r] = pairs[2 * r] + pairs[2 * r + 1];
      FinishBlock(sums, b, n, bias, c + (l0 + i) * n);
    }
  }
}

void MatmulImpl(const int8_t* a, size_t lanes, size_t k, const int8_t* packed,
                const int32_t* /*row_sums*/, size_t n, size_t n_blocks, size_t k_groups,
                const int32_t* bias, int32_t* c) {
  const size_t kdup = k_groups * 8;
  tl_act16.assign(lanes * kdup, 0);
  int16_t* act = tl_act16.data();  // a local pointer, as in the VNNI path
  for (size_t l = 0; l < lanes; ++l)
    for (size_t i = 0; i < k; ++i) {
      const size_t at = l * kdup + (i / kPackK) * 8 + i % kPackK;
      act[at] = act[at + kPackK] = a[l * k + i];
    }
  size_t l = 0;
  constexpr size_t kLb = HWY_LANES(int16_t) >= 32 ? 4 : 2;
  for (; l + kLb <= lanes; l += kLb)
    MaddLanes<kLb>(tl_act16.data(), kdup, packed, n, n_blocks, k_groups, l, bias, c);
  for (; l < lanes; ++l)
    MaddLanes<1>(tl_act16.data(), kdup, packed, n, n_blocks, k_groups, l, bias, c);
}

#else  // SSE4, NEON and any other 128-bit-or-wider target: widen to int32, multiply.

// Activations widened to int32 and padded to whole groups: one group is one 128-bit block,
// so LoadDup128 repeats [a0 a1 a2 a3] to line up with the packed rows; int32 lane 4r+j of
// a block holds row r's product for input j of the group.
thread_local std::vector<int32_t> tl_act32;

void MatmulImpl(const int8_t* a, size_t lanes, size_t k, const int8_t* packed,
                const int32_t* /*row_sums*/, size_t n, size_t n_blocks, size_t k_groups,
                const int32_t* bias, int32_t* c) {
  const hn::ScalableTag<int32_t> d32;
  const hn::Rebind<int8_t, decltype(d32)> d8;
  constexpr size_t L32 = HWY_LANES(int32_t);
  constexpr size_t V = kBlockBytes / L32;
  const size_t kpad = k_groups * kPackK;
  tl_act32.assign(lanes * kpad, 0);
  int32_t* act = tl_act32.data();  // a local pointer, as in the VNNI path
  for (size_t l = 0; l < lanes; ++l)
    for (size_t i = 0; i < k; ++i) act[l * kpad + i] = a[l * k + i];
  using V32 = hn::Vec<decltype(d32)>;
  for (size_t l = 0; l < lanes; ++l) {
    const int32_t* al = tl_act32.data() + l * kpad;
    for (size_t b = 0; b < n_blocks; ++b) {
      const int8_t* wb = packed + b * k_groups * kBlockBytes;
      V32 acc[V];
      for (size_t v = 0; v < V; ++v) acc[v] = hn::Zero(d32);
      for (size_t g = 0; g < k_groups; ++g) {
        const V32 av = hn::LoadDup128(d32, al + g * kPackK);
        for (size_t v = 0; v < V; ++v) {
          const V32 wv = hn::PromoteTo(d32, hn::LoadU(d8, wb + g * kBlockBytes + v * L32));
          acc[v] = hn::Add(acc[v], hn::Mul(wv, av));
        }
      }
      HWY_ALIGN int32_t quads[kBlockBytes];
      for (size_t v = 0; v < V; ++v) hn::Store(acc[v], d32, quads + v * L32);
      int32_t sums[kPackRows];
      for (size_t r = 0; r < kPackRows; ++r)
        sums[r] = quads[4 * r] + quads[4 * r + 1] + quads[4 * r + 2] + quads[4 * r + 3];
      FinishBlock(sums, b, n, bias, c + l * n);
    }
  }
}

#endif

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(MatmulImpl);

namespace {

void check_k(size_t n, size_t k) {
  if (n == 0 || k == 0 || k > kMatmulMaxK)
    throw Error(ErrorCode::invalid_argument,
                "matmul: shape n=" + std::to_string(n) + " k=" + std::to_string(k) +
                    " out of range (n ≥ 1, 1 ≤ k ≤ " + std::to_string(kMatmulMaxK) + ")");
}

void check_bias(const int32_t* bias, size_t n) {
  if (bias == nullptr) return;
  for (size_t j = 0; j < n; ++j)
    if (bias[j] > kMatmulMaxAbsBias || bias[j] < -kMatmulMaxAbsBias)
      throw Error(ErrorCode::invalid_argument,
                  "matmul: bias[" + std::to_string(j) + "] = " + std::to_string(bias[j]) +
                      " outside ±(2^30 - 1)");
}

}  // namespace

PackedWeights pack_weights(const int8_t* w, size_t n, size_t k) {
  check_k(n, k);
  PackedWeights p;
  p.n = n;
  p.k = k;
  p.n_blocks = (n + kPackRows - 1) / kPackRows;
  p.k_groups = (k + kPackK - 1) / kPackK;
  p.data.assign(p.n_blocks * p.k_groups * kPackRows * kPackK, 0);
  p.row_sums.assign(p.n_blocks * kPackRows, 0);
  for (size_t j = 0; j < n; ++j) {
    const size_t b = j / kPackRows, r = j % kPackRows;
    int32_t sum = 0;
    for (size_t i = 0; i < k; ++i) {
      const size_t g = i / kPackK, q = i % kPackK;
      p.data[((b * p.k_groups + g) * kPackRows + r) * kPackK + q] = w[j * k + i];
      sum += w[j * k + i];
    }
    p.row_sums[j] = sum;
  }
  return p;
}

void matmul_reference(const int8_t* a, size_t lanes, const int8_t* w, size_t n, size_t k,
                      const int32_t* bias, int32_t* c) {
  check_k(n, k);
  check_bias(bias, n);
  for (size_t l = 0; l < lanes; ++l)
    for (size_t j = 0; j < n; ++j) {
      int32_t sum = bias != nullptr ? bias[j] : 0;
      for (size_t i = 0; i < k; ++i) sum += int32_t{a[l * k + i]} * w[j * k + i];
      c[l * n + j] = sum;
    }
}

void matmul(const int8_t* a, size_t lanes, const PackedWeights& w, const int32_t* bias,
            int32_t* c) {
  ensure_simd_env_applied();
  check_k(w.n, w.k);
  check_bias(bias, w.n);
  if (w.data.size() != w.n_blocks * w.k_groups * kPackRows * kPackK ||
      w.row_sums.size() != w.n_blocks * kPackRows ||
      w.n_blocks != (w.n + kPackRows - 1) / kPackRows ||
      w.k_groups != (w.k + kPackK - 1) / kPackK)
    throw Error(ErrorCode::invalid_argument, "matmul: PackedWeights not made by pack_weights");
  if (lanes == 0) return;
  HWY_DYNAMIC_DISPATCH(MatmulImpl)(a, lanes, w.k, w.data.data(), w.row_sums.data(), w.n,
                                   w.n_blocks, w.k_groups, bias, c);
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
