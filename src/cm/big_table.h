// cm/big_table.h — zeroed, cache-line-aligned memory for large model tables.
//
// Asks the kernel for transparent huge pages where it can: model tables are read at random,
// and huge pages cut both the TLB misses of lookups and the cost of first-touch page faults.
// Tables under 1 MiB are only cache-line aligned (rounding them to a huge page would waste
// more memory than their TLB misses cost).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nzip::cm {

inline constexpr size_t kHugePage = size_t{2} << 20;

// The alignment and the bytes BigTable allocates for `raw` bytes of entries.
constexpr size_t big_table_alignment(size_t raw) { return raw >= kHugePage / 2 ? kHugePage : 64; }
constexpr size_t big_table_bytes(size_t raw) {
  const size_t align = big_table_alignment(raw);
  return (raw + align - 1) / align * align;
}

template <typename T>
class BigTable {
 public:
  explicit BigTable(size_t count) : count_(count) {
    const size_t raw = count * sizeof(T);
    const size_t align = big_table_alignment(raw);
    const size_t bytes = big_table_bytes(raw);
    data_ = static_cast<T*>(std::aligned_alloc(align, bytes));
    if (!data_) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == kHugePage) madvise(data_, bytes, MADV_HUGEPAGE);  // a hint; failure only costs speed
#endif
    std::memset(static_cast<void*>(data_), 0, bytes);
  }
  ~BigTable() { std::free(data_); }
  BigTable(const BigTable&) = delete;
  BigTable& operator=(const BigTable&) = delete;

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return count_; }

 private:
  size_t count_;
  T* data_;
};

}  // namespace nzip::cm
