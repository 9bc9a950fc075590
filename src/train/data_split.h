// train/data_split.h — the training, validation and test bytes of a set of files: each file
// is cut into three contiguous ranges [0, a), [a, b), [b, c) with a = ⌊train·n⌋,
// b = a + ⌊val·n⌋, c = b + ⌊test·n⌋, each length rounded down to a multiple of `granule`
// (a model's element or record period, so every range starts on an element or record of the
// file), and each split is the concatenation of its ranges over the files in order. The
// ranges of one file never overlap, so no byte is both trained on and measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nzip::train {

struct DataSplits {
  std::vector<uint8_t> train, val, test;
  // End offset of each file's range in the split (ascending; the last is the split's size;
  // empty ranges are left out).
  std::vector<size_t> train_ends, val_ends, test_ends;
};

// Throws nzip::Error(invalid_argument) for fractions that are negative or sum to more than 1,
// Error(io) for a file that cannot be read.
DataSplits split_files(const std::vector<std::string>& files, double train, double val, double test,
                       size_t granule = 1);

// The split of one buffer (as above) appended to `out`.
void split_bytes(const std::vector<uint8_t>& data, double train, double val, double test, DataSplits& out,
                 size_t granule = 1);

}  // namespace nzip::train
