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
  // Numeric profile: the chunk is whole elements of element_bytes bytes, most significant
  // byte first (chunk method 4 reverses little-endian elements), in records of
  // record_elements elements. "The column" is the chain of elements one record apart (one
  // element apart when a record is one element).
  num_prefix,    // the element's bytes so far and the byte's position in the element
  num_prev,      // the same, and the top bytes of the previous element
  num_col,       // the same, and the top bytes of the column's previous element (or the
                 // element two back when a record is one element)
  num_field,     // the same, and the element's field (index in its record)
  num_col2,      // the same, and the top bytes of the column's last two elements
  num_delta_col,    // how far the element's bytes so far are from the column's previous
                    // element (a signed log class), and that element's next bytes
  num_delta_extrap, // the same against the column's linear extrapolation (computed on the
                    // elements as IEEE floats ordered as integers)
  num_delta_prev,   // the same against the previous element
};

// Gates of the mixer's weight sets (mixer_sets of them, in this order).
enum class MixerGate : uint8_t {
  separate,         // set 0: the partial byte; set 1: the match length; set 2: the previous byte
  byte_and_match,   // one set gated by the partial byte and a coarse match length together
  element,          // set 0: the partial byte and its position in the element; set 1: the match
                    // length; set 2: the top byte of the column's previous element
};

// Which variant of a level's model a chunk uses (chunk method 4 records it per chunk).
enum class Profile : uint8_t {
  general = 0,  // the level's full context set
  prose = 1,    // natural-language text: no sparse or record contexts, a lighter mixer
  numeric = 2,  // arrays and records of fixed-size numbers (element and record size per chunk)
  prose_lean = 3,  // prose with fewer contexts, no APM after the order-0 one and a smaller
                   // table (what the default level coded prose with before prose_direct)
  prose_direct = 4,  // prose_lean without the order-0 APM either: the mixer's probability goes
                     // to the coder as it is; what the default level codes prose with
};

// The prose profile the encoder uses at `level`: prose_direct at level 6, the default, where
// it codes ../shared/corpus/text 1.7% larger than the prose profile but about 1.5× faster
// (which brings the default level past the speed of xz -9e on text); prose at the others.
Profile prose_profile_for(int level);

// The longest record the numeric profile models, in elements.
inline constexpr uint32_t kMaxRecordElements = 1 << 16;

struct LevelConfig {
  int slot_bits;      // log2 of 16-byte slots in the hashed table
  int match_bits;     // log2 of match index entries
  int match_min_len;  // bytes that must repeat before the match model predicts
  std::vector<ContextKind> contexts;
  int apm_stages;     // APMs after the order-0 one: 0, 1 (order 1) or 2 (orders 1 and 2);
                      // -1: not even the order-0 one
  int mixer_sets;     // 1..3 weight sets, each with its own gate
  uint64_t chunk_size;
  MixerGate gate = MixerGate::separate;
  // Numeric profile only (0 otherwise): bytes per element (2..8) and elements per record.
  uint32_t element_bytes = 0;
  uint32_t record_elements = 0;
};

// The configuration of `level` (1..9) as chunk method 1 codes it (frozen: files written with
// it must keep decoding); throws nzip::Error(invalid_argument) for a level out of range.
const LevelConfig& level_config(int level);

// The configuration of `level` for `profile`, as chunk method 4 codes it. The general profile
// is method 1's table; the prose profile drops the contexts that only help binary and tabular
// data and, up to level 6, the indirect context too, and mixes with one set under a combined
// gate and one APM after the order-0 one: text codes about 1.5× faster for about 0.9% of its
// size (../shared/corpus/text at level 6). The lean prose profile further drops the order-4
// and word-pair contexts (the two whose loss costs least) and the order-1 APM, and caps the
// slot table at 2^22 slots (64 MiB): each is worth a few tenths of a percent on text, and
// together about a quarter of its coding time. The direct prose profile is the lean one with
// no APM at all (on text that order-0 APM cost about 7% of the time and made it 0.15% larger),
// a match index of at most 2^20 entries, 8-byte minimum matches and at most 2^21 slots (32 MiB).
const LevelConfig& level_config(int level, Profile profile);

// The numeric profile of `level` for elements of `element_bytes` (2, 4 or 8) bytes in records of
// `record_elements` (≥ 1) elements; throws nzip::Error(corrupt) for sizes out of range.
LevelConfig numeric_config(int level, uint32_t element_bytes, uint32_t record_elements);

// Table sizes (log2 of entries) a predictor of `config` uses for a chunk of `length` bytes:
// the level's, or smaller for a short chunk, so small inputs do not pay for clearing memory
// they cannot fill.
int slot_bits_for(const LevelConfig& config, uint64_t length);
int match_bits_for(const LevelConfig& config, uint64_t length);

// Bytes one predictor of this level allocates at most (for any chunk length), and for a
// chunk of `length` bytes.
uint64_t predictor_memory(int level);
uint64_t predictor_memory(int level, uint64_t length);

}  // namespace nzip::cm
