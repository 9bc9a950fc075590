// Proves: the two steps of SwiGLU (SiLU, then the gate product) back-propagate the gradient
// for the gate and up inputs, by finite differences.
#include <gtest/gtest.h>

#include <vector>

#include "train/swiglu.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, SiluAndGateGradientsMatchFiniteDifferences) {
  const size_t n = 40;
  auto g = random_floats(n, 16, 3.0), u = random_floats(n, 17), r = random_floats(n, 18);
  auto loss = [&] {
    std::vector<float> a(n), h(n);
    silu_forward(g.data(), n, a.data());
    gate_forward(a.data(), u.data(), n, h.data());
    return project(r, h);
  };
  std::vector<float> a(n), da(n, 0.0f), du(n, 0.0f), dg(n, 0.0f);
  silu_forward(g.data(), n, a.data());
  gate_backward(a.data(), u.data(), r.data(), n, da.data(), du.data());
  silu_backward(g.data(), da.data(), n, dg.data());
  expect_gradient("dg", g, dg, loss);
  expect_gradient("du", u, du, loss);
}

}  // namespace
