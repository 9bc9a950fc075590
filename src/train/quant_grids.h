// train/quant_grids.h — the real value of one integer unit of each activation the integer
// engine computes. Fixed conventions (training learns to live inside them), from which the
// exporter derives every requantisation multiplier, so float and integer models agree:
//   norm outputs int8 · 1/32       (rms-normalised values of magnitude ≈ 1 use ±32 codes)
//   q, k         int16 · 1/256     (logit z = q·k/2^8 is then 256·(real q·k))
//   v and attention output  int8 · 1/32
//   gate, up, SiLU output, gated hidden  int8 · 1/32  (the make_random_transformer tables)
//   norm gains   int16 · (1/32)/256 (nn::rmsnorm's output shift of 24 = 16 + 8)
// The residual's unit is not fixed: it is the embedding tables' scale, max|E, P|/127.
#pragma once

namespace nzip::train {

inline constexpr float kNormScale = 1.0f / 32;
inline constexpr float kQkScale = 1.0f / 256;
inline constexpr float kValueScale = 1.0f / 32;
inline constexpr float kGateScale = 1.0f / 32;
inline constexpr float kUpScale = 1.0f / 32;
inline constexpr float kSiluScale = 1.0f / 32;
inline constexpr float kHiddenScale = 1.0f / 32;
inline constexpr float kGainScale = kNormScale / 256;

}  // namespace nzip::train
