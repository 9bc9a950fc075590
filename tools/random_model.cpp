// nzip_random_model: writes a transformer model file (.nzm) with deterministic pseudo-random
// int8 weights, for benchmarks and tests of the model path before a trained model exists.
// Presets of about 0.5 M, 2 M and 8 M parameters; any shape with explicit dimensions.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "model/canonical_form.h"
#include "model/model_file.h"
#include "model/transformer_weights.h"
#include "nzip/error.h"

namespace {

struct Preset {
  const char* name;
  uint32_t d_model, layers, heads, ff;
};
// Parameters: 256·d (embedding) + 256·d (head) + per layer 2d² + 2·(d/heads)·d + 3·ff·d.
constexpr Preset kPresets[] = {
    {"0.5m", 128, 2, 4, 512},    // ≈ 0.54 M
    {"2m", 256, 2, 4, 1024},     // ≈ 2.03 M
    {"8m", 384, 4, 6, 1536},     // ≈ 8.65 M
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nzip_random_model: write a random-weight transformer model (.nzm) for benchmarks and tests."};
  std::string preset = "2m", output;
  uint32_t d_model = 0, layers = 0, heads = 0, ff = 0, window = 256, period = 0;
  uint64_t seed = 1;
  app.add_option("--preset", preset, "0.5m, 2m or 8m (about that many parameters; default 2m)");
  app.add_option("--d-model", d_model, "override the preset's d_model");
  app.add_option("--layers", layers, "override the preset's layers");
  app.add_option("--heads", heads, "override the preset's heads");
  app.add_option("--ff", ff, "override the preset's feed-forward width");
  app.add_option("--window", window, "attention window in bytes (default 256)");
  app.add_option("--element-period", period, "rows of embed.pos_in_element (0 = none, the default)");
  app.add_option("--seed", seed, "weights' seed (default 1)");
  app.add_option("-o,--output", output, "model file to write")->required();
  CLI11_PARSE(app, argc, argv);

  nzip::model::ModelArchitecture a;
  a.kind = nzip::model::ArchitectureKind::transformer;
  bool found = false;
  for (const Preset& p : kPresets) {
    if (preset != p.name) continue;
    a.d_model = p.d_model;
    a.layers = p.layers;
    a.heads = p.heads;
    a.ff = p.ff;
    found = true;
  }
  if (!found) {
    std::fprintf(stderr, "nzip_random_model: unknown preset '%s' (0.5m, 2m, 8m)\n", preset.c_str());
    return 2;
  }
  if (d_model) a.d_model = d_model;
  if (layers) a.layers = layers;
  if (heads) a.heads = heads;
  if (ff) a.ff = ff;
  a.window = window;
  a.vocab = 256;
  a.element_size = 1;
  try {
    const nzip::model::ModelFile m = nzip::model::make_random_transformer(a, seed, period);
    const nzip::model::ModelId id = nzip::model::write_model_file(output, m);
    std::printf("%s: %llu parameters, id %s\n", output.c_str(), static_cast<unsigned long long>(m.parameter_count()),
                nzip::model::model_id_hex(id).c_str());
  } catch (const nzip::Error& e) {
    std::fprintf(stderr, "nzip_random_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
