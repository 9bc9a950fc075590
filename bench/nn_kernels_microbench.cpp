// nn_kernels_microbench.cpp — Google Benchmark micro-benchmarks of the integer inference
// kernels (src/nn), one row per SIMD target this machine supports, reporting GOPS
// (multiply-adds per second, counter "MAC/s") and the fraction of the machine's peak int8
// rate ("of_peak"). The peak is measured first by a plain register-blocked loop of the best
// int8 dot instruction the CPU has (AVX-512 VNNI VPDPBUSD, else AVX2 VPMADDWD on int16),
// compiled with a target attribute and chosen at run time. Single thread.
//
//   build-nn/nzip_nn_microbench [--benchmark_filter=matmul] [--benchmark_min_time=0.2]
#include <benchmark/benchmark.h>
#include <hwy/targets.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "nn/matmul.h"
#include "nn/requantize.h"
#include "nn/rmsnorm.h"
#include "nn/simd_target.h"
#include "nn/softmax.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

using namespace nzip::nn;

#if defined(__x86_64__)
// 16 independent VPDPBUSD chains in named registers (hides the latency; operands in
// registers, so no load limits it): 64 MACs each.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) uint64_t peak_vnni(int64_t iters, int32_t* sink) {
#define NZIP_ACC(i) __m512i a##i = _mm512_set1_epi32(i);  // distinct: no chain is a copy
  NZIP_ACC(0) NZIP_ACC(1) NZIP_ACC(2) NZIP_ACC(3) NZIP_ACC(4) NZIP_ACC(5) NZIP_ACC(6) NZIP_ACC(7)
  NZIP_ACC(8) NZIP_ACC(9) NZIP_ACC(10) NZIP_ACC(11) NZIP_ACC(12) NZIP_ACC(13) NZIP_ACC(14) NZIP_ACC(15)
#undef NZIP_ACC
  __m512i x = _mm512_set1_epi8(3), w0 = _mm512_set1_epi8(-5), w1 = _mm512_set1_epi8(7);
  __asm__ volatile("" : "+v"(x), "+v"(w0), "+v"(w1));  // unknown to the compiler: no folding
  for (int64_t i = 0; i < iters; ++i) {
#define NZIP_DP(i, w) a##i = _mm512_dpbusd_epi32(a##i, x, w);
    NZIP_DP(0, w0) NZIP_DP(1, w1) NZIP_DP(2, w0) NZIP_DP(3, w1) NZIP_DP(4, w0) NZIP_DP(5, w1)
    NZIP_DP(6, w0) NZIP_DP(7, w1) NZIP_DP(8, w0) NZIP_DP(9, w1) NZIP_DP(10, w0) NZIP_DP(11, w1)
    NZIP_DP(12, w0) NZIP_DP(13, w1) NZIP_DP(14, w0) NZIP_DP(15, w1)
#undef NZIP_DP
  }
  __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                               _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)));
  s = _mm512_add_epi32(s, _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a8, a9), _mm512_add_epi32(a10, a11)),
                                           _mm512_add_epi32(_mm512_add_epi32(a12, a13), _mm512_add_epi32(a14, a15))));
  alignas(64) int32_t lanes[16];
  _mm512_store_si512(lanes, s);
  *sink = lanes[0] + lanes[15];
  return static_cast<uint64_t>(iters) * 16 * 64;
}

// 12 independent VPMADDWD chains on int16 (the exact int8 path without VNNI): 16 MACs each.
__attribute__((target("avx2"))) uint64_t peak_avx2(int64_t iters, int32_t* sink) {
  __m256i acc[12];
  for (int j = 0; j < 12; ++j) acc[j] = _mm256_set1_epi32(j);
  __m256i x = _mm256_set1_epi16(3), w = _mm256_set1_epi16(-5);
  for (int64_t i = 0; i < iters; ++i) {
    for (int j = 0; j < 12; ++j) acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(x, w));
    __asm__ volatile("" : "+x"(x), "+x"(w));  // a new x, w each time: the product is not hoisted
  }
  __m256i s = acc[0];
  for (int j = 1; j < 12; ++j) s = _mm256_add_epi32(s, acc[j]);
  *sink = _mm256_extract_epi32(s, 0);
  return static_cast<uint64_t>(iters) * 12 * 16;
}
#endif

