// nzip/train.h — training a transformer byte model on the user's data (`nzip train`):
// float32 training with hand-written backward passes, quantisation-aware in its later part,
// exported to a .nzm model that the bit-exact integer engine runs. docs/TRAIN.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nzip {

struct TrainOptions {
  std::string experiment;    // a name for the run (config files; shown in the summary)
  std::string out_path;      // where the CLI writes the model (train_model ignores it)
  std::vector<std::string> data_files;
  // Each file is cut into three contiguous byte ranges, in this order: train, validation,
  // test (fractions of its size; they must be ≥ 0 and sum to ≤ 1), so they never overlap.
  double train_fraction = 0.8, val_fraction = 0.1, test_fraction = 0.1;

  // Model (model/transformer.h); element_period 0 = no position-in-element table.
  uint32_t d_model = 64, layers = 2, heads = 4, ff = 192, window = 64, element_period = 0;

  // Budget: stop after `steps` steps or `minutes` of training (0 = no time limit), whichever
  // comes first; the learning-rate schedule follows whichever is further along.
  size_t steps = 2000;
  double minutes = 0;

  size_t batch = 16;                   // sequences per step
  size_t min_len = 0, max_len = 0;     // sequence length range per batch (0: window/2, 2·window)
  float lr = 2e-3f, min_lr = 2e-4f;    // cosine from lr to min_lr
  double warmup = 0.05;                // fraction of the run
  float weight_decay = 0.1f, beta1 = 0.9f, beta2 = 0.95f;
  float clip = 1.0f;                   // global gradient norm (0 = off)
  double qat_from = 0.3;               // quantisation-aware training from this fraction on
  uint64_t seed = 1;
  unsigned threads = 0;                // 0 = all cores (resolve_threads)

  size_t eval_every = 200;             // steps between validations (0: only at the end)
  size_t eval_bytes = 65536;           // validation/test bytes used (from the split's start)
  size_t eval_chunk = 4096;            // bytes per independent evaluation chunk
  size_t patience = 0;                 // validations without improvement before stopping (0 = off)
  double min_delta = 0.001;            // bpb improvement that counts

  // Checkpoints: the whole training state (weights, optimiser moments, random state, best
  // model so far) written atomically to checkpoint_path every checkpoint_every steps and at
  // the end (empty path: none). resume_path continues such a run exactly where it stopped;
  // the options that shape the run (model, data sizes, batch, lengths, seed, threads, budget)
  // must be the ones it was started with.
  std::string checkpoint_path;
  size_t checkpoint_every = 200;
  std::string resume_path;
};

struct TrainProgress {
  size_t step = 0;          // steps done
  double progress = 0;      // of the budget, [0, 1]
  double train_bpb = 0;     // the last step's mean loss, bits per byte
  float lr = 0;
  bool qat = false;
  double bytes_per_s = 0;   // training bytes per second so far
  double elapsed_s = 0;
  std::optional<double> val_bpb;        // integer engine, when this line follows a validation
  std::optional<double> val_float_bpb;  // float model on the same bytes
};

struct TrainResult {
  std::vector<uint8_t> model;  // the .nzm bytes of the best validated model
  size_t steps = 0, best_step = 0;
  bool early_stopped = false;
  double seconds = 0, bytes_per_s = 0;
  uint64_t parameters = 0;
  size_t train_bytes = 0, val_bytes = 0, test_bytes = 0;
  std::optional<double> val_bpb, val_float_bpb;    // of the best model
  std::optional<double> test_bpb, test_float_bpb;  // of the best model, on the test split
  std::vector<uint8_t> test_sample;                // the test bytes measured (for baselines)
};

// Trains as `options` say, calling `progress` (when set) after every step. Throws
// nzip::Error(invalid_argument) for options out of range or too little training data,
// Error(io) when a data file cannot be read.
TrainResult train_model(const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress);

// Sets the model dimensions of a preset: "tiny" (d 64, 2 layers, 4 heads, ff 192, window
// 64; the default, sized for a 2-core machine), "small" (128/4/4/384/128) or "base"
// (256/6/8/768/256). Throws Error(invalid_argument) for another name.
void apply_train_preset(const std::string& name, TrainOptions& options);

// Reads a YAML training configuration (the keys of train_config_template()) over `base`:
// keys that are absent keep base's values; model.preset is applied before the model's other
// keys. Throws Error(invalid_argument) naming the key for an unknown key or a value of the
// wrong type, Error(io) when the file cannot be read or is not YAML.
TrainOptions load_train_config(const std::string& path, TrainOptions base);

// A commented YAML configuration with every key at its default value.
std::string train_config_template();

// What a run would cost, for --dry-run: parameter count, an estimate of the memory the
// trainer holds (weights, moments, per-thread gradients and activations) and the measured
// speed of a few steps on the options' data.
struct TrainEstimate {
  uint64_t parameters = 0;
  uint64_t memory_bytes = 0;
  double steps_per_s = 0, bytes_per_s = 0;
};

// Throws as train_model does.
TrainEstimate estimate_training(const TrainOptions& options);

}  // namespace nzip
