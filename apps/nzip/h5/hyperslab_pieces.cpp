#include "h5/hyperslab_pieces.h"

#include <algorithm>
#include <utility>

namespace nzip::cli::h5 {

HyperslabPieces::HyperslabPieces(std::vector<uint64_t> dims, uint64_t element_size, uint64_t budget)
    : dims_(std::move(dims)), pos_(dims_.size(), 0) {
  done_ = dims_.empty() || std::any_of(dims_.begin(), dims_.end(), [](uint64_t d) { return d == 0; });
  if (done_) return;
  // Bytes of one index of dimension split_ (everything after it); the caller checked that
  // the whole array's size fits in 64 bits, so these partial products do too.
  split_ = dims_.size() - 1;
  uint64_t inner = element_size;
  while (split_ > 0 && inner * dims_[split_] <= budget) {
    inner *= dims_[split_];
    --split_;
  }
  step_ = std::clamp<uint64_t>(budget / std::max<uint64_t>(inner, 1), 1, dims_[split_]);
}

bool HyperslabPieces::next(std::vector<uint64_t>& start, std::vector<uint64_t>& count) {
  if (done_) return false;
  const size_t rank = dims_.size();
  start = pos_;
  count.assign(rank, 1);
  count[split_] = std::min(step_, dims_[split_] - pos_[split_]);
  for (size_t i = split_ + 1; i < rank; ++i) count[i] = dims_[i];
  // Advance like an odometer over dimensions 0..split_.
  pos_[split_] += count[split_];
  for (size_t i = split_; pos_[i] == dims_[i]; --i) {
    pos_[i] = 0;
    if (i == 0) {
      done_ = true;
      break;
    }
    ++pos_[i - 1];
  }
  return true;
}

}  // namespace nzip::cli::h5
