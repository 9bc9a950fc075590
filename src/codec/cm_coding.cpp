#include "codec/cm_coding.h"

#include <memory>

#include "cm/predictor.h"
#include "coder/binary_coder.h"
#include "nzip/error.h"

namespace nzip::codec {

void encode_cm(std::span<const uint8_t> in, const cm::LevelConfig& config, std::vector<uint8_t>& out) {
  out.reserve(out.size() + in.size() / 3 + 64);
  auto predictor = std::make_unique<cm::Predictor>(config, in.data(), in.size());
  coder::BinaryEncoder enc(out);
  for (const uint8_t c : in) {
    for (int i = 7; i >= 0; --i) {
      const int bit = (c >> i) & 1;
      enc.encode(bit, static_cast<uint32_t>(predictor->p()));
      predictor->update(bit);
    }
    // Stop early once coding cannot beat storing: the caller stores the chunk instead.
    if (out.size() > in.size()) return;
  }
  enc.finish();
}

void decode_cm(std::span<const uint8_t> payload, std::span<uint8_t> out, const cm::LevelConfig& config) {
  auto predictor = std::make_unique<cm::Predictor>(config, out.data(), out.size(), out.data());
  coder::BinaryDecoder dec(payload);
  for (size_t i = 0; i < out.size(); ++i) {
    // The predictor stores each completed byte in out[i] itself.
    for (int b = 0; b < 8; ++b) predictor->update(dec.decode(static_cast<uint32_t>(predictor->p())));
    if (dec.overrun() > kMaxCoderOverrun) throw Error(ErrorCode::corrupt, "compressed data ends early");
  }
}

}  // namespace nzip::codec
