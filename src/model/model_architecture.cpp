#include "model/model_architecture.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>

#include "nzip/error.h"

namespace nzip::model {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::corrupt, "model architecture: " + message); }

uint32_t* field(ModelArchitecture& a, std::string_view name) {
  if (name == "d_model") return &a.d_model;
  if (name == "layers") return &a.layers;
  if (name == "heads") return &a.heads;
  if (name == "ff") return &a.ff;
  if (name == "window") return &a.window;
  if (name == "vocab") return &a.vocab;
  if (name == "element_size") return &a.element_size;
  return nullptr;
}

// Accepts one flat object of "kind": string and known dimension keys: integer, nothing else.
class ArchitectureSax {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  std::optional<std::string> error;
  ModelArchitecture arch;
  std::optional<std::string> kind;
  std::set<std::string> seen;

  bool null() { return bad("null"); }
  bool boolean(bool) { return bad("a boolean"); }
  bool number_integer(number_integer_t) { return bad("a negative number"); }
  bool number_float(number_float_t, const string_t&) { return bad("a non-integer or out-of-range number"); }
  bool binary(binary_t&) { return bad("binary data"); }
  bool start_array(std::size_t) { return bad("an array"); }
  bool end_array() { return bad("an array"); }

  bool number_unsigned(number_unsigned_t v) {
    if (state_ != State::value || key_ == "kind") return bad("a number");
    if (v > UINT32_MAX) return stop(key_ + " = " + std::to_string(v) + " is out of range");
    *field(arch, key_) = static_cast<uint32_t>(v);
    state_ = State::object;
    return true;
  }
  bool string(string_t& s) {
    if (state_ != State::value || key_ != "kind") return bad("a string");
    kind = std::move(s);
    state_ = State::object;
    return true;
  }
  bool start_object(std::size_t) {
    if (state_ != State::start) return bad("an object");
    state_ = State::object;
    return true;
  }
  bool key(string_t& k) {
    if (state_ != State::object) return bad("a key");
    if (k != "kind" && field(arch, k) == nullptr) return stop("unknown key '" + k.substr(0, 64) + "'");
    if (!seen.insert(k).second) return stop("duplicate key '" + k + "'");
    key_ = std::move(k);
    state_ = State::value;
    return true;
  }
  bool end_object() {
    if (state_ != State::object) return bad("the end of an object");
    state_ = State::done;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    return stop("invalid JSON at byte " + std::to_string(position) + ": " + ex.what());
  }
  bool complete() const { return state_ == State::done; }

 private:
  enum class State { start, object, value, done };

  bool stop(const std::string& m) {
    if (!error) error = m;
    return false;
  }
  bool bad(const char* what) {
    if (state_ == State::start) return stop(std::string("must be a JSON object (found ") + what + ")");
    if (state_ == State::value)
      return stop("'" + key_ + "' must be " + (key_ == "kind" ? "a string" : "a non-negative integer") + " (found " +
                  what + ")");
    return stop(std::string("unexpected ") + what);
  }

  State state_ = State::start;
  std::string key_;
};

}  // namespace

const char* architecture_kind_name(ArchitectureKind k) noexcept {
  return k == ArchitectureKind::mamba ? "mamba" : "transformer";
}

void validate_architecture(const ModelArchitecture& a) {
  ModelArchitecture copy = a;
  for (const auto& lim : kDimensionLimits) {
    const uint32_t v = *field(copy, lim.name);
    if (v < lim.min || v > lim.max)
      fail(std::string(lim.name) + " = " + std::to_string(v) + " is outside " + std::to_string(lim.min) + ".." +
           std::to_string(lim.max));
  }
  if (a.d_model % a.heads != 0)
    fail("heads = " + std::to_string(a.heads) + " does not divide d_model = " + std::to_string(a.d_model));
}

ModelArchitecture parse_architecture(std::string_view text) {
  if (text.size() > kMaxArchitectureBytes)
    fail("longer than " + std::to_string(kMaxArchitectureBytes) + " bytes");
  // nlohmann's lexer stops at a NUL byte as at the end of input (see safetensors_header.cpp).
  if (text.find('\0') != std::string_view::npos) fail("NUL byte");
  ArchitectureSax sax;
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, /*strict=*/true);
  if (sax.error) fail(*sax.error);
  if (!ok || !sax.complete()) fail("invalid JSON");
  if (!sax.kind) fail("no 'kind'");
  if (*sax.kind == "mamba")
    throw Error(ErrorCode::unsupported_version, "model architecture: kind 'mamba' is reserved and not supported by this build");
  if (*sax.kind != "transformer") fail("unknown kind '" + sax.kind->substr(0, 64) + "'");
  for (const auto& lim : kDimensionLimits) {
    if (!sax.seen.count(lim.name)) fail(std::string("no '") + lim.name + "'");
  }
  sax.arch.kind = ArchitectureKind::transformer;
  validate_architecture(sax.arch);
  return sax.arch;
}

std::string architecture_to_json(const ModelArchitecture& a) {
  // Keys in byte order: d_model, element_size, ff, heads, kind, layers, vocab, window.
  std::string s = "{";
  auto num = [&s](const char* k, uint32_t v) {
    s += '"';
    s += k;
    s += "\":";
    s += std::to_string(v);
    s += ',';
  };
  num("d_model", a.d_model);
  num("element_size", a.element_size);
  num("ff", a.ff);
  num("heads", a.heads);
  s += "\"kind\":\"";
  s += architecture_kind_name(a.kind);
  s += "\",";
  num("layers", a.layers);
  num("vocab", a.vocab);
  num("window", a.window);
  s.back() = '}';
  return s;
}

std::vector<std::pair<std::string, uint64_t>> architecture_dimensions(const ModelArchitecture& a) {
  ModelArchitecture copy = a;
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& lim : kDimensionLimits) out.emplace_back(lim.name, *field(copy, lim.name));
  return out;
}

}  // namespace nzip::model