const char* peak_name() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512vnni")) return "avx512vnni_vpdpbusd";
  if (__builtin_cpu_supports("avx2")) return "avx2_vpmaddwd";
#endif
  return "none";
}

uint64_t run_peak(int64_t iters, int32_t* sink) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512vnni")) return peak_vnni(iters, sink);
  if (__builtin_cpu_supports("avx2")) return peak_avx2(iters, sink);
#endif
  (void)iters;
  (void)sink;
  return 0;
}

double g_peak_macs = 0;  // MAC/s of the peak loop, measured once before the table

void BM_peak(benchmark::State& state) {
  int32_t sink = 0;
  uint64_t macs = 0;
  for (auto _ : state) {
    macs += run_peak(1 << 16, &sink);
    benchmark::DoNotOptimize(sink);
  }
  state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(macs), benchmark::Counter::kIsRate);
  state.SetLabel(peak_name());
}

double measure_peak() {
  int32_t sink = 0;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t macs = run_peak(1 << 20, &sink);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(sink);
    if (s > 0) best = std::max(best, static_cast<double>(macs) / s);
  }
  return best;
}

// Forces one Highway target for a benchmark's duration.
struct ForcedTarget {
  explicit ForcedTarget(int64_t t) { hwy::SetSupportedTargetsForTest(t); }
  ~ForcedTarget() { hwy::SetSupportedTargetsForTest(0); }
};

