// The public entry point of training (nzip/train.h): files → splits → Trainer.
#include "nzip/train.h"

#include <algorithm>
#include <chrono>

#include "nzip/nzip.h"
#include "train/coding_order.h"
#include "train/data_split.h"
#include "train/trainer.h"

namespace nzip {

namespace {

// Training data is planned in pieces of this size (the compressor plans each of its chunks;
// the transforms work on elements, so any whole-element piece size gives the same bytes
// wherever the plan agrees).
constexpr size_t kCodingOrderPiece = size_t{1} << 20;

// The splits of the options' files. The model learns, and is measured on, the bytes in the
// order the compressor's model path will code them (train/coding_order.h); the test split's
// original bytes go to `original_test` when asked for (the report compresses them).
train::DataSplits coding_order_splits(const TrainOptions& options, std::vector<uint8_t>* original_test = nullptr) {
  // Ranges of whole element periods, so that row t mod P of the position table is the byte's
  // place in its element or record in every split, as in the compressor's chunks.
  train::DataSplits data = train::split_files(options.data_files, options.train_fraction, options.val_fraction,
                                              options.test_fraction, std::max<size_t>(options.element_period, 1));
  if (original_test) *original_test = data.test;
  train::to_coding_order(data.train, data.train_ends, kCodingOrderPiece, kDefaultLevel);
  train::to_coding_order(data.val, data.val_ends, kCodingOrderPiece, kDefaultLevel);
  train::to_coding_order(data.test, data.test_ends, kCodingOrderPiece, kDefaultLevel);
  return data;
}

}  // namespace

TrainResult train_model(const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress) {
  std::vector<uint8_t> original_test;
  const train::DataSplits data = coding_order_splits(options, &original_test);
  train::Trainer trainer(options, data.train, data.val, data.train_ends, data.val_ends);
  if (!options.resume_path.empty()) trainer.load_checkpoint(options.resume_path);
  TrainResult r = trainer.run(progress, data.test, data.test_ends);
  r.train_bytes = data.train.size();
  r.val_bytes = data.val.size();
  r.test_bytes = data.test.size();
  r.test_sample.assign(original_test.begin(),
                       original_test.begin() + static_cast<ptrdiff_t>(std::min(original_test.size(), options.eval_bytes)));
  return r;
}

TrainEstimate estimate_training(const TrainOptions& options) {
  const train::DataSplits data = coding_order_splits(options);
  train::Trainer trainer(options, data.train, data.val, data.train_ends, data.val_ends);
  TrainEstimate e;
  e.parameters = trainer.params().size();
  e.memory_bytes = trainer.memory_estimate();
  constexpr int kSteps = 3;
  const auto start = std::chrono::steady_clock::now();
  size_t bytes = 0;
  for (int s = 0; s < kSteps; ++s) {
    trainer.step(0.5);  // quantisation-aware, as most of a run is
    bytes += options.batch * trainer.last_length();
  }
  const double seconds = std::max(1e-9, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  e.steps_per_s = kSteps / seconds;
  e.bytes_per_s = static_cast<double>(bytes) / seconds;
  return e;
}

}  // namespace nzip
