// Proves that model-table memory is handed out zeroed and aligned whether fresh or recycled
// (a recycled block was dirty when it was given back), that blocks are recycled across
// threads and a larger cached block serves a smaller table, that taking fresh memory first
// returns cached blocks so that blocks in use and cached stay within the peak in use, that
// the cache is bounded and can be emptied, and that small tables are plain
// cache-line-aligned allocations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "cm/big_table.h"
#include "cm/table_memory.h"

namespace {

using nzip::cm::acquire_table_memory;
using nzip::cm::BigTable;
using nzip::cm::cached_table_blocks;
using nzip::cm::kHugePage;
using nzip::cm::release_table_memory;
using nzip::cm::table_bytes;

bool all_zero(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  return std::all_of(b, b + n, [](uint8_t v) { return v == 0; });
}

bool aligned_to(const void* p, size_t a) { return reinterpret_cast<uintptr_t>(p) % a == 0; }

// Each test starts with an empty cache (other tests leave blocks in it) and runs its body in
// a thread of its own, the way the CLI gives each file its own workers.
template <typename F>
void in_new_thread(F f) {
  nzip::cm::release_cached_table_memory();
  std::thread t(f);
  t.join();
}

TEST(TableMemory, RecycledBlocksComeBackZeroedAndAligned) {
  in_new_thread([] {
    const size_t raw = 3 * kHugePage + 100;  // rounds up to 4 huge pages
    EXPECT_EQ(table_bytes(raw), 4 * kHugePage);
    void* a = acquire_table_memory(raw);
    ASSERT_TRUE(aligned_to(a, kHugePage));
    EXPECT_TRUE(all_zero(a, table_bytes(raw)));
    std::memset(a, 0xAB, table_bytes(raw));
    release_table_memory(a, raw);
    EXPECT_EQ(cached_table_blocks(), 1u);
    void* b = acquire_table_memory(raw);
    EXPECT_EQ(b, a);  // the same block came back ...
    EXPECT_EQ(cached_table_blocks(), 0u);
    EXPECT_TRUE(all_zero(b, table_bytes(raw)));  // ... cleared
    release_table_memory(b, raw);
  });
}

TEST(TableMemory, ABlockOneThreadGaveBackServesAnother) {
  void* first = nullptr;
  in_new_thread([&] {
    first = acquire_table_memory(kHugePage);
    std::memset(first, 1, kHugePage);
    release_table_memory(first, kHugePage);
  });
  std::thread t([&] {
    void* again = acquire_table_memory(kHugePage);
    EXPECT_EQ(again, first);
    EXPECT_TRUE(all_zero(again, kHugePage));
    release_table_memory(again, kHugePage);
  });
  t.join();
  nzip::cm::release_cached_table_memory();
  EXPECT_EQ(cached_table_blocks(), 0u);
}

TEST(TableMemory, FreshMemoryFirstReturnsCachedBlocksBeyondThePeak) {
  in_new_thread([] {
    void* a = acquire_table_memory(kHugePage);
    void* b = acquire_table_memory(2 * kHugePage);
    release_table_memory(a, kHugePage);
    release_table_memory(b, 2 * kHugePage);
    EXPECT_EQ(cached_table_blocks(), 2u);
    // Fits neither; 8 in use would exceed the peak of 3 with 3 cached: both go back.
    void* c = acquire_table_memory(8 * kHugePage);
    EXPECT_EQ(cached_table_blocks(), 0u);
    EXPECT_TRUE(all_zero(c, 8 * kHugePage));
    release_table_memory(c, 8 * kHugePage);
  });
}

TEST(TableMemory, ALargerCachedBlockServesASmallerTable) {
  in_new_thread([] {
    void* big = acquire_table_memory(4 * kHugePage);
    std::memset(big, 0xCD, 4 * kHugePage);
    release_table_memory(big, 4 * kHugePage);
    void* small = acquire_table_memory(kHugePage);
    EXPECT_EQ(small, big);
    EXPECT_TRUE(all_zero(small, kHugePage));
    release_table_memory(small, kHugePage);  // goes back whole
    void* again = acquire_table_memory(4 * kHugePage);
    EXPECT_EQ(again, big);
    EXPECT_TRUE(all_zero(again, 4 * kHugePage));
    release_table_memory(again, 4 * kHugePage);
  });
}

TEST(TableMemory, CacheIsBounded) {
  in_new_thread([] {
    std::vector<void*> blocks;
    for (int i = 0; i < 20; ++i) blocks.push_back(acquire_table_memory(kHugePage));
    for (void* p : blocks) release_table_memory(p, kHugePage);
    EXPECT_LE(cached_table_blocks(), 8u);
    EXPECT_GT(cached_table_blocks(), 0u);
  });
}

TEST(TableMemory, SmallTablesAreNotCached) {
  in_new_thread([] {
    const size_t raw = 1000;
    EXPECT_EQ(table_bytes(raw), 1024u);
    void* a = acquire_table_memory(raw);
    EXPECT_TRUE(aligned_to(a, 64));
    EXPECT_TRUE(all_zero(a, 1024));
    release_table_memory(a, raw);
    EXPECT_EQ(cached_table_blocks(), 0u);
  });
}

TEST(TableMemory, BigTablesStartZeroAfterADirtyPredecessor) {
  in_new_thread([] {
    const size_t n = (kHugePage * 3) / sizeof(uint32_t);
    {
      BigTable<uint32_t> t(n);
      for (size_t i = 0; i < n; i += 997) t[i] = 0xFFFFFFFFu;
    }
    BigTable<uint32_t> t(n);
    EXPECT_TRUE(all_zero(t.data(), n * sizeof(uint32_t)));
  });
}

}  // namespace
