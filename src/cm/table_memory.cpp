#include "cm/table_memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nzip::cm {

namespace {

// At most this many blocks wait per thread: a predictor has four large tables, and the
// network decoder runs a few predictors per thread side by side.
constexpr size_t kMaxCached = 8;

struct Block {
  void* data;
  size_t bytes;
};

// A fresh huge-page-aligned block of `bytes` (a multiple of kHugePage), zero.
void* map_fresh(size_t bytes) {
#if defined(__linux__)
  // Over-map by one huge page, then trim to an aligned window: mmap only promises page
  // alignment, and huge pages need 2 MiB.
  const size_t span = bytes + kHugePage;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + span, used_end = aligned + bytes;
  if (end > used_end) munmap(reinterpret_cast<void*>(used_end), end - used_end);
  void* p = reinterpret_cast<void*>(aligned);
#if defined(MADV_HUGEPAGE)
  madvise(p, bytes, MADV_HUGEPAGE);  // a hint; failure only costs speed
#endif
  return p;  // anonymous mappings read as zero
#else
  void* p = std::aligned_alloc(kHugePage, bytes);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return p;
#endif
}

void unmap(void* p, size_t bytes) noexcept {
#if defined(__linux__)
  munmap(p, bytes);
#else
  (void)bytes;
  std::free(p);
#endif
}

struct ThreadCache {
  std::vector<Block> blocks;
  ~ThreadCache() { clear(); }
  void clear() noexcept {
    for (const Block& b : blocks) unmap(b.data, b.bytes);
    blocks.clear();
  }
};

ThreadCache& cache() {
  thread_local ThreadCache c;
  return c;
}

}  // namespace

void* acquire_table_memory(size_t raw) {
  const size_t bytes = table_bytes(raw);
  if (table_alignment(raw) != kHugePage) {
    void* p = std::aligned_alloc(64, bytes);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    return p;
  }
  ThreadCache& c = cache();
  for (size_t i = 0; i < c.blocks.size(); ++i) {
    if (c.blocks[i].bytes != bytes) continue;
    void* p = c.blocks[i].data;
    c.blocks.erase(c.blocks.begin() + static_cast<std::ptrdiff_t>(i));
    std::memset(p, 0, bytes);
    return p;
  }
  c.clear();  // nothing fits: hold no memory beside the new block
  return map_fresh(bytes);
}

void release_table_memory(void* block, size_t raw) noexcept {
  if (!block) return;
  const size_t bytes = table_bytes(raw);
  if (table_alignment(raw) != kHugePage) {
    std::free(block);
    return;
  }
  ThreadCache& c = cache();
  if (c.blocks.size() >= kMaxCached) {
    unmap(c.blocks.front().data, c.blocks.front().bytes);
    c.blocks.erase(c.blocks.begin());
  }
  try {
    c.blocks.push_back({block, bytes});
  } catch (...) {
    unmap(block, bytes);  // no room to remember it: give it back
  }
}

size_t cached_table_blocks() { return cache().blocks.size(); }

}  // namespace nzip::cm
