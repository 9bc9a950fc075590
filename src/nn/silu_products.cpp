// nn/silu_products.cpp — p_i = silu[uint8(a_i)]·b_i, the int32 products that swiglu_fast
// requantises (activation.h). Compiled once per Highway target: on AVX-512 with VBMI
// (Highway's AVX3_DL target, which includes it) 64 table lookups are two VPERMT2B over the
// 256-byte table and a blend; other targets look the bytes up one at a time. A lookup and
// a product of int8 values are exact everywhere, so every target gives the same int32s.
#include "nn/silu_products.h"


#include "nn/simd_target.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "nn/silu_products.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#if HWY_ARCH_X86
#include <immintrin.h>
#endif

#ifndef NZIP_NN_SILU_PRODUCTS_ONCE
#define NZIP_NN_SILU_PRODUCTS_ONCE
namespace nzip::nn::detail {
inline void silu_products_scalar(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n,
                                 int32_t* p) {
  for (size_t i = 0; i < n; ++i) p[i] = int32_t{silu[static_cast<uint8_t>(a[i])]} * b[i];
}
}  // namespace nzip::nn::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace nzip::nn {
namespace HWY_NAMESPACE {

#if HWY_TARGET == HWY_AVX3_DL
__attribute__((target("avx512vbmi,avx512bw,avx512f,avx2"))) void SiluProductsImpl(const ActivationTable& silu,
                                                                              const int8_t* a, const int8_t* b,
                                                                              size_t n, int32_t* p) {
  const __m512i t0 = _mm512_loadu_si512(silu.data()), t1 = _mm512_loadu_si512(silu.data() + 64);
  const __m512i t2 = _mm512_loadu_si512(silu.data() + 128), t3 = _mm512_loadu_si512(silu.data() + 192);
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i idx = _mm512_loadu_si512(a + i);
    // Entries 0–127 from (t0, t1) and 128–255 from (t2, t3) by the index's low seven bits;
    // its top bit picks between them.
    const __m512i low = _mm512_permutex2var_epi8(t0, idx, t1);
    const __m512i high = _mm512_permutex2var_epi8(t2, idx, t3);
    const __m512i g = _mm512_mask_blend_epi8(_mm512_movepi8_mask(idx), low, high);
    // Halves go through memory rather than _mm512_castsi512_si256/_mm512_extracti64x4_epi64,
    // and widening uses the zero-masked forms: the plain ones start from _mm*_undefined_*,
    // which trips GCC 12's -Wmaybe-uninitialized in the sanitizer build. The stores forward
    // to the loads.
    alignas(64) int8_t gs[64];
    _mm512_store_si512(gs, g);
    for (int half = 0; half < 2; ++half) {
      const __m512i g16 = _mm512_maskz_cvtepi8_epi16(~__mmask32{0}, _mm256_load_si256(reinterpret_cast<const __m256i*>(gs + 32 * half)));
      const __m512i b16 = _mm512_maskz_cvtepi8_epi16(~__mmask32{0}, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i + 32 * half)));
      alignas(64) int16_t prod[32];
      _mm512_store_si512(prod, _mm512_mullo_epi16(g16, b16));  // |g·b| ≤ 2^14 fits int16
      for (int q = 0; q < 2; ++q)
        _mm512_storeu_si512(p + i + 32 * half + 16 * q,
                            _mm512_maskz_cvtepi16_epi32(~__mmask16{0}, _mm256_load_si256(reinterpret_cast<const __m256i*>(prod + 16 * q))));
    }
  }
  detail::silu_products_scalar(silu, a + i, b + i, n - i, p + i);
}
#else
void SiluProductsImpl(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t* p) {
  detail::silu_products_scalar(silu, a, b, n, p);
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace nzip::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nzip::nn {

HWY_EXPORT(SiluProductsImpl);

void silu_products_reference(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t* p) {
  detail::silu_products_scalar(silu, a, b, n, p);
}

void silu_products(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t* p) {
  ensure_simd_env_applied();
  HWY_DYNAMIC_DISPATCH(SiluProductsImpl)(silu, a, b, n, p);
}

}  // namespace nzip::nn
#endif  // HWY_ONCE
