// cm/big_table.h — zeroed, cache-line-aligned memory for large model tables.
//
// Asks the kernel for transparent huge pages where it can: model tables are read at random,
// and huge pages cut both the TLB misses of lookups and the cost of first-touch page faults.
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

template <typename T>
class BigTable {
 public:
  explicit BigTable(size_t count) {
    constexpr size_t kAlign = size_t{2} << 20;
    const size_t bytes = (count * sizeof(T) + kAlign - 1) / kAlign * kAlign;
    data_ = static_cast<T*>(std::aligned_alloc(kAlign, bytes));
    if (!data_) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(data_, bytes, MADV_HUGEPAGE);  // a hint; failure only costs speed
#endif
    std::memset(static_cast<void*>(data_), 0, bytes);
  }
  ~BigTable() { std::free(data_); }
  BigTable(const BigTable&) = delete;
  BigTable& operator=(const BigTable&) = delete;

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  T* data_;
};

}  // namespace nzip::cm
