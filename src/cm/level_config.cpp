#include "cm/level_config.h"

#include <algorithm>
#include <array>
#include <string>

#include "cm/table_memory.h"
#include "nzip/error.h"

namespace nzip::cm {

namespace {

using K = ContextKind;
constexpr uint64_t MiB = 1 << 20;

const std::array<LevelConfig, 9>& table() {
  // Contexts were chosen by measured gain per unit of time (each costs two slot lookups a
  // byte and one mixer input); the default level 6 is where gains flatten out.
  static const std::array<LevelConfig, 9> levels = {{
      /*1*/ {20, 18, 6, {K::order2, K::order3, K::order4, K::order6, K::word}, 0, 1, 1 * MiB},
      /*2*/ {21, 19, 6, {K::order2, K::order3, K::order4, K::order6, K::word, K::record_pos}, 0, 1, 1 * MiB},
      /*3*/ {21, 20, 6, {K::order2, K::order3, K::order4, K::order6, K::word, K::word_pair, K::sparse_4, K::record_above, K::record_pos}, 1, 3, 2 * MiB},
      /*4*/ {22, 20, 6, {K::order2, K::order3, K::order4, K::order5, K::order6, K::word, K::word_pair, K::text_column, K::sparse_4, K::record_above, K::record_pos}, 1, 3, 2 * MiB},
      /*5*/ {22, 21, 6, {K::order2, K::order3, K::order4, K::order5, K::order8, K::word, K::word_pair, K::text_column, K::sparse_4, K::record_above, K::record_pos, K::indirect}, 1, 3, 2 * MiB},
      /*6*/ {23, 22, 6, {K::order2, K::order3, K::order4, K::order5, K::order8, K::word, K::word_pair, K::word_triple, K::text_column, K::sparse_4, K::record_above, K::record_pos, K::indirect}, 1, 3, 4 * MiB},
      /*7*/ {23, 22, 6, {K::order2, K::order3, K::order4, K::order5, K::order6, K::order8, K::order12, K::word, K::word_pair, K::word_triple, K::text_column, K::sparse_2, K::sparse_4, K::sparse_23, K::record_above, K::record_column, K::record_pos, K::indirect}, 2, 3, 8 * MiB},
      /*8*/ {24, 22, 6, {K::order2, K::order3, K::order4, K::order5, K::order6, K::order7, K::order8, K::order12, K::order16, K::word, K::word_pair, K::word_triple, K::text_column, K::sparse_2, K::sparse_3, K::sparse_4, K::sparse_23, K::sparse_13, K::sparse_24, K::record_above, K::record_column, K::record_pos, K::indirect}, 2, 3, 8 * MiB},
      /*9*/ {24, 23, 6, {K::order2, K::order3, K::order4, K::order5, K::order6, K::order7, K::order8, K::order12, K::order16, K::order24, K::word, K::word_pair, K::word_triple, K::text_column, K::sparse_2, K::sparse_3, K::sparse_4, K::sparse_23, K::sparse_13, K::sparse_24, K::record_above, K::record_column, K::record_pos, K::indirect}, 2, 3, 16 * MiB},
  }};
  return levels;
}

}  // namespace

const LevelConfig& level_config(int level) {
  if (level < 1 || level > 9)
    throw Error(ErrorCode::invalid_argument, "level " + std::to_string(level) + " is out of range 1..9");
  return table()[static_cast<size_t>(level - 1)];
}

namespace {

// Every level's configuration of profile `base`, each changed by `edit`.
template <typename Edit>
std::array<LevelConfig, 9> derive_levels(Profile base, Edit edit) {
  std::array<LevelConfig, 9> out;
  for (int l = 1; l <= 9; ++l) {
    LevelConfig c = level_config(l, base);
    edit(c);
    out[static_cast<size_t>(l - 1)] = c;
  }
  return out;
}

}  // namespace

Profile prose_profile_for(int level) { return level == 6 ? Profile::prose_direct : Profile::prose; }

const LevelConfig& level_config(int level, Profile profile) {
  const LevelConfig& general = level_config(level);
  if (profile == Profile::general) return general;
  if (profile == Profile::prose_direct) {
    static const std::array<LevelConfig, 9> direct = derive_levels(Profile::prose_lean, [](LevelConfig& c) {
      c.apm_stages = -1;
      // A quarter of the match index (4 MiB) and matches of 8 bytes: measured within ±0.1%
      // of the lean profile's sizes on text, and the smaller index misses cache less.
      c.match_bits = std::min(c.match_bits, 20);
      c.match_min_len = 8;
      // Half the slot table (32 MiB): bible.txt decodes in 0.91× the time for 0.58% of its size.
      c.slot_bits = std::min(c.slot_bits, 21);
    });
    return direct[static_cast<size_t>(level - 1)];
  }
  if (profile == Profile::prose_lean) {
    static const std::array<LevelConfig, 9> lean = derive_levels(Profile::prose, [](LevelConfig& c) {
      std::erase(c.contexts, K::order4);
      std::erase(c.contexts, K::word_pair);
      c.apm_stages = 0;
      c.slot_bits = std::min(c.slot_bits, 22);
    });
    return lean[static_cast<size_t>(level - 1)];
  }
  if (profile != Profile::prose) throw Error(ErrorCode::corrupt, "unknown model profile " + std::to_string(static_cast<int>(profile)));
  static const std::array<LevelConfig, 9> prose = [] {
    std::array<LevelConfig, 9> out;
    for (size_t i = 0; i < out.size(); ++i) {
      LevelConfig c = table()[i];
      std::erase_if(c.contexts, [](ContextKind k) {
        return (k >= K::sparse_2 && k <= K::sparse_24) || (k >= K::record_above && k <= K::record_pos);
      });
      if (i + 1 <= 6) {
        // The indirect context costs about 5% of the time on text for 0.15% of its size.
        std::erase(c.contexts, K::indirect);
        c.mixer_sets = 1;
        c.gate = MixerGate::byte_and_match;
        c.apm_stages = std::min(c.apm_stages, 1);
      }
      out[i] = c;
    }
    return out;
  }();
  return prose[static_cast<size_t>(level - 1)];
}

LevelConfig numeric_config(int level, uint32_t element_bytes, uint32_t record_elements) {
  if ((element_bytes != 2 && element_bytes != 4 && element_bytes != 8) || record_elements < 1 || record_elements > kMaxRecordElements)
    throw Error(ErrorCode::corrupt, "numeric layout out of range: " + std::to_string(element_bytes) + "-byte elements, " +
                                        std::to_string(record_elements) + " per record");
  LevelConfig c = level_config(level);
  // Chosen by leaving each out in turn on 1 MiB of each ../shared/corpus/float file at level 6:
  // the previous element's top bytes and the field matter most (0.7% and 0.3%); byte-order
  // contexts of order 5 and more, and the column's extrapolation used as raw bytes rather
  // than as a distance, gained nothing.
  if (level <= 2) {
    c.contexts = {K::order2, K::num_prefix, K::num_prev, K::num_col, K::num_field, K::num_delta_col};
  } else if (level <= 5) {
    c.contexts = {K::order2, K::order3, K::num_prefix, K::num_prev, K::num_col, K::num_field, K::num_col2,
                  K::num_delta_col, K::num_delta_prev};
  } else {
    c.contexts = {K::order2, K::order3, K::order4, K::num_prefix, K::num_prev, K::num_col, K::num_field,
                  K::num_col2, K::num_delta_col, K::num_delta_extrap, K::num_delta_prev};
  }
  c.gate = MixerGate::element;
  c.mixer_sets = 3;
  c.element_bytes = element_bytes;
  c.record_elements = record_elements;
  return c;
}

namespace {

int ceil_log2(uint64_t n) {
  int b = 0;
  while (b < 63 && (uint64_t{1} << b) < n) ++b;
  return b;
}

}  // namespace

int slot_bits_for(const LevelConfig& config, uint64_t length) {
  return std::min(config.slot_bits, std::max(12, ceil_log2(length) + 3));
}

int match_bits_for(const LevelConfig& config, uint64_t length) {
  return std::min(config.match_bits, std::max(10, ceil_log2(length) + 1));
}

uint64_t predictor_memory(int level, uint64_t length) {
  const LevelConfig& c = level_config(level);
  const uint64_t contexts = c.contexts.size();
  // The slot table, the match index and the APMs are BigTables (table_bytes: rounded up to
  // huge pages).
  const uint64_t slots = table_bytes(size_t{16} << slot_bits_for(c, length));
  const uint64_t match = table_bytes(size_t{4} << match_bits_for(c, length));
  const uint64_t direct = 256 + 65536 + 65536 * 2;            // order 0, order 1, indirect
  const uint64_t maps = 256 * (contexts + 2) * 4 + 128 * 4;   // state maps
  const size_t apm_row = 33 * 2;
  const uint64_t apms = table_bytes(256 * apm_row) + table_bytes((c.apm_stages >= 1 ? 65536 : 1) * apm_row) +
                        table_bytes((c.apm_stages >= 2 ? 65536 : 1) * apm_row);
  const uint64_t mixer = (2320 + 8) * 32 * 2;  // the largest gate layout (numeric), widest rows
  const uint64_t record = 256 * 12 + 4096 * 2;
  const uint64_t slack = uint64_t{1} << 20;  // allocator bookkeeping, vectors' rounding
  return slots + match + direct + maps + apms + mixer + record + slack;
}

uint64_t predictor_memory(int level) { return predictor_memory(level, UINT64_MAX); }

}  // namespace nzip::cm
