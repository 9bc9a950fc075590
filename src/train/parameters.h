// train/parameters.h — where each trainable tensor lives in the model's one flat float
// vector. Parameters, their gradients and the optimiser's moments all share this layout,
// so AdamW, clipping and the thread reduction are loops over flat arrays (as in llm.c).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nzip::train {

enum class ParamKind {
  matrix,     // int8 weight with a per-tensor scale when exported; weight-decayed
  embedding,  // int8 rows added to the int16 residual (the residual's scale); not decayed
  gain,       // RMSNorm gain, int16 when exported; not decayed
};

struct ParamTensor {
  std::string name;            // the tensor's name in the .nzm file
  std::vector<size_t> shape;   // (rows, cols) for matrices, (d) for gains
  size_t offset = 0;           // first float in the flat vector
  size_t size = 0;             // product of shape
  ParamKind kind = ParamKind::matrix;
};

class ParamLayout {
 public:
  // Appends a tensor; returns its offset.
  size_t add(std::string name, std::vector<size_t> shape, ParamKind kind);
  size_t total() const { return total_; }
  const std::vector<ParamTensor>& tensors() const { return tensors_; }
  // The tensor called `name`; throws nzip::Error(internal) when there is none.
  const ParamTensor& find(const std::string& name) const;

 private:
  std::vector<ParamTensor> tensors_;
  size_t total_ = 0;
};

}  // namespace nzip::train
