// api/limits.h — per-level defaults and memory accounting shared by the API functions.
#pragma once

#include <cstdint>

namespace nzip::api {

// Checks 1 ≤ level ≤ 9; throws invalid_argument.
void check_level(int level);

// Chunks a compressor or decompressor keeps in flight (queued, being coded, or waiting
// to be written in order) for `threads` workers.
inline uint64_t max_in_flight(unsigned threads) { return 2 * uint64_t{threads}; }

}  // namespace nzip::api
