#include "train/data_split.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "nzip/error.h"

namespace nzip::train {
namespace {

size_t part(size_t n, double f, size_t granule) {
  return static_cast<size_t>(std::floor(static_cast<double>(n) * f)) / granule * granule;
}

}  // namespace

void split_bytes(const std::vector<uint8_t>& data, double train, double val, double test, DataSplits& out,
                 size_t granule) {
  if (!(train >= 0 && val >= 0 && test >= 0) || train + val + test > 1.0 + 1e-9)
    throw Error(ErrorCode::invalid_argument, "train: split fractions must be >= 0 and sum to at most 1");
  if (granule == 0) throw Error(ErrorCode::internal, "train: split granule is zero");
  const size_t n = data.size();
  const size_t a = std::min(n, part(n, train, granule)), b = std::min(n, a + part(n, val, granule)),
               c = std::min(n, b + part(n, test, granule));
  const auto it = data.begin();
  out.train.insert(out.train.end(), it, it + static_cast<ptrdiff_t>(a));
  out.val.insert(out.val.end(), it + static_cast<ptrdiff_t>(a), it + static_cast<ptrdiff_t>(b));
  out.test.insert(out.test.end(), it + static_cast<ptrdiff_t>(b), it + static_cast<ptrdiff_t>(c));
  auto mark = [](std::vector<size_t>& ends, size_t size) {
    if (size > (ends.empty() ? 0 : ends.back())) ends.push_back(size);
  };
  mark(out.train_ends, out.train.size());
  mark(out.val_ends, out.val.size());
  mark(out.test_ends, out.test.size());
}

DataSplits split_files(const std::vector<std::string>& files, double train, double val, double test,
                       size_t granule) {
  DataSplits s;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, f + ": " + std::strerror(errno));
    std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(ErrorCode::io, f + ": read error");
    split_bytes(data, train, val, test, s, granule);
  }
  return s;
}

}  // namespace nzip::train
