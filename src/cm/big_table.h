// cm/big_table.h — zeroed, aligned memory for large model tables (cm/table_memory.h says how
// it is obtained, and table_bytes() what it occupies: huge pages for large tables, recycled
// within the process).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cm/table_memory.h"

namespace nzip::cm {

template <typename T>
class BigTable {
 public:
  explicit BigTable(size_t count)
      : count_(count), data_(static_cast<T*>(acquire_table_memory(count * sizeof(T)))) {}
  ~BigTable() { release_table_memory(data_, count_ * sizeof(T)); }
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
