// The public entry point of training (nzip/train.h): files → splits → Trainer.
#include "nzip/train.h"

#include "train/data_split.h"
#include "train/trainer.h"

namespace nzip {

TrainResult train_model(const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress) {
  const train::DataSplits data =
      train::split_files(options.data_files, options.train_fraction, options.val_fraction, options.test_fraction);
  train::Trainer trainer(options, data.train, data.val);
  TrainResult r = trainer.run(progress, data.test);
  r.train_bytes = data.train.size();
  r.val_bytes = data.val.size();
  r.test_bytes = data.test.size();
  return r;
}

}  // namespace nzip
