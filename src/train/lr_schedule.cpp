#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace nzip::train {

float LrSchedule::at(double progress) const {
  const double p = std::clamp(progress, 0.0, 1.0);
  if (p < warmup) return static_cast<float>(peak * p / warmup);
  const double decay = warmup < 1.0 ? (p - warmup) / (1.0 - warmup) : 1.0;
  const double cosine = 0.5 * (1.0 + std::cos(3.141592653589793 * decay));
  return min_lr + static_cast<float>(cosine) * (peak - min_lr);
}

}  // namespace nzip::train