template <class T>
std::vector<T> random_values(size_t n, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

void BM_matmul(benchmark::State& state, int64_t target, size_t lanes, size_t k, size_t n) {
  ForcedTarget forced(target);
  const auto a = random_values<int8_t>(lanes * k, -128, 127, 1);
  const auto w = random_values<int8_t>(n * k, -128, 127, 2);
  const auto bias = random_values<int32_t>(n, -1000, 1000, 3);
  const PackedWeights p = pack_weights(w.data(), n, k);
  std::vector<int32_t> c(lanes * n);
  for (auto _ : state) {
    matmul(a.data(), lanes, p, bias.data(), c.data());
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  const double macs = static_cast<double>(lanes * k * n);
  state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["of_peak"] = benchmark::Counter(
      g_peak_macs > 0 ? macs / g_peak_macs : 0, benchmark::Counter::kIsIterationInvariantRate);
}

// One decoder step's products of the 2m preset (d 256, 2 layers, ff 1024, head 256): 2 MB of
// weights, more than one core's L2 here, so each step streams them from L3 as decoding does.
void BM_matmul_model_step(benchmark::State& state, int64_t target, size_t lanes) {
  ForcedTarget forced(target);
  struct Layer {
    size_t k, n;
  };
  const Layer shapes[] = {{256, 384}, {256, 256}, {256, 2048}, {1024, 256}, {256, 384},
                          {256, 256}, {256, 2048}, {1024, 256}, {256, 256}};
  std::vector<PackedWeights> packed;
  std::vector<std::vector<int8_t>> acts;
  double macs = 0;
  uint32_t seed = 10;
  for (const Layer& l : shapes) {
    const auto w = random_values<int8_t>(l.n * l.k, -128, 127, seed++);
    packed.push_back(pack_weights(w.data(), l.n, l.k));
    acts.push_back(random_values<int8_t>(lanes * l.k, -128, 127, seed++));
    macs += static_cast<double>(lanes * l.k * l.n);
  }
  std::vector<int32_t> c(lanes * 2048);
  for (auto _ : state) {
    for (size_t i = 0; i < packed.size(); ++i) matmul(acts[i].data(), lanes, packed[i], nullptr, c.data());
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["of_peak"] = benchmark::Counter(
      g_peak_macs > 0 ? macs / g_peak_macs : 0, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_requantize(benchmark::State& state, int64_t target) {
  ForcedTarget forced(target);
  const size_t n = 64 * 1024;
  const auto x = random_values<int32_t>(n, -(1 << 24), 1 << 24, 4);
  std::vector<int8_t> y(n);
  for (auto _ : state) {
    requantize_i8(x.data(), n, 1234567, 35, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["elem/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_rmsnorm(benchmark::State& state, int64_t target) {
  ForcedTarget forced(target);
  const size_t lanes = 64, d = 512;
  const auto x = random_values<int16_t>(lanes * d, -32768, 32767, 5);
  const auto g = random_values<int16_t>(d, 1000, 20000, 6);
  std::vector<int8_t> y(lanes * d);
  for (auto _ : state) {
    rmsnorm(x.data(), lanes, d, g.data(), 1, 22, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["elem/s"] = benchmark::Counter(static_cast<double>(lanes * d), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_sum_squares(benchmark::State& state, int64_t target) {
  ForcedTarget forced(target);
  const size_t n = 64 * 512;
  const auto x = random_values<int16_t>(n, -32768, 32767, 7);
  for (auto _ : state) benchmark::DoNotOptimize(sum_squares(x.data(), n));
  state.counters["elem/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_softmax_frequencies(benchmark::State& state) {
  const auto z = random_values<int32_t>(256, -20000, 20000, 8);
  uint16_t f[256];
  for (auto _ : state) {
    softmax_frequencies(z.data(), 369, 0, f);
    benchmark::DoNotOptimize(f);
  }
  state.counters["dist/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_softmax_weights(benchmark::State& state) {
  const size_t n = 1024;
  const auto z = random_values<int32_t>(n, -20000, 20000, 9);
  std::vector<uint16_t> w(n);
  for (auto _ : state) {
    softmax_weights_q15(z.data(), n, 369, 0, w.data());
    benchmark::DoNotOptimize(w.data());
  }
  state.counters["elem/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  detected_simd_targets();
  g_peak_macs = measure_peak();
  std::printf("peak int8 loop (%s, 1 thread): %.1f G MAC/s\n", peak_name(), g_peak_macs / 1e9);
  benchmark::RegisterBenchmark("peak", BM_peak);
  struct Shape {
    size_t lanes, k, n;
  };
  // Decoder steps run as many lanes as chunks in flight: few and odd counts matter too.
  const Shape shapes[] = {{1, 256, 1024},  {2, 256, 1024},  {3, 256, 1024},  {7, 256, 1024},
                          {8, 256, 1024},  {16, 256, 1024}, {64, 256, 1024}, {16, 512, 2048},
                          {64, 512, 2048}};
  const int64_t targets = detected_simd_targets();
  for (int64_t t = targets; t != 0; t &= t - 1) {
    const int64_t one = t & -t;
    const std::string tn = simd_target_name(one);
    for (const Shape& s : shapes) {
      const std::string name = "matmul/" + tn + "/" + std::to_string(s.lanes) + "x" +
                               std::to_string(s.k) + "x" + std::to_string(s.n);
      benchmark::RegisterBenchmark(name.c_str(), BM_matmul, one, s.lanes, s.k, s.n);
    }
    for (const size_t lanes : {1, 4, 7, 8, 16})
      benchmark::RegisterBenchmark(("matmul_2m_step/" + tn + "/" + std::to_string(lanes)).c_str(),
                                   BM_matmul_model_step, one, lanes);
    benchmark::RegisterBenchmark(("requantize_i8/" + tn + "/65536").c_str(), BM_requantize, one);
    benchmark::RegisterBenchmark(("sum_squares/" + tn + "/32768").c_str(), BM_sum_squares, one);
    benchmark::RegisterBenchmark(("rmsnorm/" + tn + "/64x512").c_str(), BM_rmsnorm, one);
  }
  benchmark::RegisterBenchmark("softmax_frequencies/256", BM_softmax_frequencies);
  benchmark::RegisterBenchmark("softmax_weights_q15/1024", BM_softmax_weights);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
