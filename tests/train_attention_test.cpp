// Proves: float multi-query attention sees only its sliding window, and its backward pass is
// the gradient for q, k and v, by finite differences.
#include <gtest/gtest.h>

#include <vector>

#include "train/attention.h"
#include "train_test_support.h"

namespace {

using nzip_test::expect_gradient;
using nzip_test::project;
using nzip_test::random_floats;
using namespace nzip::train;

TEST(TrainLayers, AttentionGradientMatchesFiniteDifferencesAndRespectsTheWindow) {
  const AttentionShape s{7, 2, 4, 3};  // n, heads, hd, window
  const size_t d = s.heads * s.hd;
  auto q = random_floats(s.n * d, 12), k = random_floats(s.n * s.hd, 13), v = random_floats(s.n * s.hd, 14);
  auto r = random_floats(s.n * d, 15);
  auto run = [&](const std::vector<float>& vv) {
    std::vector<float> o(s.n * d), p(s.n * s.heads * s.window);
    attention_forward(s, q.data(), k.data(), vv.data(), o.data(), p.data());
    return o;
  };
  auto loss = [&] { return project(r, run(v)); };
  // A value outside every later position's window changes nothing there.
  auto v2 = v;
  v2[0] += 5.0f;  // position 0: seen by positions 0 … 2 only
  const auto o1 = run(v), o2 = run(v2);
  for (size_t i = 3 * d; i < s.n * d; ++i) EXPECT_EQ(o1[i], o2[i]) << i;

  std::vector<float> o(s.n * d), p(s.n * s.heads * s.window);
  attention_forward(s, q.data(), k.data(), v.data(), o.data(), p.data());
  std::vector<float> dq(q.size(), 0.0f), dk(k.size(), 0.0f), dv(v.size(), 0.0f);
  attention_backward(s, q.data(), k.data(), v.data(), p.data(), r.data(), dq.data(), dk.data(), dv.data());
  expect_gradient("dq", q, dq, loss);
  expect_gradient("dk", k, dk, loss);
  expect_gradient("dv", v, dv, loss);
}

}  // namespace
