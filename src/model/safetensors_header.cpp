#include "model/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "core/le_io.h"
#include "nzip/error.h"

namespace nzip::model {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(ErrorCode code, const std::string& message) { throw Error(code, "model header: " + message); }

// Quotes a name from the file for an error message, cut short and with control bytes
// escaped, so that hostile names cannot flood or garble a terminal.
std::string shown(const std::string& s) {
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < 64; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > 64) out += "...";
  return out + "'";
}

// Builds the header straight from nlohmann's SAX events, so that nothing but the expected
// structure is ever held in memory: any nesting, type or key that safetensors does not
// allow stops the parse at once. Depth never exceeds 3 ({ "t": { "shape": [ ).
class HeaderSax {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  std::optional<Error> error;
  SafetensorsHeader header;

  bool null() { return unexpected("null"); }
  bool boolean(bool) { return unexpected("a boolean"); }
  bool number_integer(number_integer_t) { return unexpected("a negative number"); }
  bool number_float(number_float_t, const string_t&) {
    return unexpected("a non-integer or out-of-range number");
  }
  bool binary(binary_t&) { return unexpected("binary data"); }

  bool number_unsigned(number_unsigned_t v) {
    switch (state_) {
      case State::shape:
        if (current().shape.size() >= kMaxRank)
          return stop(ErrorCode::limit_exceeded,
                      "tensor " + shown(current().name) + ": more than " + std::to_string(kMaxRank) + " dimensions");
        current().shape.push_back(v);
        return true;
      case State::offsets:
        if (offsets_seen_ >= 2) return stop(ErrorCode::corrupt, "tensor " + shown(current().name) + ": data_offsets has more than 2 entries");
        (offsets_seen_ == 0 ? current().begin : current().end) = v;
        ++offsets_seen_;
        return true;
      default:
        return unexpected("a number");
    }
  }

  bool string(string_t& s) {
    switch (state_) {
      case State::metadata_value:
        header.metadata.emplace(key_, std::move(s));
        state_ = State::metadata;
        return true;
      case State::dtype: {
        auto t = dtype_from_name(s);
        if (!t) return stop(ErrorCode::corrupt, "tensor " + shown(current().name) + ": unknown dtype " + shown(s));
        current().dtype = *t;
        state_ = State::tensor;
        return true;
      }
      default:
        return unexpected("a string");
    }
  }

  bool start_object(std::size_t) {
    switch (state_) {
      case State::start:
        state_ = State::top;
        return true;
      case State::metadata_object:
        state_ = State::metadata;
        return true;
      case State::tensor_object:
        state_ = State::tensor;
        return true;
      default:
        return unexpected("an object");
    }
  }

  bool key(string_t& k) {
    switch (state_) {
      case State::top:
        if (k.size() > kMaxNameBytes)
          return stop(ErrorCode::limit_exceeded, "a tensor name is longer than " + std::to_string(kMaxNameBytes) + " bytes");
        if (k == "__metadata__") {
          if (metadata_seen_) return stop(ErrorCode::corrupt, "duplicate key '__metadata__'");
          metadata_seen_ = true;
          state_ = State::metadata_object;
          return true;
        }
        if (!names_.insert(k).second) return stop(ErrorCode::corrupt, "duplicate tensor name " + shown(k));
        if (header.tensors.size() >= kMaxTensors)
          return stop(ErrorCode::limit_exceeded, "more than " + std::to_string(kMaxTensors) + " tensors");
        header.tensors.emplace_back();
        current().name = std::move(k);
        fields_ = 0;
        state_ = State::tensor_object;
        return true;
      case State::metadata:
        if (k.size() > kMaxNameBytes)
          return stop(ErrorCode::limit_exceeded, "a metadata key is longer than " + std::to_string(kMaxNameBytes) + " bytes");
        if (header.metadata.size() >= kMaxMetadataEntries)
          return stop(ErrorCode::limit_exceeded, "more than " + std::to_string(kMaxMetadataEntries) + " metadata entries");
        if (header.metadata.count(k)) return stop(ErrorCode::corrupt, "duplicate metadata key " + shown(k));
        key_ = std::move(k);
        state_ = State::metadata_value;
        return true;
      case State::tensor: {
        const std::string who = "tensor " + shown(current().name) + ": ";
        unsigned bit = 0;
        State next = State::tensor;
        if (k == "dtype") {
          bit = 1;
          next = State::dtype;
        } else if (k == "shape") {
          bit = 2;
          next = State::shape_array;
        } else if (k == "data_offsets") {
          bit = 4;
          next = State::offsets_array;
        } else {
          return stop(ErrorCode::corrupt, who + "unknown field " + shown(k));
        }
        if (fields_ & bit) return stop(ErrorCode::corrupt, who + "duplicate field " + shown(k));
        fields_ |= bit;
        state_ = next;
        return true;
      }
      default:
        return unexpected("a key");
    }
  }

