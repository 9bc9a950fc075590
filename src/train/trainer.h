// train/trainer.h — the training loop: random batches of random-length sequences from the
// training bytes, gradients over threads, clipping, AdamW on a warm-up + cosine schedule,
// quantisation-aware from options.qat_from of the run, validation with the integer engine
// and early stopping that keeps the best model.
//
// Determinism: for a given seed, options and thread count, steps give identical weights —
// batches come from a seeded splitmix64, each thread handles a fixed range of the batch and
// the per-thread gradients are added in thread order. (A --minutes budget makes the
// schedule, and so the weights, depend on speed.)
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "nzip/train.h"
#include "model/model_file.h"
#include "train/adamw.h"
#include "train/float_transformer.h"
#include "train/lr_schedule.h"
#include "train/rng.h"

namespace nzip::train {

// An exported model and its bits per byte with the integer engine and the float model.
struct Validation {
  model::ModelFile file;
  double bpb = 0, float_bpb = 0;
};

class Trainer {
 public:
  // train_ends / val_ends: end offsets of the files' ranges in train / val (data_split.h;
  // empty = one file); sequences and validation chunks never cross them. Throws
  // nzip::Error(invalid_argument) for options out of range or when no file's training range
  // holds the longest sequence.
  Trainer(const TrainOptions& options, std::span<const uint8_t> train, std::span<const uint8_t> val,
          std::vector<size_t> train_ends = {}, std::vector<size_t> val_ends = {});

  const FloatTransformer& model() const { return model_; }
  const std::vector<float>& params() const { return params_; }
  size_t steps_done() const { return step_; }
  // Length of the last step's sequences.
  size_t last_length() const { return last_len_; }
  // Bytes the trainer holds at its peak: weights, forward copy, moments, per-thread
  // gradients, and each thread's saved activations for its longest sequences.
  uint64_t memory_estimate() const;

  // One optimiser step at run progress p ∈ [0, 1]; returns its mean loss in bits per byte.
  double step(double progress);

  // Validation: exports the current weights and measures them with the integer engine and
  // the float model on the first eval_bytes of the validation split.
  Validation validate(std::span<const uint8_t> data) const;

  // The whole run until the budget or early stopping (continuing a resumed run); the best
  // model's bpb on the first eval_bytes of `test` (when not empty) goes into the result.
  // Writes checkpoints when options.checkpoint_path is set.
  TrainResult run(const std::function<void(const TrainProgress&)>& progress, std::span<const uint8_t> test,
                  std::span<const size_t> test_ends = {});

  // The training state, to a file written atomically (a temporary file renamed over `path`).
  // Throws nzip::Error(io).
  void save_checkpoint(const std::string& path) const;
  // Restores a state save_checkpoint wrote for the same options. The file is untrusted:
  // Error(corrupt)/Error(truncated) when damaged, Error(invalid_argument) when it was made
  // with other options, Error(io) when unreadable.
  void load_checkpoint(const std::string& path);

 private:
  TrainOptions opt_;
  std::span<const uint8_t> train_, val_;
  std::vector<size_t> train_ends_, val_ends_;
  size_t min_len_, max_len_;
  FloatTransformer model_;
  std::vector<float> params_;
  std::vector<std::vector<float>> thread_grads_;
  AdamW adamw_;
  LrSchedule schedule_;
  Rng rng_;
  size_t step_ = 0;
  bool qat_ = false;
  float last_lr_ = 0;
  size_t last_len_ = 0;

  // Run state, kept here so that a checkpoint holds all of it.
  std::optional<Validation> best_;
  std::vector<float> best_params_;
  size_t best_step_ = 0, bad_validations_ = 0, validated_step_ = 0;
  uint64_t trained_bytes_ = 0;
  double elapsed_before_ = 0;  // seconds spent before a resume
};

}  // namespace nzip::train
