// Proves: the whole float transformer (embeddings with the position-in-element table, two
// pre-norm layers, final norm, head, cross-entropy) back-propagates the gradient of its loss:
// every parameter tensor's analytic gradient matches finite differences (float mode, where
// the loss is differentiable); its layout holds exactly the integer model's tensors; and a
// sequence starting at phase k of the position table is the phase-0 sequence of a model whose
// table is rotated by k.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "model/transformer_weights.h"
#include "train/float_transformer.h"
#include "train_test_support.h"

namespace {

using namespace nzip::train;

nzip::model::ModelArchitecture tiny_arch() {
  return nzip::model::byte_transformer(8, 2, 2, 12, 4);
}

TEST(TrainModel, LayoutHasTheIntegerModelsTensorsWithTheirShapes) {
  FloatTransformer m(tiny_arch(), 3, 16);
  const auto params = m.init_params(1);
  // The random integer model of the same architecture names the same weight tensors.
  const auto file = nzip::model::make_random_transformer(tiny_arch(), 1, 3);
  std::set<std::string> expected;
  for (const auto& t : file.tensors) {
    const bool fixed_point = nzip::model::is_scale_name(t.name) || t.name.ends_with("softmax") ||
                             t.name.ends_with("ffn_act") || t.name == "rope.inv_freq";
    if (fixed_point) continue;
    expected.insert(t.name);
    const auto& p = m.layout().find(t.name);
    ASSERT_EQ(p.shape.size(), t.shape.size()) << t.name;
    for (size_t i = 0; i < p.shape.size(); ++i) EXPECT_EQ(p.shape[i], t.shape[i]) << t.name;
  }
  EXPECT_EQ(expected.size(), m.layout().tensors().size());
  EXPECT_EQ(params.size(), m.layout().total());
  EXPECT_EQ(m.rope_inv_freq(), file.values<uint32_t>("rope.inv_freq", {2}));
}

TEST(TrainModel, WholeModelGradientMatchesFiniteDifferences) {
  FloatTransformer m(tiny_arch(), 3, 16);
  auto master = m.init_params(7);
  const std::vector<uint8_t> bytes = {'a', 'b', 'r', 'a', 'c', 'a', 'd', 'a', 'b', 'r'};
  auto loss = [&] {
    const auto fp = m.prepare(master, false);
    return m.sequence_loss(fp, bytes.data(), bytes.size(), 1.0f, nullptr) * std::log(2.0);  // nats
  };
  std::vector<float> grads(master.size(), 0.0f);
  m.sequence_loss(m.prepare(master, false), bytes.data(), bytes.size(), 1.0f, grads.data());
  for (const auto& t : m.layout().tensors()) {
    std::vector<float> w(master.begin() + static_cast<ptrdiff_t>(t.offset),
                         master.begin() + static_cast<ptrdiff_t>(t.offset + t.size));
    std::vector<float> g(grads.begin() + static_cast<ptrdiff_t>(t.offset),
                         grads.begin() + static_cast<ptrdiff_t>(t.offset + t.size));
    auto tensor_loss = [&] {
      std::copy(w.begin(), w.end(), master.begin() + static_cast<ptrdiff_t>(t.offset));
      return loss();
    };
    nzip_test::expect_gradient(t.name, w, g, tensor_loss, 1e-2f, 3e-3, 3e-2, 24);
    std::copy(w.begin(), w.end(), master.begin() + static_cast<ptrdiff_t>(t.offset));
  }
}

TEST(TrainModel, PhaseRotatesThePositionTable) {
  FloatTransformer m(tiny_arch(), 3, 16);
  const auto master = m.init_params(11);
  const std::vector<uint8_t> bytes = {'x', 'y', 'z', 'x', 'y', 'z', 'q', 'x', 'y'};
  const auto& table = m.layout().find("embed.pos_in_element");
  const size_t d = tiny_arch().d_model;
  for (const uint32_t phase : {1u, 2u, 4u}) {
    std::vector<float> rotated = master;
    for (size_t r = 0; r < 3; ++r)
      std::copy_n(master.begin() + static_cast<ptrdiff_t>(table.offset + ((r + phase) % 3) * d), d,
                  rotated.begin() + static_cast<ptrdiff_t>(table.offset + r * d));
    const double shifted = m.sequence_loss(m.prepare(master, false), bytes.data(), bytes.size(), 1.0f, nullptr, phase);
    const double reference = m.sequence_loss(m.prepare(rotated, false), bytes.data(), bytes.size(), 1.0f, nullptr);
    EXPECT_NEAR(shifted, reference, 1e-9 * reference) << "phase " << phase;
    if (phase % 3 != 0) {
      EXPECT_NE(shifted, m.sequence_loss(m.prepare(master, false), bytes.data(), bytes.size(), 1.0f, nullptr));
    }
  }
}

}  // namespace
