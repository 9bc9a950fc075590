#include "codec/network_codec.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "cm/level_config.h"
#include "cm/network_mix.h"
#include "codec/chunk_plan.h"
#include "codec/cm_coding.h"
#include "coder/binary_coder.h"
#include "coder/range_coder.h"
#include "nzip/error.h"

namespace nzip::codec {

namespace {

constexpr size_t kSegment = kNetworkSegment;
constexpr int kFreqBits = 16;  // the model's tables sum to 2^16

uint32_t cum_of(const uint16_t* freq, uint8_t c) {
  uint32_t cum = 0;
  for (int i = 0; i < c; ++i) cum += freq[i];
  return cum;
}

void check_method(Method method) {
  if (!needs_network(method)) throw Error(ErrorCode::internal, "network codec asked for a method without a network");
}

// The plan of a chunk of `method`: read from the front of `payload` (which loses the plan
// header) for methods 5 and 6; none (no transform, the general profile) for methods 2 and 3.
ChunkPlan read_network_plan(Method method, std::span<const uint8_t>& payload) {
  return is_planned_network(method) ? read_plan_header(payload) : ChunkPlan{};
}

}  // namespace

std::vector<uint8_t> encode_network_chunk(const model::TransformerModel& model, std::span<const uint8_t> chunk,
                                          int level, Method method, const ChunkPlan& chunk_plan, bool give_up) {
  check_method(method);
  cm::level_config(level);  // validates the level
  std::vector<uint8_t> out;
  out.reserve(chunk.size() / 2 + 64);
  // Method 5 codes the chunk in its plan's order; the network sees the same bytes as the
  // context mixing (nzip train learns from bytes in this order too).
  std::vector<uint8_t> transformed;
  std::span<const uint8_t> in = chunk;
  ChunkPlan plan;
  if (is_planned_network(method)) {
    plan = chunk_plan;
    append_plan_header(plan, out);
    in = coding_order(plan, chunk, transformed);
  }
  std::unique_ptr<cm::NetworkMixPredictor> mix;
  std::optional<coder::BinaryEncoder> bits;
  std::optional<coder::RangeEncoder> symbols;
  if (is_network_only(method)) {
    symbols.emplace(out);
  } else {
    mix = std::make_unique<cm::NetworkMixPredictor>(plan_config(plan, level), in.data(), in.size());
    bits.emplace(out);
  }
  model::TransformerState lane = model.make_state();
  std::vector<uint16_t> freq(std::min(kSegment, in.size()) * 256);  // (segment, 256)
  for (size_t at = 0; at < in.size(); at += kSegment) {
    const size_t n = std::min(kSegment, in.size() - at);
    model.forward_continue(lane, at == 0 ? 0 : in[at - 1], in.data() + at, n, freq.data());
    for (size_t t = 0; t < n; ++t) {
      const uint16_t* f = freq.data() + t * 256;
      const uint8_t c = in[at + t];
      if (mix) {
        mix->set_distribution(f);
        for (int i = 7; i >= 0; --i) {
          const int bit = (c >> i) & 1;
          bits->encode(bit, static_cast<uint32_t>(mix->p()));
          mix->update(bit);
        }
      } else {
        symbols->encode_pow2(cum_of(f, c), f[c], kFreqBits);
      }
    }
    // Stop early once coding cannot beat storing: the caller stores the chunk instead.
    if (give_up && out.size() > in.size()) return out;
  }
  if (bits) bits->finish();
  if (symbols) symbols->finish();
  return out;
}

namespace {

// The decoding side of one lane. It decodes the chunk in coding order into `seq`: the
// lane's output itself, or for a method 5 chunk with a transform a buffer whose inverse
// transform finish() writes to the output.
struct LaneDecoder {
  LaneDecoder(NetworkLane& l, int level) : lane(&l), payload(l.payload), seq(l.out) {
    check_method(l.method);
    plan = read_network_plan(l.method, payload);
    if (plan.transform.kind != TransformKind::none) {
      transformed.resize(l.out.size());
      seq = transformed;
    }
    if (is_network_only(l.method)) {
      plan_config(plan, level);  // validates the plan's profile and layout, as method 5 does
      symbols.emplace(payload);
      return;
    }
    mix = std::make_unique<cm::NetworkMixPredictor>(plan_config(plan, level), seq.data(), seq.size(), seq.data());
    bits.emplace(payload);
  }

  // Decodes byte t of the chunk's coding order from the model's frequencies `f` and stores
  // it in seq[t].
  void decode(size_t t, const uint16_t* f) {
    if (mix) {
      // The predictor stores the completed byte in seq[t] itself.
      mix->set_distribution(f);
      for (int b = 0; b < 8; ++b) mix->update(bits->decode(static_cast<uint32_t>(mix->p())));
      if (bits->overrun() > kMaxCoderOverrun) throw Error(ErrorCode::corrupt, "compressed data ends early");
      return;
    }
    const uint32_t target = symbols->decode_freq_pow2(kFreqBits);
    uint32_t cum = 0;
    int c = 0;
    // target < 2^16 = Σ f, so the scan stops at a symbol.
    while (cum + f[c] <= target) cum += f[c++];
    symbols->consume_pow2(cum, f[c], kFreqBits);
    seq[t] = static_cast<uint8_t>(c);
    if (symbols->overrun() > kMaxCoderOverrun) throw Error(ErrorCode::corrupt, "compressed data ends early");
  }

  // After the last byte: the original order.
  void finish() {
    if (!transformed.empty()) invert_transform(plan.transform, transformed, lane->out);
  }

  NetworkLane* lane;
  std::span<const uint8_t> payload;  // the coded bits, after any plan header
  ChunkPlan plan;
  std::vector<uint8_t> transformed;
  std::span<uint8_t> seq;
  model::TransformerState state;
  std::unique_ptr<cm::NetworkMixPredictor> mix;
  std::optional<coder::BinaryDecoder> bits;
  std::optional<coder::RangeDecoder> symbols;
};

}  // namespace

void decode_network_lanes(const model::TransformerModel& model, int level, std::span<NetworkLane> lanes) {
  std::vector<std::unique_ptr<LaneDecoder>> dec(lanes.size());
  size_t longest = 0;
  for (size_t i = 0; i < lanes.size(); ++i) {
    try {
      dec[i] = std::make_unique<LaneDecoder>(lanes[i], level);
      dec[i]->state = model.make_state();
    } catch (...) {
      lanes[i].error = std::current_exception();
      dec[i].reset();
      continue;
    }
    longest = std::max(longest, lanes[i].out.size());
  }
  std::vector<model::TransformerState*> states;
  std::vector<uint8_t> prev;
  std::vector<size_t> active;
  std::vector<uint16_t> freq(lanes.size() * 256);  // (active lanes, 256)
  for (size_t t = 0; t < longest; ++t) {
    states.clear();
    prev.clear();
    active.clear();
    for (size_t i = 0; i < lanes.size(); ++i) {
      if (!dec[i] || t >= lanes[i].out.size()) continue;
      active.push_back(i);
      states.push_back(&dec[i]->state);
      prev.push_back(t == 0 ? 0 : dec[i]->seq[t - 1]);
    }
    if (active.empty()) break;
    model.step(states, prev, freq.data());
    for (size_t a = 0; a < active.size(); ++a) {
      const size_t i = active[a];
      try {
        dec[i]->decode(t, freq.data() + a * 256);
        if (t + 1 == lanes[i].out.size()) dec[i]->finish();
      } catch (...) {
        lanes[i].error = std::current_exception();
        dec[i].reset();
      }
    }
  }
}

}  // namespace nzip::codec
