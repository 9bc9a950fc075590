#include "cm/table_memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nzip::cm {

namespace {

// At most this many blocks wait: a predictor has up to four large tables, so this keeps the
// tables of two finished predictors.
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

// Large blocks in use (lent) and given back (cached), shared by all threads: the CLI gives
// each file its own worker threads, so a per-thread cache would die with them. The cache
// keeps lent + cached bytes within the most that was ever lent at once, so recycling never
// makes the process hold more than its predictors needed at their peak.
struct Cache {
  std::mutex mutex;
  std::vector<Block> lent, cached;
  size_t lent_bytes = 0, cached_bytes = 0, peak_bytes = 0;
  ~Cache() { clear(); }
  void clear() noexcept {
    for (const Block& b : cached) unmap(b.data, b.bytes);
    cached.clear();
    cached_bytes = 0;
  }
  void drop_cached(size_t i) noexcept {
    unmap(cached[i].data, cached[i].bytes);
    cached_bytes -= cached[i].bytes;
    cached.erase(cached.begin() + static_cast<std::ptrdiff_t>(i));
  }
};

Cache& cache() {
  static Cache c;
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
  Cache& c = cache();
  std::unique_lock lock(c.mutex);
  // The smallest cached block that is large enough (a larger one serves with its prefix; it
  // stays within the peak rule below, since it was in use before).
  size_t best = c.cached.size();
  for (size_t i = 0; i < c.cached.size(); ++i)
    if (c.cached[i].bytes >= bytes && (best == c.cached.size() || c.cached[i].bytes < c.cached[best].bytes)) best = i;
  if (best < c.cached.size()) {
    const Block b = c.cached[best];
    c.lent.push_back(b);  // first, so that a throw leaves the cache as it was
    c.cached.erase(c.cached.begin() + static_cast<std::ptrdiff_t>(best));
    c.cached_bytes -= b.bytes;
    c.lent_bytes += b.bytes;
    lock.unlock();
    std::memset(b.data, 0, bytes);
    return b.data;
  }
  // A fresh block: first give back cached blocks, smallest first, until lent + cached bytes
  // fit the peak of lent bytes (which this request may raise).
  const size_t lent_after = c.lent_bytes + bytes;
  if (lent_after > c.peak_bytes) c.peak_bytes = lent_after;
  while (!c.cached.empty() && lent_after + c.cached_bytes > c.peak_bytes) {
    size_t smallest = 0;
    for (size_t i = 1; i < c.cached.size(); ++i)
      if (c.cached[i].bytes < c.cached[smallest].bytes) smallest = i;
    c.drop_cached(smallest);
  }
  c.lent_bytes = lent_after;
  lock.unlock();
  void* p = nullptr;
  try {
    p = map_fresh(bytes);
    const std::lock_guard relock(c.mutex);
    c.lent.push_back({p, bytes});
  } catch (...) {
    if (p) unmap(p, bytes);
    const std::lock_guard relock(c.mutex);
    c.lent_bytes -= bytes;
    throw;
  }
  return p;
}

void release_table_memory(void* block, size_t raw) noexcept {
  if (!block) return;
  if (table_alignment(raw) != kHugePage) {
    std::free(block);
    return;
  }
  Cache& c = cache();
  const std::lock_guard lock(c.mutex);
  size_t i = 0;
  while (i < c.lent.size() && c.lent[i].data != block) ++i;
  if (i == c.lent.size()) return;  // not ours: cannot happen for a BigTable's block
  const Block b = c.lent[i];
  c.lent.erase(c.lent.begin() + static_cast<std::ptrdiff_t>(i));
  c.lent_bytes -= b.bytes;
  if (c.cached.size() >= kMaxCached) c.drop_cached(0);
  try {
    c.cached.push_back(b);
    c.cached_bytes += b.bytes;
  } catch (...) {
    unmap(b.data, b.bytes);  // no room to remember it: give it back
  }
}

size_t cached_table_blocks() {
  Cache& c = cache();
  const std::lock_guard lock(c.mutex);
  return c.cached.size();
}

void release_cached_table_memory() noexcept {
  Cache& c = cache();
  const std::lock_guard lock(c.mutex);
  c.clear();
}

}  // namespace nzip::cm
