#include "nn/simd_target.h"

#include <hwy/highway.h>
#include <hwy/targets.h>

#include <cstdlib>

#include "nzip/error.h"

namespace nzip::nn {

namespace {

constexpr SimdChoice kAllChoices[] = {SimdChoice::scalar, SimdChoice::sse4, SimdChoice::avx2,
                                      SimdChoice::avx512, SimdChoice::neon};

std::string all_names() {
  std::string s;
  for (SimdChoice c : kAllChoices) {
    if (!s.empty()) s += "|";
    s += simd_choice_name(c);
  }
  return s;
}

std::string available_names() {
  std::string s;
  for (SimdChoice c : available_simd_choices()) {
    if (!s.empty()) s += ", ";
    s += simd_choice_name(c);
  }
  return s;
}

// Best (lowest bit: Highway orders targets best-first) of a non-empty set.
int64_t best_of(int64_t targets) { return targets & -targets; }

}  // namespace

const char* simd_choice_name(SimdChoice c) noexcept {
  switch (c) {
    case SimdChoice::scalar: return "scalar";
    case SimdChoice::sse4: return "sse4";
    case SimdChoice::avx2: return "avx2";
    case SimdChoice::avx512: return "avx512";
    case SimdChoice::neon: return "neon";
  }
  return "unknown";
}

std::optional<SimdChoice> parse_simd_choice(std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (SimdChoice c : kAllChoices) {
    if (name == simd_choice_name(c)) return c;
  }
  throw Error(ErrorCode::invalid_argument,
              "NZIP_SIMD=" + std::string(name) + ": unknown SIMD target (expected one of " +
                  all_names() + ")");
}

int64_t simd_choice_targets(SimdChoice c) noexcept {
  // Bits of another architecture are 0 here, so e.g. neon maps to nothing on x86.
  switch (c) {
    case SimdChoice::scalar: return HWY_SCALAR;
#if HWY_ARCH_X86
    case SimdChoice::sse4: return HWY_SSE4;
    case SimdChoice::avx2: return HWY_AVX2;
    case SimdChoice::avx512: return HWY_AVX3 | HWY_AVX3_DL;
#else
    case SimdChoice::sse4: return 0;
    case SimdChoice::avx2: return 0;
    case SimdChoice::avx512: return 0;
#endif
#if HWY_ARCH_ARM
    case SimdChoice::neon: return HWY_NEON;
#else
    case SimdChoice::neon: return 0;
#endif
  }
  return 0;
}

int64_t compiled_simd_targets() noexcept { return HWY_TARGETS; }

int64_t detected_simd_targets() {
  // Detected once, before anything is forced; later calls must not undo a forcing.
  static const int64_t detected = [] {
    hwy::SetSupportedTargetsForTest(0);
    hwy::DisableTargets(0);
    return hwy::SupportedTargets() & HWY_TARGETS;
  }();
  return detected;
}

std::vector<SimdChoice> available_simd_choices() {
  std::vector<SimdChoice> out;
  for (SimdChoice c : kAllChoices) {
    if ((simd_choice_targets(c) & detected_simd_targets()) != 0) out.push_back(c);
  }
  return out;
}

void force_simd_choice(SimdChoice c) {
  const int64_t usable = simd_choice_targets(c) & detected_simd_targets();
  if (usable == 0) {
    const char* why = (simd_choice_targets(c) & compiled_simd_targets()) == 0
                          ? "not built for this architecture"
                          : "not supported by this CPU";
    throw Error(ErrorCode::invalid_argument,
                std::string("NZIP_SIMD=") + simd_choice_name(c) + ": " + why +
                    " (available here: " + available_names() + ")");
  }
  hwy::DisableTargets(~usable);
}

void clear_simd_choice() {
  detected_simd_targets();
  hwy::DisableTargets(0);
}

std::optional<SimdChoice> apply_simd_env() {
  const char* env = std::getenv("NZIP_SIMD");
  const std::optional<SimdChoice> c = parse_simd_choice(env == nullptr ? "" : env);
  if (c) {
    force_simd_choice(*c);
  } else {
    clear_simd_choice();
  }
  return c;
}

void ensure_simd_env_applied() {
  // A throwing initialiser leaves the static uninitialised, so a bad NZIP_SIMD throws on
  // every call rather than letting later calls run on a target nobody chose.
  static const bool applied = [] {
    apply_simd_env();
    return true;
  }();
  (void)applied;
}

std::string current_simd_target_name() {
  const int64_t now = hwy::SupportedTargets() & HWY_TARGETS;
  return simd_target_name(now == 0 ? HWY_STATIC_TARGET : best_of(now));
}

std::string simd_target_name(int64_t target) { return hwy::TargetName(target); }

}  // namespace nzip::nn
