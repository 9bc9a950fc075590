#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace nzip::train {

float LrSchedule::at(size_t step) const {
  if (step < warmup) return peak * static_cast<float>(step + 1) / static_cast<float>(warmup);
  if (step >= total || total <= warmup) return min_lr;
  const double progress = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
  const double cosine = 0.5 * (1.0 + std::cos(3.141592653589793 * progress));
  return min_lr + static_cast<float>(cosine) * (peak - min_lr);
}

}  // namespace nzip::train
