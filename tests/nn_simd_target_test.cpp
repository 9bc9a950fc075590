// Proves the NZIP_SIMD contract of src/nn/simd_target: every documented name parses, an
// unknown name or one of another architecture is an invalid_argument error naming what
// would work, forcing a target makes the kernels dispatch to it, and clearing (or an unset
// or empty variable) returns to the best target.
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cstdlib>
#include <string>

#include "nn/simd_target.h"
#include "nzip/error.h"

namespace nzip::nn {
namespace {

// Sets or unsets NZIP_SIMD for one test and puts the old value back.
class ScopedSimdEnv {
 public:
  explicit ScopedSimdEnv(const char* value) {
    if (const char* old = std::getenv("NZIP_SIMD")) old_ = old, had_ = true;
    if (value) setenv("NZIP_SIMD", value, 1); else unsetenv("NZIP_SIMD");
  }
  ~ScopedSimdEnv() {
    if (had_) setenv("NZIP_SIMD", old_.c_str(), 1); else unsetenv("NZIP_SIMD");
    try { apply_simd_env(); } catch (const Error&) {}
  }
 private:
  std::string old_;
  bool had_ = false;
};

TEST(NnSimdTarget, EveryDocumentedNameParses) {
  EXPECT_EQ(parse_simd_choice("scalar"), SimdChoice::scalar);
  EXPECT_EQ(parse_simd_choice("sse4"), SimdChoice::sse4);
  EXPECT_EQ(parse_simd_choice("avx2"), SimdChoice::avx2);
  EXPECT_EQ(parse_simd_choice("avx512"), SimdChoice::avx512);
  EXPECT_EQ(parse_simd_choice("neon"), SimdChoice::neon);
  EXPECT_EQ(parse_simd_choice(""), std::nullopt);
}

TEST(NnSimdTarget, UnknownNamesAreInvalidArgumentsThatListTheValidOnes) {
  for (const char* bad : {"AVX2", "avx", "sse2", "avx512vnni", " scalar", "x"}) {
    try {
      parse_simd_choice(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_NE(std::string(e.what()).find("scalar|sse4|avx2|avx512|neon"), std::string::npos) << e.what();
    }
  }
}

TEST(NnSimdTarget, ScalarIsAlwaysAvailable) {
  const auto avail = available_simd_choices();
  ASSERT_FALSE(avail.empty());
  EXPECT_EQ(avail.front(), SimdChoice::scalar);
}

TEST(NnSimdTarget, ATargetOfAnotherArchitectureIsRefused) {
#if HWY_ARCH_X86
  const SimdChoice foreign = SimdChoice::neon;
#else
  const SimdChoice foreign = SimdChoice::avx2;
#endif
  try {
    force_simd_choice(foreign);
    ADD_FAILURE() << "forcing " << simd_choice_name(foreign) << " was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("not built for this architecture"), std::string::npos) << e.what();
  }
}

TEST(NnSimdTarget, ForcingEachAvailableChoiceDispatchesToIt) {
  clear_simd_choice();
  const std::string best = current_simd_target_name();
  for (SimdChoice c : available_simd_choices()) {
    force_simd_choice(c);
    const std::string now = current_simd_target_name();
    switch (c) {
      case SimdChoice::scalar: EXPECT_EQ(now, "SCALAR"); break;
      case SimdChoice::sse4: EXPECT_EQ(now, "SSE4"); break;
      case SimdChoice::avx2: EXPECT_EQ(now, "AVX2"); break;
      case SimdChoice::avx512: EXPECT_TRUE(now == "AVX3" || now == "AVX3_DL") << now; break;
      case SimdChoice::neon: EXPECT_EQ(now, "NEON"); break;
    }
  }
  clear_simd_choice();
  EXPECT_EQ(current_simd_target_name(), best);
}

TEST(NnSimdTarget, TheEnvironmentVariableForcesClearsAndRejects) {
  {
    ScopedSimdEnv env("scalar");
    EXPECT_EQ(apply_simd_env(), SimdChoice::scalar);
    EXPECT_EQ(current_simd_target_name(), "SCALAR");
  }
  {
    ScopedSimdEnv env("");
    EXPECT_EQ(apply_simd_env(), std::nullopt);
    EXPECT_EQ(current_simd_target_name(), simd_target_name(detected_simd_targets() & -detected_simd_targets()));
  }
  {
    ScopedSimdEnv env("turbo");
    EXPECT_THROW(apply_simd_env(), Error);
  }
}

}  // namespace
}  // namespace nzip::nn
