#include "nn/activation.h"

#include <algorithm>
#include <string>

#include "nn/nn_tables.h"
#include "nn/requantize.h"
#include "nn/silu_products.h"
#include "nzip/error.h"

namespace nzip::nn {

namespace {
void check(bool ok, const char* what) {
  if (!ok) throw Error(ErrorCode::invalid_argument, std::string("activation: ") + what + " out of range");
}
int8_t sat8(int64_t v) { return static_cast<int8_t>(std::clamp<int64_t>(v, -128, 127)); }
}  // namespace

ActivationTable make_silu_table(int32_t in_mult, int in_shift, int32_t out_mult, int out_shift) {
  check(in_mult >= 0 && in_mult < (int32_t{1} << 30), "in_mult");
  check(out_mult >= 0 && out_mult <= (int32_t{1} << 24), "out_mult");
  check(in_shift >= 0 && in_shift <= kRequantizeMaxShift, "in_shift");
  check(out_shift >= 0 && out_shift <= kRequantizeMaxShift, "out_shift");
  ActivationTable t{};
  for (int q = -128; q <= 127; ++q) {
    const int64_t mag = q < 0 ? -q : q;
    const int64_t u = std::min<int64_t>(round_shift_half_even(mag * in_mult, in_shift), 8191);
    const int64_t e = kExp2Q30[u & 255] >> (u >> 8);
    const int64_t one = int64_t{1} << 30;
    const int64_t sigma = q >= 0 ? (one << 30) / (one + e) : (e << 30) / (one + e);
    t[static_cast<uint8_t>(q)] = sat8(round_shift_half_even(q * sigma * out_mult, out_shift));
  }
  return t;
}

void apply_activation(const ActivationTable& table, const int8_t* x, size_t n, int8_t* y) {
  for (size_t i = 0; i < n; ++i) y[i] = table[static_cast<uint8_t>(x[i])];
}

void swiglu(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t mult,
            int shift, int8_t* y) {
  check(mult >= 0 && mult < (int32_t{1} << 30), "mult");
  check(shift >= 0 && shift <= kRequantizeMaxShift, "shift");
  for (size_t i = 0; i < n; ++i) {
    const int64_t g = silu[static_cast<uint8_t>(a[i])];
    y[i] = sat8(round_shift_half_even(g * b[i] * mult, shift));
  }
}

void swiglu_fast(const ActivationTable& silu, const int8_t* a, const int8_t* b, size_t n, int32_t mult, int shift,
                 int8_t* y) {
  check(mult >= 0 && mult < (int32_t{1} << 30), "mult");
  check(shift >= 0 && shift <= kRequantizeMaxShift, "shift");
  constexpr size_t kBlock = 1024;  // products on the stack, a block at a time
  int32_t p[kBlock];
  for (size_t i0 = 0; i0 < n; i0 += kBlock) {
    const size_t m = std::min(kBlock, n - i0);
    silu_products(silu, a + i0, b + i0, m, p);
    requantize_i8(p, m, mult, shift, y + i0);
  }
}

}  // namespace nzip::nn
