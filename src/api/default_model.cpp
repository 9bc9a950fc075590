// The built-in default model (models/README.md): its packed .nzm bytes are compiled in
// (cmake/embed_file.cmake) and loaded once, on first use.
#include "api/model_check.h"

namespace nzip::api {

extern const unsigned char kDefaultModelBytes[];
extern const unsigned long long kDefaultModelBytes_size;

namespace {

// Levels from this one up use the built-in model unless told otherwise.
constexpr int kFirstModelLevel = 8;

}  // namespace

std::span<const uint8_t> builtin_model_bytes() {
  return std::span<const uint8_t>(kDefaultModelBytes, kDefaultModelBytes_size);
}

std::shared_ptr<const NetworkModel> builtin_model() {
  // A function-local static: loaded once, thread-safely, on first use.
  static const std::shared_ptr<const NetworkModel> model = NetworkModel::load(builtin_model_bytes());
  return model;
}

std::shared_ptr<const NetworkModel> default_model(int level) {
  return level >= kFirstModelLevel ? builtin_model() : nullptr;
}

}  // namespace nzip::api
