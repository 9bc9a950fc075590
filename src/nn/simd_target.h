// nn/simd_target.h — which SIMD target the integer inference kernels run on.
//
// Every kernel in src/nn is compiled once per Highway target (scalar, SSE4, AVX2, AVX-512,
// AVX-512 with VNNI on x86-64; NEON on aarch64) and dispatched at run time to the best one
// the CPU has. All targets give bit-identical results (integer arithmetic, exact sums), so
// the choice changes speed only. The environment variable NZIP_SIMD forces a target:
//
//   NZIP_SIMD=scalar|sse4|avx2|avx512|neon   (unset or empty: the best available)
//
// "avx512" means AVX-512 (F/BW/DQ/VL), with VNNI when the CPU has it (Highway's AVX3_DL,
// which also needs VBMI2, VAES, VPCLMULQDQ, BITALG, VPOPCNTDQ; otherwise AVX3).
// An unknown name, or a target this build or this CPU lacks, is an nzip::Error with
// ErrorCode::invalid_argument whose message lists the names that would work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nzip::nn {

// The names NZIP_SIMD accepts, in this order of preference (best last).
enum class SimdChoice : int { scalar, sse4, avx2, avx512, neon };

// Name of a choice as NZIP_SIMD spells it.
const char* simd_choice_name(SimdChoice c) noexcept;

// Parses an NZIP_SIMD value. Empty → nullopt (no forcing). Unknown → nzip::Error
// (invalid_argument). Does not check that the target is available.
std::optional<SimdChoice> parse_simd_choice(std::string_view name);

// Highway target bits (HWY_*) that a choice stands for.
int64_t simd_choice_targets(SimdChoice c) noexcept;

// Highway targets compiled into the kernels (HWY_TARGETS of src/nn).
int64_t compiled_simd_targets() noexcept;

// Compiled targets that this CPU supports, ignoring any forcing (clears it to look).
int64_t detected_simd_targets();

// Choices usable on this machine with this build, in preference order.
std::vector<SimdChoice> available_simd_choices();

// Restricts dispatch to `c` (its best supported Highway target). Throws nzip::Error
// (invalid_argument) when this build or CPU lacks it; then nothing changes.
void force_simd_choice(SimdChoice c);

// Undoes force_simd_choice: dispatch returns to the best available target.
void clear_simd_choice();

// Reads NZIP_SIMD and applies it (force_simd_choice), or clears a forcing when it is unset
// or empty. Throws nzip::Error on an unknown or unavailable name. Returns what was applied.
std::optional<SimdChoice> apply_simd_env();

// apply_simd_env() once per process, before the first kernel runs; each kernel's
// dispatcher calls it, so NZIP_SIMD takes effect without a caller doing anything. If the
// variable is bad, every kernel call throws the same error (nothing runs on a guess).
void ensure_simd_env_applied();

// Name of the Highway target the kernels dispatch to now ("AVX3_DL", "AVX2", "SCALAR", ...).
std::string current_simd_target_name();

// Highway's name of one target bit.
std::string simd_target_name(int64_t target);

}  // namespace nzip::nn
