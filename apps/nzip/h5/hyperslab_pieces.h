// apps/nzip/h5/hyperslab_pieces.h — cuts an array of `dims` (row-major, rank ≥ 1) into
// hyperslabs of at most about `budget` bytes whose bytes, taken in order, are the whole array
// in row-major order. Pieces span whole rows of the first dimension where a row fits; a row
// too large is cut along the next dimension, and so on, so memory stays bounded whatever the
// shape (one element is the smallest piece).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nzip::cli::h5 {

class HyperslabPieces {
 public:
  // dims: the shape (a zero dimension gives no pieces); element_size: bytes per element.
  HyperslabPieces(std::vector<uint64_t> dims, uint64_t element_size, uint64_t budget);

  // The next piece's start and count (rank entries each); false when the array is done.
  bool next(std::vector<uint64_t>& start, std::vector<uint64_t>& count);

 private:
  std::vector<uint64_t> dims_;
  std::vector<uint64_t> pos_;  // start of the next piece; entries after split_ stay 0
  size_t split_ = 0;           // the dimension pieces advance along
  uint64_t step_ = 1;          // indices of dims_[split_] per piece
  bool done_ = false;
};

}  // namespace nzip::cli::h5
