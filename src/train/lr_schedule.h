// train/lr_schedule.h — learning rate as a function of the run's progress p ∈ [0, 1]
// (steps done / step budget, or elapsed / time budget, whichever is further): linear
// warm-up from 0 to peak over the first `warmup` of the run, then a cosine decay from peak
// to min_lr at p = 1, held after.
#pragma once

namespace nzip::train {

struct LrSchedule {
  float peak = 2e-3f;
  float min_lr = 2e-4f;
  double warmup = 0.05;

  float at(double progress) const;
};

}  // namespace nzip::train
