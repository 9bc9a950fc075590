// Proves: cross-entropy is counted in bits (uniform logits give exactly 8 per byte) and its
// gradient for the logits matches finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "train/cross_entropy.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, CrossEntropyIsBitsAndItsGradientMatchesFiniteDifferences) {
  const size_t n = 3;
  std::vector<float> z(n * 256, 0.0f);
  const std::vector<uint8_t> targets = {0, 97, 255};
  // Uniform logits: exactly 8 bits per byte.
  EXPECT_NEAR(cross_entropy_bits(z.data(), targets.data(), n, 1.0f, nullptr), 24.0, 1e-9);
  z = random_floats(n * 256, 19, 2.0);
  auto loss = [&] { return cross_entropy_bits(z.data(), targets.data(), n, 1.0f, nullptr) * std::log(2.0); };
  std::vector<float> dz(z.size());
  cross_entropy_bits(z.data(), targets.data(), n, 1.0f, dz.data());
  expect_gradient("dlogits", z, dz, loss, 1e-2f, 2e-3, 2e-2, z.size());
}

}  // namespace
