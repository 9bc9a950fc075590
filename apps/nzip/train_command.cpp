#include "train_command.h"

#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "baselines.h"
#include "diagnostics.h"
#include "exit_codes.h"
#include "fd_stream.h"
#include "loss_curve.h"
#include "nzip/model.h"
#include "nzip/nzip.h"
#include "nzip/train.h"
#include "signals.h"
#include "temp_output.h"

namespace nzip::cli {
namespace {

std::vector<double> parse_split(const std::string& text) {
  std::vector<double> v;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    size_t used = 0;
    double x = -1;
    try {
      x = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || !(x >= 0 && x <= 1))
      throw CliError(kExitUsage, "--split: '" + item + "' is not a fraction in [0, 1]");
    v.push_back(x);
    pos = comma + 1;
  }
  if (v.size() != 3 || v[0] + v[1] + v[2] > 1.0 + 1e-9)
    throw CliError(kExitUsage, "--split needs three fractions TRAIN,VAL,TEST summing to at most 1");
  return v;
}

std::string duration_text(double s) {
  const long t = std::lround(std::max(0.0, s));
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

void print_progress(const TrainProgress& p) {
  const double eta = p.progress > 0 ? p.elapsed_s * (1.0 - p.progress) / p.progress : 0;
  std::string val;
  if (p.val_bpb) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  val %.4f bpb (float %.4f)", *p.val_bpb, *p.val_float_bpb);
    val = buf;
  }
  std::fprintf(stderr, "step %6zu  loss %.4f bpb  lr %.2e%s%s  %.1f kB/s  ETA %s\n", p.step, p.train_bpb,
               static_cast<double>(p.lr), p.qat ? "  qat" : "", val.c_str(), p.bytes_per_s / 1000.0,
               duration_text(eta).c_str());
}

void print_summary(const TrainOptions& o, const TrainResult& r) {
  const char* name = o.experiment.empty() ? "" : " (";
  std::fprintf(stderr, "nzip train: wrote %s%s%s%s: %llu parameters, %zu bytes; best step %zu of %zu%s; %.1f s, %.0f bytes/s\n",
               o.out_path.c_str(), name, o.experiment.c_str(), o.experiment.empty() ? "" : ")",
               static_cast<unsigned long long>(r.parameters), r.model.size(), r.best_step, r.steps,
               r.early_stopped ? " (early stop)" : "", r.seconds, r.bytes_per_s);
  std::fprintf(stderr, "nzip train: split %zu/%zu/%zu bytes (train/val/test)\n", r.train_bytes, r.val_bytes,
               r.test_bytes);
  if (r.val_bpb)
    std::fprintf(stderr, "nzip train: validation %.4f bpb integer, %.4f float\n", *r.val_bpb, *r.val_float_bpb);
  if (r.test_bpb)
    std::fprintf(stderr, "nzip train: test %.4f bpb integer, %.4f float\n", *r.test_bpb, *r.test_float_bpb);
}

// The test sample's size with the usual compressors beside the model's integer bpb, and the
// effective ratio of the whole test split counting the model file (estimated from the sample).
void print_baselines(const TrainResult& r) {
  if (r.test_sample.empty() || !r.test_bpb) return;
  const double n = static_cast<double>(r.test_sample.size());
  std::string line = "nzip train: test sample of " + std::to_string(r.test_sample.size()) + " bytes, bpb:";
  char buf[64];
  std::snprintf(buf, sizeof buf, " model %.4f", *r.test_bpb);
  line += buf;
  std::vector<bench::Codec> codecs = {bench::make_nzip_codec(9, 0, 0), bench::make_baseline("xz-9e"),
                                      bench::make_baseline("zstd-19")};
  codecs[0].name = "nzip-9";
  for (const auto& c : codecs) {
    std::snprintf(buf, sizeof buf, ", %s %.4f", c.name.c_str(), 8.0 * static_cast<double>(c.compress(r.test_sample).size()) / n);
    line += buf;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
  const double coded = *r.test_bpb / 8.0 * static_cast<double>(r.test_bytes) + static_cast<double>(r.model.size());
  std::fprintf(stderr, "nzip train: effective ratio on the %zu-byte test split with the %zu-byte model: %.3f (estimated)\n",
               r.test_bytes, r.model.size(), static_cast<double>(r.test_bytes) / coded);
}

// Writes `text` to `path` through a temporary file.
void write_text(const std::string& path, const std::string& text, bool force) {
  struct stat st {};
  if (!force && ::lstat(path.c_str(), &st) == 0) throw CliError(kExitUsage, "already exists; use -f to overwrite");
  TempOutput tmp(path);
  FdSink sink(tmp.fd());
  sink.write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  tmp.commit(nullptr, force);
}

// Command-line options bound to a scratch TrainOptions; after parsing, those that were given
// are copied over the configuration (defaults < preset < --config file < command line).
class Overrides {
 public:
  explicit Overrides(CLI::App& app) : app_(app) {}

  template <class T>
  CLI::Option* add(const std::string& flags, T TrainOptions::*field, const std::string& help) {
    CLI::Option* opt = app_.add_option(flags, cli_.*field, help);
    // Defaults shown in --help are the library's.
    opt->default_str(default_text(TrainOptions{}.*field));
    copies_.push_back([opt, field, this](TrainOptions& o) {
      if (opt->count()) o.*field = cli_.*field;
    });
    return opt;
  }
  void apply(TrainOptions& o) const {
    for (const auto& c : copies_) c(o);
  }
  TrainOptions& scratch() { return cli_; }

 private:
  template <class T>
  static std::string default_text(const T& v) {
    if constexpr (std::is_same_v<T, std::string>) return v;
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) return "";
    else return CLI::detail::to_string(v);
  }
  CLI::App& app_;
  TrainOptions cli_;
  std::vector<std::function<void(TrainOptions&)>> copies_;
};

}  // namespace