  bool end_object() {
    switch (state_) {
      case State::top:
        state_ = State::done;
        return true;
      case State::metadata:
        state_ = State::top;
        return true;
      case State::tensor:
        if (fields_ != 7) {
          const char* missing = !(fields_ & 1) ? "dtype" : !(fields_ & 2) ? "shape" : "data_offsets";
          return stop(ErrorCode::corrupt, "tensor " + shown(current().name) + ": no " + missing);
        }
        state_ = State::top;
        return true;
      default:
        return unexpected("the end of an object");
    }
  }

  bool start_array(std::size_t) {
    if (state_ == State::shape_array) {
      state_ = State::shape;
      return true;
    }
    if (state_ == State::offsets_array) {
      state_ = State::offsets;
      offsets_seen_ = 0;
      return true;
    }
    return unexpected("an array");
  }

  bool end_array() {
    if (state_ == State::shape) {
      state_ = State::tensor;
      return true;
    }
    if (state_ == State::offsets) {
      if (offsets_seen_ != 2)
        return stop(ErrorCode::corrupt, "tensor " + shown(current().name) + ": data_offsets needs 2 entries");
      state_ = State::tensor;
      return true;
    }
    return unexpected("the end of an array");
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    if (!error) error = Error(ErrorCode::corrupt, "model header: invalid JSON at byte " + std::to_string(position) + ": " + ex.what());
    return false;
  }

  bool complete() const { return state_ == State::done; }

 private:
  enum class State {
    start, top, metadata_object, metadata, metadata_value, tensor_object, tensor, dtype,
    shape_array, shape, offsets_array, offsets, done
  };

  TensorEntry& current() { return header.tensors.back(); }

  bool stop(ErrorCode code, const std::string& message) {
    if (!error) error = Error(code, "model header: " + message);
    return false;
  }

  // A JSON value the layout does not allow where it appears.
  bool unexpected(const char* what) {
    std::string where;
    switch (state_) {
      case State::start: where = "the header must be a JSON object"; break;
      case State::metadata_object: where = "__metadata__ must be an object"; break;
      case State::metadata_value: where = "metadata value of " + shown(key_) + " must be a string"; break;
      case State::tensor_object: where = "tensor " + shown(current().name) + " must be an object"; break;
      case State::dtype: where = "tensor " + shown(current().name) + ": dtype must be a string"; break;
      case State::shape_array: where = "tensor " + shown(current().name) + ": shape must be an array"; break;
      case State::shape: where = "tensor " + shown(current().name) + ": shape entries must be non-negative integers"; break;
      case State::offsets_array: where = "tensor " + shown(current().name) + ": data_offsets must be an array"; break;
      case State::offsets: where = "tensor " + shown(current().name) + ": data_offsets must be non-negative integers"; break;
      default: where = "unexpected JSON value"; break;
    }
    return stop(ErrorCode::corrupt, where + " (found " + what + ")");
  }

  State state_ = State::start;
  std::set<std::string> names_;
  std::string key_;
  unsigned fields_ = 0;
  unsigned offsets_seen_ = 0;
  bool metadata_seen_ = false;
};

// Product of `shape` times `unit`, or nullopt on overflow of 64 bits.
std::optional<uint64_t> checked_product(const std::vector<uint64_t>& shape, uint64_t unit) {
  uint64_t p = unit;
  for (uint64_t d : shape) {
    if (d != 0 && p > std::numeric_limits<uint64_t>::max() / d) {
      // A zero later in the shape would make the product 0; safetensors still refuses such
      // a shape, and so do we: each prefix must be representable.
      return std::nullopt;
    }
    p *= d;
  }
  return p;
}

}  // namespace

