#include "codec/chunk_codec.h"

#include <cstring>
#include <memory>
#include <string>

#include "cm/level_config.h"
#include "cm/predictor.h"
#include "coder/binary_coder.h"
#include "nzip/error.h"

namespace nzip::codec {

namespace {

// A correct stream never needs more zero bytes past its end than this; more means the
// payload was cut short or damaged.
constexpr uint64_t kMaxOverrun = 8;

std::vector<uint8_t> encode_cm(std::span<const uint8_t> in, int level) {
  std::vector<uint8_t> out;
  out.reserve(in.size() / 3 + 64);
  auto predictor = std::make_unique<cm::Predictor>(level, in.data(), in.size());
  coder::BinaryEncoder enc(out);
  for (const uint8_t c : in) {
    for (int i = 7; i >= 0; --i) {
      const int bit = (c >> i) & 1;
      enc.encode(bit, static_cast<uint32_t>(predictor->p()));
      predictor->update(bit);
    }
    // Stop early once coding cannot beat storing: the caller stores the chunk instead.
    if (out.size() > in.size()) return out;
  }
  enc.finish();
  return out;
}

void decode_cm(std::span<const uint8_t> payload, std::span<uint8_t> out, int level) {
  auto predictor = std::make_unique<cm::Predictor>(level, out.data(), out.size(), out.data());
  coder::BinaryDecoder dec(payload);
  for (size_t i = 0; i < out.size(); ++i) {
    // The predictor stores each completed byte in out[i] itself.
    for (int b = 0; b < 8; ++b) predictor->update(dec.decode(static_cast<uint32_t>(predictor->p())));
    if (dec.overrun() > kMaxOverrun) throw Error(ErrorCode::corrupt, "compressed data ends early");
  }
}

}  // namespace

EncodedChunk encode_chunk(std::span<const uint8_t> in, int level) {
  cm::level_config(level);  // validates the level
  if (!in.empty()) {
    std::vector<uint8_t> coded = encode_cm(in, level);
    if (coded.size() < in.size()) return {Method::cm, std::move(coded)};
  }
  return {Method::stored, std::vector<uint8_t>(in.begin(), in.end())};
}

void decode_chunk(Method method, std::span<const uint8_t> payload, std::span<uint8_t> out, int level) {
  switch (method) {
    case Method::stored:
      if (payload.size() != out.size())
        throw Error(ErrorCode::corrupt, "stored chunk has " + std::to_string(payload.size()) +
                                            " bytes, expected " + std::to_string(out.size()));
      if (!out.empty()) std::memcpy(out.data(), payload.data(), out.size());
      return;
    case Method::cm:
      cm::level_config(level);
      decode_cm(payload, out, level);
      return;
    case Method::cm_network:
    case Method::network:
      throw Error(ErrorCode::model_mismatch, "chunk needs a network model to decode");
  }
  throw Error(ErrorCode::corrupt, "unknown chunk method " + std::to_string(static_cast<int>(method)));
}

uint64_t codec_memory(int level) { return cm::predictor_memory(level); }

uint64_t default_chunk_size(int level) { return cm::level_config(level).chunk_size; }

}  // namespace nzip::codec
