// train/coding_order.h — training bytes in the order the model path codes them. A chunk
// coded with a network (method 5) is planned like any other (codec/chunk_plan.h): numbers
// may be turned most significant byte first, or into byte planes, and the network then
// predicts the transformed bytes. A model learns what it will see by training on the same
// transform of its data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nzip::train {

// Rewrites each file's range of a split (ends as in data_split.h; empty = one range) in
// coding order: cut into pieces of `chunk` bytes from the range's start, each planned at
// `level` and transformed as the encoder would plan and transform a chunk of its own.
void to_coding_order(std::vector<uint8_t>& split, std::span<const size_t> ends, size_t chunk, int level);

}  // namespace nzip::train
