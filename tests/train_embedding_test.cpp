// Proves: the float embedding (byte table plus position-in-element table) back-propagates the
// gradient of its output into both tables, by finite differences.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "train/embedding.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, EmbeddingGradientMatchesFiniteDifferences) {
  const size_t n = 9, d = 6;
  const uint32_t period = 4;
  std::vector<uint8_t> tokens = {0, 5, 200, 5, 7, 0, 255, 5, 1};
  std::vector<uint32_t> pos(n);
  std::iota(pos.begin(), pos.end(), 0u);
  auto E = random_floats(256 * d, 1), P = random_floats(period * d, 2), r = random_floats(n * d, 3);
  auto loss = [&] {
    std::vector<float> x(n * d);
    embedding_forward(tokens.data(), pos.data(), n, d, E.data(), P.data(), period, x.data());
    return project(r, x);
  };
  std::vector<float> dE(E.size(), 0.0f), dP(P.size(), 0.0f);
  embedding_backward(tokens.data(), pos.data(), n, d, r.data(), dE.data(), dP.data(), period);
  expect_gradient("dE", E, dE, loss, 1e-2f, 2e-3, 2e-2, E.size());
  expect_gradient("dP", P, dP, loss);
}

}  // namespace
