// Proves: fixed-point parameters are the closest multiplier/2^shift with the largest shift
// that fits; the exporter's integer tensors are the float weights on their grids (int8
// matrices at max|W|/127, embeddings at the residual's scale, int16 gains) and the file loads
// into the integer engine; and a model whose scales cannot be represented is refused with
// limit_exceeded naming the tensor, never written wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "model/transformer.h"
#include "model/transformer_weights.h"
#include "nzip/error.h"
#include "train/export.h"
#include "train/float_transformer.h"
#include "train/quant_grids.h"

namespace {

using namespace nzip::train;

nzip::model::ModelArchitecture arch() {
  return nzip::model::byte_transformer(16, 1, 2, 24, 8);
}

TEST(TrainExport, FixedPointUsesTheLargestShiftThatFits) {
  const FixedPoint f = to_fixed_point(0.75, (int64_t{1} << 30) - 1, "x");
  EXPECT_EQ(f.shift, 30);
  EXPECT_EQ(f.multiplier, 805306368);  // 0.75 · 2^30
  const FixedPoint g = to_fixed_point(3e-10, 1 << 24, "x");
  EXPECT_NEAR(std::ldexp(g.multiplier, -g.shift), 3e-10, 3e-10 * 1e-6);
  EXPECT_LE(g.multiplier, 1 << 24);
  EXPECT_THROW(to_fixed_point(-1.0, 100, "x"), nzip::Error);
  EXPECT_THROW(to_fixed_point(1000.0, 100, "x"), nzip::Error);
  EXPECT_THROW(to_fixed_point(NAN, 100, "x"), nzip::Error);
}

TEST(TrainExport, TensorsAreTheFloatWeightsOnTheirGridsAndTheFileLoads) {
  FloatTransformer m(arch(), 4, 32);
  auto p = m.init_params(3);
  const auto file = export_transformer(m, p);
  const nzip::model::TransformerModel engine(file);  // loads: every range checked
  const auto w = nzip::model::load_transformer_weights(file);
  const float sx = m.residual_scale(p);
  const auto& E = m.layout().find("embed.byte");
  for (size_t i = 0; i < E.size; i += 7) EXPECT_EQ(w.embed_byte[i], std::nearbyint(p[E.offset + i] / sx)) << i;
  const auto& wq = m.layout().find("layers.0.wq");
  float mx = 0;
  for (size_t i = 0; i < wq.size; ++i) mx = std::max(mx, std::fabs(p[wq.offset + i]));
  for (size_t i = 0; i < wq.size; i += 5)
    EXPECT_EQ(w.layers[0].wq[i], std::nearbyint(p[wq.offset + i] / (mx / 127))) << i;
  // wq.scale = s_W · s_norm / s_qk · 2^31.
  EXPECT_NEAR(w.layers[0].wq_scale, (mx / 127) * kNormScale / kQkScale * 2147483648.0, 1.0);
  EXPECT_EQ(w.layers[0].attn_norm_gain[0], static_cast<int16_t>(std::lround(1.0 / kGainScale)));
  EXPECT_EQ(w.element_period, 4u);
  EXPECT_EQ(w.rope_inv_freq, m.rope_inv_freq());
}

TEST(TrainExport, UnrepresentableScaleIsRefusedNamingTheTensor) {
  FloatTransformer m(arch(), 0, 32);
  auto p = m.init_params(3);
  // Embeddings near zero make the residual's unit tiny: w_o's multiplier would pass 2^31.
  const auto& E = m.layout().find("embed.byte");
  for (size_t i = 0; i < E.size; ++i) p[E.offset + i] *= 1e-6f;
  try {
    export_transformer(m, p);
    ADD_FAILURE() << "exported";
  } catch (const nzip::Error& e) {
    EXPECT_EQ(e.code(), nzip::ErrorCode::limit_exceeded);
    EXPECT_NE(std::string(e.what()).find("layers.0.wo"), std::string::npos) << e.what();
  }
}

}  // namespace
