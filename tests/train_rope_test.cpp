// Proves: float RoPE rotates by the integer engine's angles (it matches nn::rope_apply up to
// the final rounding) and its backward pass is the transpose rotation, by finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/transformer_weights.h"
#include "nn/rope.h"
#include "train/rope.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, RopeUsesTheIntegerAnglesAndItsGradientIsTheTransposeRotation) {
  const size_t hd = 8, rows = 5;
  const auto inv = nzip::model::rope_inv_freq_q32(hd);
  RopeTable rope(inv, hd, 64);
  std::vector<uint32_t> pos = {0, 1, 7, 33, 63};
  // Against the integer kernel on large values: equal up to its final rounding.
  auto x = random_floats(rows * hd, 10, 1000.0);
  std::vector<int16_t> xi(x.size());
  for (size_t i = 0; i < x.size(); ++i) xi[i] = static_cast<int16_t>(std::lround(x[i]));
  std::vector<float> xf(xi.begin(), xi.end());
  rope.forward(xf.data(), rows, pos.data());
  nzip::nn::rope_apply(xi.data(), rows, hd, pos.data(), inv.data());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(xf[i], xi[i], 1.0) << i;

  auto r = random_floats(rows * hd, 11);
  auto loss = [&] {
    auto y = x;
    rope.forward(y.data(), rows, pos.data());
    return project(r, y);
  };
  auto dx = r;
  rope.backward(dx.data(), rows, pos.data());
  expect_gradient("dx", x, dx, loss, 1e-1f);
}

}  // namespace