int run_train_command(int argc, char** argv) {
  CLI::App app{"nzip train: train a transformer byte model on your files and write it as a .nzm model\n"
               "(docs/TRAIN.md). Options override a --config file, which overrides the defaults."};
  app.name("nzip train");
  app.footer(exit_code_help());
  Overrides ov(app);
  std::string preset, split, config, init_config;
  std::string metrics_path;
  bool force = false, quiet = false, dry_run = false, no_curve = false, raw = false;
  size_t log_every = 10;
  ov.add("--data", &TrainOptions::data_files, "training files; each is split into train/validation/test ranges")
      ->type_name("FILE...")->check(CLI::ExistingFile);
  ov.add("-o,--out", &TrainOptions::out_path, "the model file to write (.nzm)")->type_name("MODEL");
  app.add_option("--config", config, "read options from a YAML file (see --init-config)")
      ->type_name("FILE")->check(CLI::ExistingFile);
  app.add_option("--init-config", init_config, "write a commented YAML template with every option, then exit")
      ->type_name("FILE");
  ov.add("--experiment", &TrainOptions::experiment, "a name for this run");
  app.add_flag("-f,--force", force, "overwrite an existing output file");
  app.add_option("--preset", preset, "model size: tiny (d 64, 2 layers; default), small (d 128, 4), base (d 256, 6)")
      ->check(CLI::IsMember({"tiny", "small", "base"}));
  ov.add("--d-model", &TrainOptions::d_model, "width of the residual stream (overrides the preset)");
  ov.add("--layers", &TrainOptions::layers, "transformer blocks");
  ov.add("--heads", &TrainOptions::heads, "attention heads (d_model/heads must be even)");
  ov.add("--ff", &TrainOptions::ff, "hidden width of the feed-forward layer");
  ov.add("--window", &TrainOptions::window, "attention window in bytes");
  ov.add("--element-period", &TrainOptions::element_period, "bytes per element (e.g. 4 for float32); 0 = none");
  ov.add("--steps", &TrainOptions::steps, "optimiser steps (0 = no step limit; needs --minutes)");
  ov.add("--minutes", &TrainOptions::minutes, "time budget in minutes (0 = none)");
  ov.add("--batch", &TrainOptions::batch, "sequences per step");
  ov.add("--min-len", &TrainOptions::min_len, "shortest sequence (0 = window/2)");
  ov.add("--max-len", &TrainOptions::max_len, "longest sequence (0 = 2·window)");
  ov.add("--lr", &TrainOptions::lr, "peak learning rate");
  ov.add("--min-lr", &TrainOptions::min_lr, "learning rate at the end of the cosine");
  ov.add("--warmup", &TrainOptions::warmup, "linear warm-up, fraction of the run");
  ov.add("--weight-decay", &TrainOptions::weight_decay, "AdamW weight decay of the matrices");
  ov.add("--clip", &TrainOptions::clip, "gradient norm clip (0 = off)");
  ov.add("--qat-from", &TrainOptions::qat_from, "quantisation-aware training from this fraction of the run");
  ov.add("--seed", &TrainOptions::seed, "random seed (weights and batches)");
  ov.add("-T,--threads", &TrainOptions::threads, "worker threads; 0 = all cores")->type_name("N");
  app.add_option("--split", split, "TRAIN,VAL,TEST fractions of each file, contiguous ranges in that order (0.8,0.1,0.1)");
  ov.add("--eval-every", &TrainOptions::eval_every, "steps between validations (0 = only at the end)");
  ov.add("--eval-bytes", &TrainOptions::eval_bytes, "validation and test bytes measured");
  ov.add("--patience", &TrainOptions::patience, "stop after this many validations without improvement (0 = off)");
  ov.add("--min-delta", &TrainOptions::min_delta, "validation bpb improvement that counts");
  ov.add("--checkpoint", &TrainOptions::checkpoint_path,
         "write the training state to FILE every --checkpoint-every steps and at the end")->type_name("FILE");
  ov.add("--checkpoint-every", &TrainOptions::checkpoint_every, "steps between checkpoints (0 = only at the end)");
  ov.add("--resume", &TrainOptions::resume_path, "continue the run saved in a checkpoint (same options and data)")
      ->type_name("FILE")->check(CLI::ExistingFile);
  app.add_option("--log-every", log_every, "steps between progress lines (0 = validations only)")->capture_default_str();
  app.add_option("--metrics", metrics_path, "write every progress line as JSON to FILE (JSONL)")->type_name("FILE");
  app.add_flag("--raw", raw, "write the model uncompressed (raw safetensors) instead of packed (same model id)");
  app.add_flag("--no-curve", no_curve, "do not write the loss curve MODEL.svg next to the model");
  app.add_flag("-q,--quiet", quiet, "no progress lines");
  app.add_flag("--dry-run", dry_run, "print parameter count, memory estimate and measured speed; train nothing");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nzip train: %s\nTry 'nzip train --help' for more information.\n", e.what());
    return kExitUsage;
  }
  if (!init_config.empty()) {
    return guarded(display_name(init_config, true), [&] {
      write_text(init_config, train_config_template(), force);
      return static_cast<int>(kExitOk);
    });
  }

  TrainOptions o;
  const int rc = guarded(config.empty() ? std::string("train") : config, [&] {
    if (!config.empty()) o = load_train_config(config, o);
    if (!preset.empty()) {
      // A preset on the command line beats the configuration's dimensions, not explicit ones.
      apply_train_preset(preset, o);
    }
    ov.apply(o);
    if (!split.empty()) {
      const auto s = parse_split(split);
      o.train_fraction = s[0];
      o.val_fraction = s[1];
      o.test_fraction = s[2];
    }
    if (o.data_files.empty()) throw CliError(kExitUsage, "no training data: give --data FILE... or data: in --config");
    if (!dry_run && o.out_path.empty()) throw CliError(kExitUsage, "--out is required (unless --dry-run)");
    return static_cast<int>(kExitOk);
  });
  if (rc != kExitOk) return rc;

  if (dry_run) {
    return guarded("train", [&] {
      const TrainEstimate e = estimate_training(o);
      std::printf("parameters:    %llu\n", static_cast<unsigned long long>(e.parameters));
      std::printf("memory:        about %.1f MiB\n", static_cast<double>(e.memory_bytes) / (1 << 20));
      std::printf("speed:         %.2f steps/s, %.0f bytes/s with %u threads\n", e.steps_per_s, e.bytes_per_s,
                  resolve_threads(o.threads));
      if (o.steps)
        std::printf("%zu steps:     about %s\n", o.steps, duration_text(static_cast<double>(o.steps) / e.steps_per_s).c_str());
      return static_cast<int>(kExitOk);
    });
  }

  install_signal_cleanup();
  return guarded(display_name(o.out_path, true), [&] {
    struct stat st {};
    if (!force && ::lstat(o.out_path.c_str(), &st) == 0)
      throw CliError(kExitUsage, "already exists; use -f to overwrite");
    // Created first, so that an unwritable destination fails before minutes of training.
    TempOutput tmp(o.out_path);
    std::FILE* metrics = nullptr;
    if (!metrics_path.empty() && !(metrics = std::fopen(metrics_path.c_str(), "w")))
      throw Error(ErrorCode::io, metrics_path + ": cannot write the metrics log");
    std::vector<CurvePoint> train_curve, val_curve;
    auto progress = [&](const TrainProgress& p) {
      const bool line = p.val_bpb || (log_every && p.step % log_every == 0);
      if (!quiet && line) print_progress(p);
      if (line) train_curve.push_back({static_cast<double>(p.step), p.train_bpb});
      if (p.val_bpb) val_curve.push_back({static_cast<double>(p.step), *p.val_bpb});
      if (metrics) {
        nlohmann::json j = {{"step", p.step}, {"train_bpb", p.train_bpb}, {"lr", p.lr}, {"qat", p.qat},
                            {"bytes_per_s", p.bytes_per_s}, {"elapsed_s", p.elapsed_s}};
        if (p.val_bpb) j["val_bpb"] = *p.val_bpb;
        if (p.val_float_bpb) j["val_float_bpb"] = *p.val_float_bpb;
        std::fprintf(metrics, "%s\n", j.dump().c_str());
      }
    };
    TrainResult r;
    try {
      r = train_model(o, progress);
    } catch (...) {
      if (metrics) std::fclose(metrics);
      throw;
    }
    if (metrics && std::fclose(metrics) != 0) throw Error(ErrorCode::io, metrics_path + ": write failed");
    // The trainer gives the raw canonical bytes; the file is packed unless --raw (same id).
    const uint64_t raw_size = r.model.size();
    if (!raw) r.model = pack_model(r.model);
    FdSink sink(tmp.fd());
    sink.write(r.model.data(), r.model.size());
    tmp.commit(nullptr, force);
    if (!no_curve) {
      const std::string title = "nzip train " + (o.experiment.empty() ? o.out_path : o.experiment);
      write_text(o.out_path + ".svg", loss_curve_svg(train_curve, val_curve, title), true);
    }
    if (!quiet) {
      print_summary(o, r);
      std::fprintf(stderr, "nzip train: model file %s: %zu bytes (raw form %llu bytes)\n", raw ? "raw" : "packed",
                   r.model.size(), static_cast<unsigned long long>(raw_size));
      print_baselines(r);
    }
    return static_cast<int>(kExitOk);
  });
}

}  // namespace nzip::cli
