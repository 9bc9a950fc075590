// cm/level_config.h — what the context-mixing predictor of each level (1..9) contains.
//
// Memory of a level is fixed by this table (hash table + match index + small tables), not by
// the input size.
#pragma once

#include <cstdint>
#include <vector>

namespace nzip::cm {

// Contexts that live in the shared hashed slot table.
enum class ContextKind : uint8_t {
  order2, order3, order4, order5, order6, order7, order8, order12, order16, order24,
  word,          // current word (letters, case-folded) and the last byte
  word_pair,     // current and previous word
  word_triple,   // current and two previous words
  text_column,   // column in the line and the byte above it in the previous line
  sparse_2,      // byte −2 alone
  sparse_3,      // byte −3 alone
  sparse_23,     // bytes −2 and −3
  sparse_4,      // byte −4 alone (same byte of the previous 32-bit element)
  sparse_13,     // bytes −1 and −3
  sparse_24,     // bytes −2 and −4
  record_above,  // the byte one record earlier, and the last byte
  record_column, // the byte one record earlier and two records earlier
  record_pos,    // the byte one record earlier and the position in the record
  indirect,      // the byte that followed the last occurrence of the last two bytes
};

// Gates of the mixer's weight sets (mixer_sets of them, in this order).
enum class MixerGate : uint8_t {
  separate,         // set 0: the partial byte; set 1: the match length; set 2: the previous byte
  byte_and_match,   // one set gated by the partial byte and a coarse match length together
};

// Which variant of a level's model a chunk uses (chunk method 4 records it per chunk).
enum class Profile : uint8_t {
  general = 0,  // the level's full context set
  prose = 1,    // natural-language text: no sparse or record contexts, a lighter mixer
};

struct LevelConfig {
  int slot_bits;      // log2 of 16-byte slots in the hashed table
  int match_bits;     // log2 of match index entries
  int match_min_len;  // bytes that must repeat before the match model predicts
  std::vector<ContextKind> contexts;
  int apm_stages;     // APMs after the order-0 one: 0, 1 (order 1) or 2 (orders 1 and 2)
  int mixer_sets;     // 1..3 weight sets, each with its own gate
  uint64_t chunk_size;
  MixerGate gate = MixerGate::separate;
};

// The configuration of `level` (1..9) as chunk method 1 codes it (frozen: files written with
// it must keep decoding); throws nzip::Error(invalid_argument) for a level out of range.
const LevelConfig& level_config(int level);

// The configuration of `level` for `profile`, as chunk method 4 codes it. The general profile
// is method 1's table; the prose profile drops the contexts that only help binary and tabular
// data and, up to level 6, the indirect context too, and mixes with one set under a combined
// gate and one APM after the order-0 one: text codes about 1.5× faster for about 0.9% of its
// size (../shared/corpus/text at level 6).
const LevelConfig& level_config(int level, Profile profile);

// Bytes one predictor of this level allocates.
uint64_t predictor_memory(int level);

}  // namespace nzip::cm
