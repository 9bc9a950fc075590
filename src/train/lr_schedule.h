// train/lr_schedule.h — learning rate at a step: linear warm-up from 0 to peak over
// `warmup` steps, then a cosine decay from peak to min_lr at step `total`, held after.
#pragma once

#include <cstddef>

namespace nzip::train {

struct LrSchedule {
  float peak = 2e-3f;
  float min_lr = 2e-4f;
  size_t warmup = 0;
  size_t total = 1;

  float at(size_t step) const;
};

}  // namespace nzip::train
