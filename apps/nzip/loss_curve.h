// apps/nzip/loss_curve.h — the loss curve of a training run as a self-contained SVG: the
// training loss per progress line and the validation bpb (integer engine) per validation,
// in bits per byte against steps.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nzip::cli {

struct CurvePoint {
  double step = 0, bpb = 0;
};

// An SVG document; either series may be empty.
std::string loss_curve_svg(const std::vector<CurvePoint>& train, const std::vector<CurvePoint>& val,
                           const std::string& title);

}  // namespace nzip::cli
