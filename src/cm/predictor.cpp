#include "cm/predictor.h"

#include <algorithm>

#include "cm/hash.h"
#include "cm/logistic.h"
#include "cm/state_table.h"
#include "nzip/error.h"

namespace nzip::cm {

namespace {

constexpr int kFixedInputs = 1 + 2 + 2;  // bias, order 0, order 1, match (2)

// Mixer learning rates (multipliers of the coding error), tuned on the corpus.
constexpr int kMixerRate = 7;
constexpr int kFinalRate = 3;

bool is_word_byte(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 128; }

// Rows of the mixer's weight sets: with separate gates, the first `count` of the partial
// byte, the match length, the previous byte; with the combined gate, the partial byte times
// four match-length classes.
std::vector<int> mixer_sets(const LevelConfig& c) {
  if (c.gate == MixerGate::byte_and_match) return {256 * 4};
  if (c.gate == MixerGate::element) return {256 * 8, 16, 256};
  std::vector<int> sizes = {256, 16, 256};
  sizes.resize(static_cast<size_t>(c.mixer_sets));
  return sizes;
}

// Match length bucket (0..15) → 0 (no match), 1 (under 7 bytes), 2 (under 15), 3 (longer).
int match_class(int bucket) { return bucket == 0 ? 0 : bucket < 4 ? 1 : bucket < 8 ? 2 : 3; }

// All ones over the low `bytes` bytes.
uint64_t element_mask(uint32_t bytes) { return bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1; }

// IEEE-754 bit patterns of `bytes`-byte floats ↔ unsigned keys in the order of the values,
// so that integer arithmetic on keys follows the values (roughly logarithmically).
uint64_t float_key(uint64_t v, uint32_t bytes) {
  const uint64_t sign = uint64_t{1} << (8 * bytes - 1);
  return (v & sign) ? (~v & element_mask(bytes)) : (v | sign);
}
uint64_t key_float(uint64_t k, uint32_t bytes) {
  const uint64_t sign = uint64_t{1} << (8 * bytes - 1);
  return (k & sign) ? (k & ~sign) : (~k & element_mask(bytes));
}

}  // namespace

Predictor::Predictor(int level, const uint8_t* buf, uint64_t length, uint8_t* sink)
    : Predictor(level_config(level), buf, length, sink) {}

Predictor::Predictor(const LevelConfig& config, const uint8_t* buf, uint64_t length, uint8_t* sink)
    : cfg_(config),
      buf_(buf),
      sink_(sink),
      order0_(256, 0),
      order1_(65536, 0),
      slots_(slot_bits_for(cfg_, length)),
      maps_(256 * (2 + cfg_.contexts.size()), 1023),
      states_(StateTable::get()),
      n_contexts_(cfg_.contexts.size()),
      elem_bytes_(cfg_.element_bytes),
      rec_elems_(std::max(cfg_.record_elements, 1u)),
      match_(match_bits_for(cfg_, length), cfg_.match_min_len),
      indirect_(65536, 0),
      mixer_(kFixedInputs + static_cast<int>(cfg_.contexts.size()), mixer_sets(cfg_), 8, kMixerRate, kFinalRate),
      apm_order0_(cfg_.apm_stages >= 0 ? 256 : 1, 7),
      apm_order1_(cfg_.apm_stages >= 1 ? 65536 : 1, 7),
      apm_order2_(cfg_.apm_stages >= 2 ? 65536 : 1, 7),
      apm0_(cfg_.apm_stages >= 0),
      apm1_(cfg_.apm_stages >= 1),
      apm2_(cfg_.apm_stages >= 2) {
  if (n_contexts_ > kMaxContexts) throw Error(ErrorCode::internal, "too many contexts for the predictor");
  for (const ContextKind k : cfg_.contexts) {
    uses_record_ |= k == ContextKind::record_above || k == ContextKind::record_column || k == ContextKind::record_pos;
    uses_indirect_ |= k == ContextKind::indirect;
  }
  maps_.init_from_states();
  for (size_t i = 0; i < cfg_.contexts.size(); ++i) hashes_[i] = hash_context(context_value(cfg_.contexts[i]), i + 1);
  find_slots(false);
}

uint64_t Predictor::context_value(ContextKind kind) const {
  const uint64_t c4 = c8_ & 0xFFFFFFFFull;
  const uint32_t rlen = record_.long_length();
  auto at = [&](uint64_t back) -> uint64_t { return back <= pos_ ? buf_[pos_ - back] : 0; };
  auto hash_back = [&](uint64_t n) -> uint64_t {
    uint64_t h = n;
    for (uint64_t i = 1; i <= n; ++i) h = (h + at(i) + 1) * 0x100000001B3ull;
    return h;
  };
  // Numeric profile: j bytes of the current element are known; top(v, n) is the first n
  // bytes of element v.
  const uint32_t j = elem_pos_;
  const uint64_t cur = j ? (c8_ & ((uint64_t{1} << (8 * j)) - 1)) : 0;
  const uint32_t e = elem_bytes_;
  auto top = [&](uint64_t v, uint32_t n) -> uint64_t { return n >= e ? v : v >> (8 * (e - n)); };
  auto with_cur = [&](uint64_t x) -> uint64_t { return (cur * 0x9E3779B97F4A7C15ull + x) * 8 + j; };
  // Where the element so far stands against a predicted element v: the signed difference of
  // the first j bytes in log classes, and v's next one and a half bytes.
  auto delta = [&](uint64_t v) -> uint64_t {
    const uint64_t vp = j ? top(v, j) : 0;
    const uint64_t d = cur >= vp ? cur - vp : vp - cur;
    const uint64_t cls = d == 0 ? 0 : static_cast<uint64_t>(64 - __builtin_clzll(d)) * 2 + (cur < vp);
    const uint64_t next = (j + 2 <= e ? top(v, j + 2) : top(v, j + 1) << 8) & 0xFFF0;
    return ((cls << 16 | next) << 3 | j);
  };
  switch (kind) {
    case ContextKind::num_delta_col: return delta(rec_elems_ > 1 ? col1_ : prev1_);
    case ContextKind::num_delta_extrap: return delta(extrap_);
    case ContextKind::num_delta_prev: return delta(prev1_);
    case ContextKind::num_prefix: return with_cur(0);
    case ContextKind::num_prev: return with_cur(top(prev1_, std::min(j + 1, 3u)));
    case ContextKind::num_col: return with_cur(top(rec_elems_ > 1 ? col1_ : prev2_, std::min(j + 1, 3u)));
    case ContextKind::num_field: return with_cur(field_ + 1);
    case ContextKind::num_col2: return with_cur(top(col1_, std::min(j + 1, 2u)) << 16 ^ top(col2_, std::min(j + 1, 2u)));
    case ContextKind::order2: return c8_ & 0xFFFF;
    case ContextKind::order3: return c8_ & 0xFFFFFF;
    case ContextKind::order4: return c4;
    case ContextKind::order5: return c8_ & 0xFFFFFFFFFFull;
    case ContextKind::order6: return c8_ & 0xFFFFFFFFFFFFull;
    case ContextKind::order7: return c8_ & 0xFFFFFFFFFFFFFFull;
    case ContextKind::order8: return c8_;
    case ContextKind::order12: return hash_back(12);
    case ContextKind::order16: return hash_back(16);
    case ContextKind::order24: return hash_back(24);
    case ContextKind::word: return word_[0] * 0x2545F4914F6CDD1Dull + (c8_ & 0xFF);
    case ContextKind::word_pair: return word_[0] * 0x2545F4914F6CDD1Dull + word_[1];
    case ContextKind::word_triple: return (word_[0] * 0x2545F4914F6CDD1Dull + word_[1]) * 0x9E3779B97F4A7C15ull + word_[2];
    case ContextKind::text_column: {
      const uint64_t col = pos_ - line_start_;
      const uint64_t above_pos = prev_line_start_ + col;
      const uint64_t above = above_pos < line_start_ ? buf_[above_pos] : 0;
      return (above << 16) | ((c8_ & 0xFF) << 8) | (col < 255 ? col : 255);
    }
    case ContextKind::sparse_2: return (c8_ >> 8) & 0xFF;
    case ContextKind::sparse_3: return (c8_ >> 16) & 0xFF;
    case ContextKind::sparse_23: return (c8_ >> 8) & 0xFFFF;
    case ContextKind::sparse_4: return ((c8_ >> 24) & 0xFF) | ((pos_ & 3) << 8);
    case ContextKind::sparse_13: return c8_ & 0xFF00FF;
    case ContextKind::sparse_24: return c8_ & 0xFF00FF00;
    case ContextKind::record_above:
      return rlen ? (at(rlen) << 8 | (c8_ & 0xFF)) | (uint64_t{rlen} << 16) : 0;
    case ContextKind::record_column:
      return rlen ? (at(rlen) << 8 | at(2 * rlen)) | (uint64_t{rlen} << 16) : 1;
    case ContextKind::record_pos:
      return rlen ? (at(rlen) | ((pos_ % rlen) << 8)) | (uint64_t{rlen} << 24) : 2;
    case ContextKind::indirect: {
      const uint64_t predicted = indirect_[c8_ & 0xFFFF];
      return predicted << 16 | (c8_ & 0xFFFF);
    }
  }
  return 0;
}

void Predictor::find_slots(bool second_nibble) {
  const size_t n = n_contexts_;
  if (second_nibble) {
    // prefetch_second_nibble() hashed both candidates; the fourth bit picks one.
    const uint32_t* next = next_hashes_[c0_ & 1];
    for (size_t i = 0; i < n; ++i) hashes_[i] = next[i];
  }
  for (size_t i = 0; i < n; ++i) slot_[i] = slots_.find(hashes_[i]);
}

void Predictor::prefetch_second_nibble() {
  // Three bits of the nibble are known, so its slot is one of two: load both while the
  // fourth bit is coded, instead of waiting for memory when it is known.
  const auto c = static_cast<uint64_t>(c0_) << 1;
  for (size_t i = 0; i < n_contexts_; ++i) {
    next_hashes_[0][i] = hash_context(hashes_[i], c);
    next_hashes_[1][i] = hash_context(hashes_[i], c | 1);
    slots_.prefetch(next_hashes_[0][i]);
    slots_.prefetch(next_hashes_[1][i]);
  }
}

int Predictor::p() {
  // Mixer inputs: [0] bias, [1..2] match model, [3] order 0, [4] order 1, [5..] hashed contexts.
  int16_t* in = mixer_.inputs();
  in[0] = 256;
  int match_in[2];
  match_.predict(c0_, bit_pos_, match_in);
  in[1] = static_cast<int16_t>(match_in[0]);
  in[2] = static_cast<int16_t>(match_in[1]);
  const size_t order1_index = ((c8_ & 0xFF) << 8) | static_cast<uint64_t>(c0_);
  state_ptr_[0] = &order0_[static_cast<size_t>(c0_)];
  state_ptr_[1] = &order1_[order1_index];
  const size_t n = n_contexts_;
  const int node = node_ - 1;
  for (size_t i = 0; i < n; ++i) state_ptr_[2 + i] = slot_[i] + node;
  for (size_t i = 0; i < n + 2; ++i) {
    map_index_[i] = static_cast<uint32_t>((i << 8) | *state_ptr_[i]);
    in[3 + i] = static_cast<int16_t>(stretch(maps_.p_at(map_index_[i])));
  }
  if (cfg_.gate == MixerGate::byte_and_match) {
    mixer_.select(0, c0_ + 256 * match_class(match_.length_bucket()));
  } else if (cfg_.gate == MixerGate::element) {
    mixer_.select(0, c0_ + 256 * static_cast<int>(elem_pos_));
  } else {
    mixer_.select(0, c0_);
  }
  if (cfg_.mixer_sets > 1) mixer_.select(1, match_.length_bucket());
  if (cfg_.mixer_sets > 2)
    mixer_.select(2, cfg_.gate == MixerGate::element ? static_cast<int>(col1_ >> (8 * (elem_bytes_ - 1))) : static_cast<int>(c8_ & 0xFF));
  mixer_.select_final(bit_pos_);
  int p = mixer_.mix();  // in [1, 65535] (squash's range)
  if (!apm0_) return p;
  const int a0 = apm_order0_.refine(p, static_cast<size_t>(c0_));
  p = (p + 3 * a0 + 2) >> 2;
  if (cfg_.apm_stages == 0) return p;
  const int a1 = apm_order1_.refine(p, order1_index);
  if (apm2_) {
    const size_t h2 = (hash_context(c8_ & 0xFFFF, 99) & 0xFF00) | static_cast<size_t>(c0_);
    const int a2 = apm_order2_.refine(p, h2);
    p = (2 * p + 3 * a1 + 3 * a2 + 4) >> 3;
  } else {
    p = (p + a1 + 1) >> 1;
  }
  if (p < 1) p = 1;
  if (p > 65535) p = 65535;
  return p;
}

void Predictor::update(int bit) {
  // The next bit's order-1 APM row is known now; load it while this bit's updates run.
  const uint64_t next_c0 = (static_cast<uint64_t>(c0_) << 1) | static_cast<uint64_t>(bit);
  if (apm1_) apm_order1_.prefetch(bit_pos_ == 7 ? (((next_c0 & 0xFF) << 8) | 1) : (((c8_ & 0xFF) << 8) | next_c0));
  // When this bit completes a byte, the next byte's contexts are hashed and their slots
  // requested first, so memory works while this bit's updates run. The updates below
  // read only what p() stored, never the byte state that begin_byte() changes.
  const bool byte_done = bit_pos_ == 7;
  if (byte_done) begin_byte(static_cast<uint8_t>(next_c0 & 0xFF));
  const StateTable& st = states_;
  const size_t n = n_contexts_ + 2;
  for (size_t i = 0; i < n; ++i) {
    maps_.update_at(map_index_[i], bit);
    *state_ptr_[i] = st.next(*state_ptr_[i], bit);
  }
  match_.update_bit(bit);
  mixer_.update(bit);
  if (apm0_) apm_order0_.update(bit);
  if (apm1_) apm_order1_.update(bit);
  if (apm2_) apm_order2_.update(bit);
  if (byte_done) {
    match_.update_byte(buf_, pos_);
    find_slots(false);
    return;
  }

  c0_ = (c0_ << 1) | bit;
  node_ = (node_ << 1) | bit;
  ++bit_pos_;
  if (bit_pos_ == 3) {
    prefetch_second_nibble();
  } else if (bit_pos_ == 4) {
    node_ = 1;
    find_slots(true);
  }
}

uint64_t Predictor::element_at(uint64_t k) const {
  const uint64_t start = k * elem_bytes_;
  uint64_t v = 0;
  for (uint32_t b = 0; b < elem_bytes_; ++b) v = v << 8 | buf_[start + b];
  return v;
}

void Predictor::begin_element() {
  const uint64_t k = pos_ / elem_bytes_;
  field_ = static_cast<uint32_t>(k % rec_elems_);
  prev1_ = k >= 1 ? element_at(k - 1) : 0;
  prev2_ = k >= 2 ? element_at(k - 2) : 0;
  col1_ = k >= rec_elems_ ? element_at(k - rec_elems_) : 0;
  col2_ = k >= 2 * uint64_t{rec_elems_} ? element_at(k - 2 * uint64_t{rec_elems_}) : 0;
  const uint64_t k1 = float_key(col1_, elem_bytes_), k2 = float_key(col2_, elem_bytes_);
  extrap_ = key_float((2 * k1 - k2) & element_mask(elem_bytes_), elem_bytes_);
}

void Predictor::begin_byte(uint8_t c) {
  // Indirect context: the two bytes before c were followed by c.
  if (uses_indirect_ && pos_ >= 2) {
    uint16_t& e = indirect_[c8_ & 0xFFFF];
    e = static_cast<uint16_t>((e << 8) | c);
  }
  if (sink_) sink_[pos_] = c;
  c8_ = (c8_ << 8) | c;
  ++pos_;
  c0_ = 1;
  bit_pos_ = 0;
  node_ = 1;

  if (is_word_byte(c)) {
    const int lower = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    word_[0] = (word_[0] + static_cast<uint64_t>(lower) + 1) * 0x100000001B3ull;
  } else if (word_[0] != 0) {
    word_[2] = word_[1];
    word_[1] = word_[0];
    word_[0] = 0;
  }
  if (c == '\n') {
    prev_line_start_ = line_start_;
    line_start_ = pos_;
  }
  if (uses_record_) record_.update(c, pos_);
  if (elem_bytes_) {
    if (++elem_pos_ == elem_bytes_) elem_pos_ = 0;
    if (elem_pos_ == 0) begin_element();
  }
  for (size_t i = 0; i < n_contexts_; ++i) {
    hashes_[i] = hash_context(context_value(cfg_.contexts[i]), i + 1);
    slots_.prefetch(hashes_[i]);
  }
  match_.hash_last_bytes(buf_, pos_);
}

}  // namespace nzip::cm
