// cm/slot_table.h — hashed storage of bit-history states for one nibble of one context.
//
// A slot is 16 bytes: an 8-bit check and the 15 states of the binary tree of a nibble
// (node 1 = first bit, nodes 2-3 second bit, …). Slots are grouped by four in a 64-byte
// cache line; a lookup probes the four and, on a miss, replaces the one whose first node has
// seen the fewest bits. So each context costs two cache misses per byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cm/big_table.h"
#include "cm/state_table.h"

namespace nzip::cm {

struct alignas(16) Slot {
  uint8_t check;
  uint8_t state[15];  // state[node - 1], node in 1..15
};

class SlotTable {
 public:
  // 2^log2_slots slots of 16 bytes.
  explicit SlotTable(int log2_slots)
      : mask_((size_t{1} << log2_slots) - 1), slots_(mask_ + 1) {
    const StateTable& st = StateTable::get();
    for (int s = 0; s < 256; ++s) priority_[s] = static_cast<uint8_t>(s < st.count() ? st.n0(static_cast<uint8_t>(s)) + st.n1(static_cast<uint8_t>(s)) : 0);
  }

  // Starts loading the group of a hash into cache; find() of the same hash follows soon.
  void prefetch(uint32_t h) const { __builtin_prefetch(&slots_[group_index(h)]); }

  // The slot for a 32-bit context hash (found or freshly claimed).
  uint8_t* find(uint32_t h) {
    const auto check = static_cast<uint8_t>(h >> 24);
    Slot* group = &slots_[group_index(h)];
    // Which of the four checks match, as a mask, without a branch per slot: the matching
    // slot is random, so per-slot branches mispredict. The first match wins.
    const unsigned hits = static_cast<unsigned>(group[0].check == check) | static_cast<unsigned>(group[1].check == check) << 1 |
                          static_cast<unsigned>(group[2].check == check) << 2 | static_cast<unsigned>(group[3].check == check) << 3;
    if (hits) return group[__builtin_ctz(hits)].state;
    int victim = 0;
    for (int i = 1; i < 4; ++i)
      if (priority_[group[i].state[0]] < priority_[group[victim].state[0]]) victim = i;
    std::memset(&group[victim], 0, sizeof(Slot));
    group[victim].check = check;
    return group[victim].state;
  }

 private:
  size_t group_index(uint32_t h) const { return (static_cast<size_t>(h) * 4) & mask_ & ~size_t{3}; }

  size_t mask_;
  BigTable<Slot> slots_;
  uint8_t priority_[256];
};

}  // namespace nzip::cm
