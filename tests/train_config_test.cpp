// Proves: the YAML template `nzip train --init-config` writes reads back as the default
// options (every key is known to the parser); a preset is applied before the explicit
// dimensions of its section; unknown keys and mistyped values are refused with the key's
// name; a missing file is an io error.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "nzip/error.h"
#include "nzip/train.h"

namespace {

class TrainConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("nzip_cfg_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    const auto p = (dir_ / "c.yaml").string();
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(TrainConfig, TemplateReadsBackAsTheDefaults) {
  const nzip::TrainOptions d;
  const auto o = nzip::load_train_config(write(nzip::train_config_template()), d);
  EXPECT_EQ(o.data_files, std::vector<std::string>{"FILE"});
  EXPECT_EQ(o.d_model, d.d_model);
  EXPECT_EQ(o.layers, d.layers);
  EXPECT_EQ(o.window, d.window);
  EXPECT_EQ(o.steps, d.steps);
  EXPECT_FLOAT_EQ(o.lr, d.lr);
  EXPECT_DOUBLE_EQ(o.train_fraction, d.train_fraction);
  EXPECT_DOUBLE_EQ(o.test_fraction, d.test_fraction);
  EXPECT_DOUBLE_EQ(o.qat_from, d.qat_from);
  EXPECT_EQ(o.eval_every, d.eval_every);
  EXPECT_EQ(o.checkpoint_every, d.checkpoint_every);
}

TEST_F(TrainConfig, PresetFirstThenExplicitDimensions) {
  const auto o = nzip::load_train_config(
      write("experiment: run1\ndata: [a, b]\nsplit: [0.7, 0.2, 0.1]\nmodel:\n  d_model: 96\n  preset: small\n"
            "budget: {steps: 7, minutes: 1.5}\n"),
      {});
  EXPECT_EQ(o.experiment, "run1");
  EXPECT_EQ(o.data_files, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(o.train_fraction, 0.7);
  EXPECT_EQ(o.d_model, 96u);  // written before the preset, still wins
  EXPECT_EQ(o.layers, 4u);    // from the preset
  EXPECT_EQ(o.steps, 7u);
  EXPECT_DOUBLE_EQ(o.minutes, 1.5);
}

TEST_F(TrainConfig, UnknownKeysAndBadValuesAreRefusedByName) {
  auto message = [&](const std::string& text) {
    try {
      nzip::load_train_config(write(text), {});
    } catch (const nzip::Error& e) {
      EXPECT_EQ(e.code(), nzip::ErrorCode::invalid_argument);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("model: {d_modle: 3}\n").find("model.d_modle"), std::string::npos);
  EXPECT_NE(message("stepz: 3\n").find("stepz"), std::string::npos);
  EXPECT_NE(message("budget: {steps: many}\n").find("budget.steps"), std::string::npos);
  EXPECT_NE(message("model: {preset: huge}\n").find("huge"), std::string::npos);
  EXPECT_NE(message("split: [0.5, 0.5]\n").find("split"), std::string::npos);
  EXPECT_NE(message("- a\n- b\n").find("map"), std::string::npos);
  EXPECT_NE(message("a: [\n").find("c.yaml"), std::string::npos);
  try {
    nzip::load_train_config((dir_ / "missing.yaml").string(), {});
    ADD_FAILURE() << "a missing file loaded";
  } catch (const nzip::Error& e) {
    EXPECT_EQ(e.code(), nzip::ErrorCode::io);
  }
}

}  // namespace
