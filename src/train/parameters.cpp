#include "train/parameters.h"

#include "nzip/error.h"

namespace nzip::train {

size_t ParamLayout::add(std::string name, std::vector<size_t> shape, ParamKind kind) {
  ParamTensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.size = 1;
  for (size_t s : t.shape) t.size *= s;
  t.offset = total_;
  t.kind = kind;
  total_ += t.size;
  tensors_.push_back(std::move(t));
  return tensors_.back().offset;
}

const ParamTensor& ParamLayout::find(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  throw Error(ErrorCode::internal, "trainer: no parameter tensor " + name);
}

}  // namespace nzip::train
