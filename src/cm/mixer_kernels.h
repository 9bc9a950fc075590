// cm/mixer_kernels.h — the two inner loops of the mixer: dot product and weight training.
//
// Inputs and weights are int16 (weights in 2.14 fixed point). Each kernel has a plain scalar
// reference and an SSE2 version (baseline on x86-64) that gives the very same integers:
// products fit in 32 bits and, with at most kMaxTerms terms, so does their sum, so the
// order of additions cannot change the result. tests/cm_test.cpp compares them.
#pragma once

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace nzip::cm {

// |x| ≤ 2047 and |w| ≤ 32767 make |x·w| < 2^26; 32 terms stay below 2^31.
constexpr int kMaxTerms = 32;

// Σ x[i]·w[i] over n (a multiple of 8, ≤ kMaxTerms) terms.
inline int32_t dot_reference(const int16_t* x, const int16_t* w, int n) {
  int32_t sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<int32_t>(x[i]) * w[i];
  return sum;
}

// w[i] = sat16(w[i] + sat16((x[i]·err + 2^(shift-1)) >> shift)), |err| ≤ 32767.
inline void train_reference(const int16_t* x, int16_t* w, int n, int err, int shift) {
  auto sat16 = [](int32_t v) { return v > 32767 ? 32767 : (v < -32768 ? -32768 : v); };
  for (int i = 0; i < n; ++i) {
    const int32_t d = sat16((static_cast<int32_t>(x[i]) * err + (1 << (shift - 1))) >> shift);
    w[i] = static_cast<int16_t>(sat16(w[i] + d));
  }
}

#if defined(__SSE2__)
inline int32_t dot_sse2(const int16_t* x, const int16_t* w, int n) {
  __m128i acc = _mm_setzero_si128();
  for (int i = 0; i < n; i += 8) {
    const __m128i a = _mm_load_si128(reinterpret_cast<const __m128i*>(x + i));
    const __m128i b = _mm_load_si128(reinterpret_cast<const __m128i*>(w + i));
    acc = _mm_add_epi32(acc, _mm_madd_epi16(a, b));
  }
  acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4E));
  acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xB1));
  return _mm_cvtsi128_si32(acc);
}

inline void train_sse2(const int16_t* x, int16_t* w, int n, int err, int shift) {
  const __m128i e = _mm_set1_epi16(static_cast<int16_t>(err));
  const __m128i round = _mm_set1_epi32(1 << (shift - 1));
  const __m128i count = _mm_cvtsi32_si128(shift);
  for (int i = 0; i < n; i += 8) {
    const __m128i a = _mm_load_si128(reinterpret_cast<const __m128i*>(x + i));
    const __m128i lo = _mm_mullo_epi16(a, e);
    const __m128i hi = _mm_mulhi_epi16(a, e);
    __m128i p0 = _mm_unpacklo_epi16(lo, hi);
    __m128i p1 = _mm_unpackhi_epi16(lo, hi);
    p0 = _mm_sra_epi32(_mm_add_epi32(p0, round), count);
    p1 = _mm_sra_epi32(_mm_add_epi32(p1, round), count);
    const __m128i d = _mm_packs_epi32(p0, p1);
    __m128i* wp = reinterpret_cast<__m128i*>(w + i);
    _mm_store_si128(wp, _mm_adds_epi16(_mm_load_si128(wp), d));
  }
}
#endif

inline int32_t dot(const int16_t* x, const int16_t* w, int n) {
#if defined(__SSE2__)
  return dot_sse2(x, w, n);
#else
  return dot_reference(x, w, n);
#endif
}

inline void train(const int16_t* x, int16_t* w, int n, int err, int shift) {
#if defined(__SSE2__)
  train_sse2(x, w, n, err, shift);
#else
  train_reference(x, w, n, err, shift);
#endif
}

}  // namespace nzip::cm
