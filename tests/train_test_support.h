// train_test_support.h — finite-difference gradient checks for the float training layers:
// a layer's analytic gradient must match the central difference (L(x+ε) − L(x−ε)) / 2ε of a
// scalar loss, L = Σ r_i·y_i with fixed random r, for every (or a sample of) inputs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "train/rng.h"

namespace nzip_test {

inline std::vector<float> random_floats(size_t n, uint64_t seed, double sd = 1.0) {
  nzip::train::Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.normal() * sd);
  return v;
}

// Σ r_i·y_i in double.
inline double project(const std::vector<float>& r, const std::vector<float>& y) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += double{r[i]} * y[i];
  return s;
}

// Compares analytic[i] with the central difference of loss() in x[i], for up to max_checks
// indices spread over x. Tolerance: |num − ana| ≤ abs_tol + rel_tol·max(|num|, |ana|).
inline void expect_gradient(const std::string& what, std::vector<float>& x, const std::vector<float>& analytic,
                            const std::function<double()>& loss, float eps = 1e-2f, double abs_tol = 2e-3,
                            double rel_tol = 2e-2, size_t max_checks = 200) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  const size_t stride = std::max<size_t>(1, x.size() / max_checks);
  for (size_t i = 0; i < x.size(); i += stride) {
    const float keep = x[i];
    x[i] = keep + eps;
    const double lp = loss();
    x[i] = keep - eps;
    const double lm = loss();
    x[i] = keep;
    const double num = (lp - lm) / (2.0 * eps);
    const double ana = analytic[i];
    ASSERT_LE(std::fabs(num - ana), abs_tol + rel_tol * std::max(std::fabs(num), std::fabs(ana)))
        << what << "[" << i << "]: numeric " << num << " analytic " << ana;
  }
}

}  // namespace nzip_test
