// Proves the hyperslab walker of nzip --dataset (apps/nzip/h5/hyperslab_pieces.h): for shapes
// of rank 1 to 3, element sizes and byte budgets from one element to the whole array, the
// pieces cover every element exactly once in row-major order (so the bytes HDF5 reads piece by
// piece are the dataset's bytes in order), each stays within the budget (or one element), and
// a shape with a zero dimension has no pieces.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "h5/hyperslab_pieces.h"

namespace {

using nzip::cli::h5::HyperslabPieces;

// Linear (row-major) indices of the elements of the hyperslab, in row-major order.
void append_indices(const std::vector<uint64_t>& dims, const std::vector<uint64_t>& start,
                    const std::vector<uint64_t>& count, std::vector<uint64_t>& out) {
  std::vector<uint64_t> at(dims.size(), 0);
  for (;;) {
    uint64_t linear = 0;
    for (size_t i = 0; i < dims.size(); ++i) linear = linear * dims[i] + start[i] + at[i];
    out.push_back(linear);
    size_t i = dims.size();
    while (i > 0) {
      --i;
      if (++at[i] < count[i]) break;
      at[i] = 0;
      if (i == 0) return;
    }
  }
}

TEST(HyperslabPieces, CoverTheArrayInRowMajorOrderWithinTheBudget) {
  const std::vector<std::vector<uint64_t>> shapes = {{1}, {5}, {3, 4}, {2, 3, 5}, {7, 1, 3}, {1, 9}, {4, 2, 2}};
  for (const auto& dims : shapes) {
    uint64_t n = 1;
    for (uint64_t d : dims) n *= d;
    for (uint64_t element : {uint64_t{1}, uint64_t{8}, uint64_t{24}}) {
      for (uint64_t budget : {uint64_t{1}, uint64_t{8}, uint64_t{24}, uint64_t{40}, uint64_t{100}, uint64_t{1} << 20}) {
        HyperslabPieces pieces(dims, element, budget);
        std::vector<uint64_t> start, count, seen;
        size_t calls = 0;
        while (pieces.next(start, count)) {
          ASSERT_EQ(start.size(), dims.size());
          ASSERT_EQ(count.size(), dims.size());
          uint64_t elements = 1;
          for (uint64_t c : count) elements *= c;
          EXPECT_LE(elements * element, std::max(budget, element));
          append_indices(dims, start, count, seen);
          ASSERT_LT(++calls, 1000u);
        }
        ASSERT_EQ(seen.size(), n);
        for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], i) << "shape rank " << dims.size() << " budget " << budget;
      }
    }
  }
}

TEST(HyperslabPieces, ZeroDimensionGivesNoPieces) {
  std::vector<uint64_t> start, count;
  HyperslabPieces a({0}, 4, 100), b({3, 0, 2}, 4, 100);
  EXPECT_FALSE(a.next(start, count));
  EXPECT_FALSE(b.next(start, count));
}

}  // namespace
