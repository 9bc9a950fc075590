// Proves: the float linear layer's backward pass is the gradient of y = x·Wᵀ for x and W (with
// a width that leaves a tail after the four-row blocks), by finite differences.
#include <gtest/gtest.h>

#include <vector>

#include "train/linear.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, LinearGradientMatchesFiniteDifferences) {
  const size_t n = 4, in = 19, out = 7;  // 19: the dot product's tail after eight lanes
  auto x = random_floats(n * in, 7), W = random_floats(out * in, 8), r = random_floats(n * out, 9);
  auto loss = [&] {
    std::vector<float> y(n * out);
    linear_forward(x.data(), n, in, W.data(), out, y.data());
    return project(r, y);
  };
  std::vector<float> dx(x.size(), 0.0f), dW(W.size(), 0.0f);
  linear_backward(r.data(), x.data(), n, in, W.data(), out, dx.data(), dW.data());
  expect_gradient("dx", x, dx, loss);
  expect_gradient("dW", W, dW, loss);
}

}  // namespace
