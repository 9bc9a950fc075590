#include "train/coding_order.h"

#include <algorithm>
#include <cstring>

#include "codec/chunk_plan.h"

namespace nzip::train {

void to_coding_order(std::vector<uint8_t>& split, std::span<const size_t> ends, size_t chunk, int level) {
  const size_t whole[] = {split.size()};
  if (ends.empty()) ends = whole;
  std::vector<uint8_t> transformed;
  size_t begin = 0;
  for (const size_t end : ends) {
    for (size_t at = begin; at < end; at += chunk) {
      const std::span<uint8_t> piece(split.data() + at, std::min(chunk, end - at));
      const codec::ChunkPlan plan = codec::plan_chunk(piece, level);
      const std::span<const uint8_t> coded = codec::coding_order(plan, piece, transformed);
      if (coded.data() != piece.data()) std::memcpy(piece.data(), coded.data(), piece.size());
    }
    begin = end;
  }
}

}  // namespace nzip::train
