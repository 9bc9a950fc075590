// nn_test_support.h — helpers of the src/nn kernel tests: run a check once per SIMD target
// this machine supports (forced through Highway, as NZIP_SIMD would), and random int8 data
// that leans on the extremes (-128, 127, 0) where overflow and rounding bugs live.
#pragma once

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cstdint>
#include <random>
#include <vector>

#include "nn/simd_target.h"
#include "test_support.h"

namespace nzip_test {

// Calls f(target) with dispatch forced to each compiled target the CPU has, one at a time,
// and checks that the kernels really dispatch there. Any NZIP_SIMD forcing is lifted for
// the loop and restored after it.
template <class F>
void for_each_simd_target(F&& f) {
  nzip::nn::detected_simd_targets();  // detects before anything is forced
  nzip::nn::clear_simd_choice();
  const int64_t targets = nzip::nn::detected_simd_targets();
  ASSERT_NE(targets, 0);
  for (int64_t t = targets; t != 0; t &= t - 1) {
    const int64_t one = t & -t;
    hwy::SetSupportedTargetsForTest(one);
    SCOPED_TRACE(hwy::TargetName(one));
    ASSERT_EQ(nzip::nn::current_simd_target_name(), hwy::TargetName(one));
    f(one);
  }
  hwy::SetSupportedTargetsForTest(0);
  nzip::nn::apply_simd_env();
}

// Random values in [lo, hi], one in four taken from the ends of the range or 0.
template <class T>
std::vector<T> edgy_random(std::mt19937& rng, size_t count, int lo, int hi) {
  std::uniform_int_distribution<int> any(lo, hi), pick(0, 7);
  std::vector<T> v(count);
  for (auto& x : v) {
    const int p = pick(rng);
    x = static_cast<T>(p == 0 ? lo : p == 1 ? hi : (p == 2 && lo <= 0 && hi >= 0) ? 0 : any(rng));
  }
  return v;
}

// Trial count scaled down for the sanitizer build (NZIP_TEST_SCALE=small).
inline int trials(int normal) { return small_scale() ? (normal + 9) / 10 : normal; }

}  // namespace nzip_test
