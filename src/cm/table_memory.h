// cm/table_memory.h — zeroed memory for the large model tables, recycled in the process.
//
// A predictor's tables (slot table, match index, APMs) are hundreds of MiB at the higher
// levels, and every chunk starts them at zero. Fresh memory costs a page fault and a kernel
// page clear per page on first touch, which on a virtual machine took 16% of the time of
// coding a 1 MB file at -6. So a block of at least half a huge page is mapped fresh once
// (already zero, huge pages asked for), and when its table is destroyed it waits in a small
// process-wide cache; the next table that fits in it, in any thread, gets it back, cleared
// with memset in user space. Blocks in use and cached together never exceed the most that
// was in use at once (a fresh block first sends cached ones back to the system), so
// recycling adds nothing to the peak memory the predictors need. Smaller blocks are plain
// allocations.
#pragma once

#include <cstddef>

namespace nzip::cm {

// A huge page. Blocks of at least half of one are huge-page aligned and recycled.
inline constexpr size_t kHugePage = size_t{2} << 20;

// The alignment and the bytes a table of `raw` bytes occupies.
constexpr size_t table_alignment(size_t raw) { return raw >= kHugePage / 2 ? kHugePage : 64; }
constexpr size_t table_bytes(size_t raw) {
  const size_t align = table_alignment(raw);
  return (raw + align - 1) / align * align;
}

// A zeroed block of table_bytes(raw) bytes aligned to table_alignment(raw); throws
// std::bad_alloc when memory runs out.
void* acquire_table_memory(size_t raw);
// Gives back a block from acquire_table_memory(raw) with the same raw size.
void release_table_memory(void* block, size_t raw) noexcept;

// Blocks waiting in the cache.
size_t cached_table_blocks();
// Returns every cached block to the system (a library user done compressing may call it).
void release_cached_table_memory() noexcept;

}  // namespace nzip::cm