uint64_t TensorEntry::elements() const { return checked_product(shape, 1).value_or(0); }

uint64_t parse_header_length(std::span<const uint8_t> first8, uint64_t file_size) {
  if (first8.size() < 8 || file_size < 8) fail(ErrorCode::truncated, "file is shorter than the 8-byte header length");
  const uint64_t n = core::load_le64(first8.data());
  if (n > kMaxHeaderBytes)
    fail(n > file_size - 8 ? ErrorCode::corrupt : ErrorCode::limit_exceeded,
         "header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  if (n < 2) fail(ErrorCode::corrupt, "header length " + std::to_string(n) + " is too short for a JSON object");
  if (n > file_size - 8)
    fail(ErrorCode::truncated, "header length " + std::to_string(n) + " exceeds the " + std::to_string(file_size - 8) +
                                   " bytes after the length field");
  return n;
}

SafetensorsHeader parse_safetensors_header(std::span<const uint8_t> bytes, uint64_t data_size) {
  if (bytes.size() > kMaxHeaderBytes) fail(ErrorCode::limit_exceeded, "header exceeds the limit");
  if (bytes.empty() || bytes[0] != '{') fail(ErrorCode::corrupt, "the header must start with '{'");

  // nlohmann's lexer takes a NUL byte for the end of input and would ignore what follows;
  // JSON has no place for a raw NUL (inside strings it must be escaped).
  if (std::find(bytes.begin(), bytes.end(), uint8_t{0}) != bytes.end()) fail(ErrorCode::corrupt, "NUL byte in the header");

  HeaderSax sax;
  // strict = true: after the object only JSON whitespace may follow (the padding).
  const bool ok = json::sax_parse(bytes.begin(), bytes.end(), &sax, json::input_format_t::json, /*strict=*/true);
  if (sax.error) throw *sax.error;
  if (!ok || !sax.complete()) fail(ErrorCode::corrupt, "invalid JSON");
  SafetensorsHeader h = std::move(sax.header);

  for (const auto& t : h.tensors) {
    const std::string who = "tensor " + shown(t.name) + ": ";
    auto size = checked_product(t.shape, dtype_size(t.dtype));
    if (!size) fail(ErrorCode::corrupt, who + "shape × dtype size overflows 64 bits");
    if (t.begin > t.end) fail(ErrorCode::corrupt, who + "data_offsets begin after they end");
    if (t.end - t.begin != *size)
      fail(ErrorCode::corrupt, who + "data_offsets span " + std::to_string(t.end - t.begin) + " bytes but shape and " +
                                   dtype_name(t.dtype) + " need " + std::to_string(*size));
  }

  // safetensors: the tensors, in offset order, tile the data buffer exactly.
  std::vector<const TensorEntry*> by_offset;
  by_offset.reserve(h.tensors.size());
  for (const auto& t : h.tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](const TensorEntry* a, const TensorEntry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;
  for (const TensorEntry* t : by_offset) {
    if (t->begin > covered)
      fail(ErrorCode::corrupt, "gap in the data buffer: no tensor covers bytes " + std::to_string(covered) + " to " +
                                   std::to_string(t->begin) + " (before tensor " + shown(t->name) + ")");
    if (t->begin < covered)
      fail(ErrorCode::corrupt, "tensor " + shown(t->name) + " overlaps the tensor before it at data offset " +
                                   std::to_string(t->begin));
    covered = t->end;
  }
  if (covered > kMaxDataBytes) fail(ErrorCode::limit_exceeded, "tensor data exceed the limit of 1 TiB");
  if (covered > data_size)
    fail(ErrorCode::truncated, "the tensors need " + std::to_string(covered) + " data bytes but the file has " +
                                   std::to_string(data_size));
  if (covered < data_size)
    fail(ErrorCode::corrupt, std::to_string(data_size - covered) + " bytes after the last tensor's data");
  h.data_size = covered;
  // Tensors were appended in file order; the map of names is byte-ordered, keep that order.
  std::sort(h.tensors.begin(), h.tensors.end(), [](const TensorEntry& a, const TensorEntry& b) { return a.name < b.name; });
  return h;
}

}  // namespace nzip::model
