#include "loss_curve.h"

#include <algorithm>
#include <cstdio>

namespace nzip::cli {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string loss_curve_svg(const std::vector<CurvePoint>& train, const std::vector<CurvePoint>& val,
                           const std::string& title) {
  constexpr double W = 640, H = 400, L = 60, R = 20, T = 40, B = 50;
  double max_step = 1, lo = 1e9, hi = 0;
  for (const auto* series : {&train, &val})
    for (const auto& p : *series) {
      max_step = std::max(max_step, p.step);
      lo = std::min(lo, p.bpb);
      hi = std::max(hi, p.bpb);
    }
  if (hi <= lo) {
    lo = 0;
    hi = std::max(hi, 8.0);
  }
  auto x = [&](double step) { return L + (W - L - R) * step / max_step; };
  auto y = [&](double bpb) { return T + (H - T - B) * (hi - bpb) / (hi - lo); };
  char buf[256];
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" font-family=\"sans-serif\" "
                  "font-size=\"12\">\n<rect width=\"640\" height=\"400\" fill=\"white\"/>\n";
  std::snprintf(buf, sizeof buf, "<text x=\"%g\" y=\"24\" font-size=\"14\">%s</text>\n", L, escape(title).c_str());
  s += buf;
  std::snprintf(buf, sizeof buf, "<path d=\"M%g %gV%gH%g\" stroke=\"black\" fill=\"none\"/>\n", L, T, H - B, W - R);
  s += buf;
  for (int i = 0; i <= 4; ++i) {  // y ticks
    const double v = lo + (hi - lo) * i / 4;
    std::snprintf(buf, sizeof buf, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%.2f</text>\n", L - 6, y(v) + 4, v);
    s += buf;
  }
  std::snprintf(buf, sizeof buf,
                "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">step %.0f</text>\n"
                "<text x=\"12\" y=\"%g\" transform=\"rotate(-90 12 %g)\" text-anchor=\"middle\">bits per byte</text>\n",
                W - R, H - 18, max_step, (T + H - B) / 2, (T + H - B) / 2);
  s += buf;
  auto polyline = [&](const std::vector<CurvePoint>& pts, const char* colour) {
    if (pts.empty()) return;
    s += "<polyline fill=\"none\" stroke=\"";
    s += colour;
    s += "\" stroke-width=\"1.5\" points=\"";
    for (const auto& p : pts) {
      std::snprintf(buf, sizeof buf, "%.1f,%.1f ", x(p.step), y(p.bpb));
      s += buf;
    }
    s += "\"/>\n";
  };
  polyline(train, "#4477aa");
  polyline(val, "#cc3311");
  std::snprintf(buf, sizeof buf,
                "<text x=\"%g\" y=\"%g\" fill=\"#4477aa\">training loss</text>\n"
                "<text x=\"%g\" y=\"%g\" fill=\"#cc3311\">validation (integer engine)</text>\n",
                W - 220, T + 4, W - 220, T + 20);
  s += buf;
  return s + "</svg>\n";
}

}  // namespace nzip::cli
