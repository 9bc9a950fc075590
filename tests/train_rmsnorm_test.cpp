// Proves: float RMSNorm's backward pass is the gradient of its forward pass for the input and
// the gain, by finite differences.
#include <gtest/gtest.h>

#include <vector>

#include "train/rmsnorm.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, RmsNormGradientMatchesFiniteDifferences) {
  const size_t n = 3, d = 16;
  auto x = random_floats(n * d, 4), g = random_floats(d, 5), r = random_floats(n * d, 6);
  auto loss = [&] {
    std::vector<float> y(n * d), rstd(n);
    rmsnorm_forward(x.data(), n, d, g.data(), y.data(), rstd.data());
    return project(r, y);
  };
  std::vector<float> y(n * d), rstd(n), dx(n * d, 0.0f), dg(d, 0.0f);
  rmsnorm_forward(x.data(), n, d, g.data(), y.data(), rstd.data());
  rmsnorm_backward(r.data(), x.data(), n, d, g.data(), rstd.data(), dx.data(), dg.data());
  expect_gradient("dx", x, dx, loss);
  expect_gradient("dgain", g, dg, loss);
}

}  // namespace
