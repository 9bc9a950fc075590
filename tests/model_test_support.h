// tests/model_test_support.h — building model-file tensors by hand in tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/model_file.h"

namespace nzip_test {

// A tensor with the given name, dtype, shape and raw little-endian bytes.
inline nzip::model::Tensor make_tensor(std::string name, nzip::model::DType dtype, std::vector<uint64_t> shape,
                                       std::vector<uint8_t> bytes) {
  nzip::model::Tensor t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.bytes = std::move(bytes);
  return t;
}

}  // namespace nzip_test
