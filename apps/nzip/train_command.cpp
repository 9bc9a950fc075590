#include "train_command.h"

#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "exit_codes.h"
#include "fd_stream.h"
#include "nzip/nzip.h"
#include "nzip/train.h"
#include "signals.h"
#include "temp_output.h"

namespace nzip::cli {
namespace {

struct Preset {
  const char* name;
  uint32_t d_model, layers, heads, ff, window;
};
// tiny is the default: a few minutes on a 2-core machine give a useful model.
constexpr Preset kPresets[] = {
    {"tiny", 64, 2, 4, 192, 64},
    {"small", 128, 4, 4, 384, 128},
    {"base", 256, 6, 8, 768, 256},
};

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

}  // namespace

int run_train_command(int argc, char** argv) {
  CLI::App app{"nzip train: train a transformer byte model on your files and write it as a .nzm model\n"
               "for `nzip --model` (docs/TRAIN.md)."};
  app.name("nzip train");
  app.footer(exit_code_help());
  TrainOptions o;
  std::string out, preset = "tiny", split = "0.8,0.1,0.1";
  bool force = false, quiet = false, dry_run = false;
  size_t log_every = 10;
  unsigned threads = 0;
  app.add_option("--data", o.data_files, "training files; each is split into train/validation/test ranges")
      ->required()->type_name("FILE...")->check(CLI::ExistingFile);
  app.add_option("-o,--out", out, "the model file to write (.nzm)")->type_name("MODEL");
  app.add_flag("-f,--force", force, "overwrite an existing output file");
  app.add_option("--preset", preset, "model size: tiny (d 64, 2 layers), small (d 128, 4 layers), base (d 256, 6 layers)")
      ->check(CLI::IsMember({"tiny", "small", "base"}))->capture_default_str();
  auto* d_model = app.add_option("--d-model", o.d_model, "width of the residual stream (overrides the preset)");
  auto* layers = app.add_option("--layers", o.layers, "transformer blocks");
  auto* heads = app.add_option("--heads", o.heads, "attention heads (d_model/heads must be even)");
  auto* ff = app.add_option("--ff", o.ff, "hidden width of the feed-forward layer");
  auto* window = app.add_option("--window", o.window, "attention window in bytes");
  app.add_option("--element-period", o.element_period,
                 "bytes per element of structured data (e.g. 4 for float32); 0 = none")->capture_default_str();
  app.add_option("--steps", o.steps, "optimiser steps (0 = no step limit; needs --minutes)")->capture_default_str();
  app.add_option("--minutes", o.minutes, "time budget in minutes (0 = none)")->capture_default_str();
  app.add_option("--batch", o.batch, "sequences per step")->capture_default_str();
  app.add_option("--min-len", o.min_len, "shortest sequence (0 = window/2)")->capture_default_str();
  app.add_option("--max-len", o.max_len, "longest sequence (0 = 2·window)")->capture_default_str();
  app.add_option("--lr", o.lr, "peak learning rate")->capture_default_str();
  app.add_option("--min-lr", o.min_lr, "learning rate at the end of the cosine")->capture_default_str();
  app.add_option("--warmup", o.warmup, "linear warm-up, fraction of the run")->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay, "AdamW weight decay of the matrices")->capture_default_str();
  app.add_option("--clip", o.clip, "gradient norm clip (0 = off)")->capture_default_str();
  app.add_option("--qat-from", o.qat_from, "quantisation-aware training from this fraction of the run")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "random seed (weights and batches)")->capture_default_str();
  app.add_option("-T,--threads", threads, "worker threads; 0 = all cores (default)")->type_name("N");
  app.add_option("--split", split, "TRAIN,VAL,TEST fractions of each file, contiguous ranges in that order")
      ->capture_default_str();
  app.add_option("--eval-every", o.eval_every, "steps between validations (0 = only at the end)")->capture_default_str();
  app.add_option("--eval-bytes", o.eval_bytes, "validation and test bytes measured")->capture_default_str();
  app.add_option("--patience", o.patience, "stop after this many validations without improvement (0 = off)")
      ->capture_default_str();
  app.add_option("--min-delta", o.min_delta, "validation bpb improvement that counts")->capture_default_str();
  app.add_option("--checkpoint", o.checkpoint_path,
                 "write the training state to FILE every --checkpoint-every steps and at the end")->type_name("FILE");
  app.add_option("--checkpoint-every", o.checkpoint_every, "steps between checkpoints (0 = only at the end)")
      ->capture_default_str();
  app.add_option("--resume", o.resume_path, "continue the run saved in a checkpoint (same options and data)")
      ->type_name("FILE")->check(CLI::ExistingFile);
  app.add_option("--log-every", log_every, "steps between progress lines (0 = validations only)")->capture_default_str();
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
  for (const auto& p : kPresets) {
    if (preset != p.name) continue;
    if (!*d_model) o.d_model = p.d_model;
    if (!*layers) o.layers = p.layers;
    if (!*heads) o.heads = p.heads;
    if (!*ff) o.ff = p.ff;
    if (!*window) o.window = p.window;
  }
  o.threads = resolve_threads(threads);

  if (dry_run) {
    return guarded("train", [&] {
      const TrainEstimate e = estimate_training(o);
      std::printf("parameters:    %llu\n", static_cast<unsigned long long>(e.parameters));
      std::printf("memory:        about %.1f MiB\n", static_cast<double>(e.memory_bytes) / (1 << 20));
      std::printf("speed:         %.2f steps/s, %.0f bytes/s with %u threads\n", e.steps_per_s, e.bytes_per_s, o.threads);
      if (o.steps) std::printf("%zu steps:     about %s\n", o.steps, duration_text(static_cast<double>(o.steps) / e.steps_per_s).c_str());
      return static_cast<int>(kExitOk);
    });
  }
  if (out.empty()) {
    std::fprintf(stderr, "nzip train: --out is required (unless --dry-run)\n");
    return kExitUsage;
  }
  try {
    const auto s = parse_split(split);
    o.train_fraction = s[0];
    o.val_fraction = s[1];
    o.test_fraction = s[2];
  } catch (const CliError& e) {
    std::fprintf(stderr, "nzip train: %s\n", e.what());
    return e.exit_code();
  }

  install_signal_cleanup();
  return guarded(display_name(out, true), [&] {
    struct stat st {};
    if (!force && ::lstat(out.c_str(), &st) == 0)
      throw CliError(kExitUsage, "already exists; use -f to overwrite");
    // Created first, so that an unwritable destination fails before minutes of training.
    TempOutput tmp(out);
    auto progress = [&](const TrainProgress& p) {
      if (!quiet && (p.val_bpb || (log_every && p.step % log_every == 0))) print_progress(p);
    };
    const TrainResult r = train_model(o, progress);
    FdSink sink(tmp.fd());
    sink.write(r.model.data(), r.model.size());
    tmp.commit(nullptr, force);
    if (!quiet) {
      std::fprintf(stderr, "nzip train: wrote %s: %llu parameters, %zu bytes; best step %zu of %zu%s; %.1f s, %.0f bytes/s\n",
                   out.c_str(), static_cast<unsigned long long>(r.parameters), r.model.size(), r.best_step, r.steps,
                   r.early_stopped ? " (early stop)" : "", r.seconds, r.bytes_per_s);
      std::fprintf(stderr, "nzip train: split %zu/%zu/%zu bytes (train/val/test)\n", r.train_bytes, r.val_bytes,
                   r.test_bytes);
      if (r.val_bpb)
        std::fprintf(stderr, "nzip train: validation %.4f bpb integer, %.4f float\n", *r.val_bpb, *r.val_float_bpb);
      if (r.test_bpb)
        std::fprintf(stderr, "nzip train: test %.4f bpb integer, %.4f float\n", *r.test_bpb, *r.test_float_bpb);
    }
    return static_cast<int>(kExitOk);
  });
}

}  // namespace nzip::cli
