// Proves: every float training layer's backward pass is the gradient of its forward pass —
// embedding, RMSNorm, linear, RoPE, multi-query windowed attention, SiLU and the SwiGLU gate,
// softmax cross-entropy — by finite differences; and that RoPE uses the integer engine's
// angles (a rotation by the Q15 table, norm-preserving) and attention respects the window.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "model/transformer_weights.h"
#include "nn/rope.h"
#include "train/attention.h"
#include "train/cross_entropy.h"
#include "train/embedding.h"
#include "train/linear.h"
#include "train/rmsnorm.h"
#include "train/rope.h"
#include "train/swiglu.h"
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
