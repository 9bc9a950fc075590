#include "model/model_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <set>

#include "core/le_io.h"
#include "model/model_pack.h"

namespace nzip::model {
namespace {

constexpr size_t kPiece = size_t{1} << 20;  // bytes hashed or copied per read from a file

[[noreturn]] void io_error(const std::string& what) {
  const int err = errno;  // before anything below can change it
  throw Error(ErrorCode::io, what + ": " + std::strerror(err));
}

// Random access to the bytes of a model file, in memory or on disk.
class Source {
 public:
  virtual ~Source() = default;
  virtual uint64_t size() const = 0;
  // Copies bytes [offset, offset + out.size()), which the caller has checked lie in the file.
  virtual void read(uint64_t offset, std::span<uint8_t> out) = 0;
  // Adds bytes [offset, offset + n) to `h`.
  virtual void hash(uint64_t offset, uint64_t n, core::Xxh3_128Stream& h) = 0;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(std::span<const uint8_t> data) : data_(data) {}
  uint64_t size() const override { return data_.size(); }
  void read(uint64_t offset, std::span<uint8_t> out) override {
    if (!out.empty()) std::memcpy(out.data(), data_.data() + offset, out.size());
  }
  void hash(uint64_t offset, uint64_t n, core::Xxh3_128Stream& h) override {
    h.update(data_.subspan(static_cast<size_t>(offset), static_cast<size_t>(n)));
  }

 private:
  std::span<const uint8_t> data_;
};

class FileSource final : public Source {
 public:
  explicit FileSource(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) io_error("cannot open");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      ::close(fd_);
      io_error("cannot stat");
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw Error(ErrorCode::io, S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    }
    size_ = static_cast<uint64_t>(st.st_size);
  }
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  uint64_t size() const override { return size_; }
  void read(uint64_t offset, std::span<uint8_t> out) override {
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) io_error("cannot read");
      // The file shrank under us after fstat.
      if (n == 0) throw Error(ErrorCode::truncated, "model file ends early (changed while being read?)");
      done += static_cast<size_t>(n);
    }
  }
  void hash(uint64_t offset, uint64_t n, core::Xxh3_128Stream& h) override {
    if (buffer_.empty() && n > 0) buffer_.resize(kPiece);
    while (n > 0) {
      const size_t piece = static_cast<size_t>(std::min<uint64_t>(n, kPiece));
      read(offset, {buffer_.data(), piece});
      h.update({buffer_.data(), piece});
      offset += piece;
      n -= piece;
    }
  }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::vector<uint8_t> buffer_;
};

std::vector<TensorDesc> descs_of(const std::vector<TensorEntry>& entries) {
  std::vector<TensorDesc> d;
  d.reserve(entries.size());
  for (const auto& e : entries) d.push_back({e.name, e.dtype, e.shape, e.end - e.begin});
  return d;
}

struct ParsedHeader {
  SafetensorsHeader header;
  std::optional<ModelArchitecture> architecture;
  uint64_t header_size = 0;
  uint64_t data_start = 0;
  bool canonical = false;
  CanonicalLayout layout;
};

// Reads and checks everything up to the data: the header length against the file size, the
// header, the declared data total against what the file holds, the nzip metadata.
ParsedHeader parse_header(Source& src) {
  ParsedHeader p;
  const uint64_t file_size = src.size();
  uint8_t first8[8] = {};
  if (file_size >= 8) src.read(0, first8);
  p.header_size = parse_header_length({first8, file_size >= 8 ? size_t{8} : size_t{0}}, file_size);
  std::vector<uint8_t> header_bytes(static_cast<size_t>(p.header_size));  // ≤ kMaxHeaderBytes, ≤ file size
  src.read(8, header_bytes);
  p.data_start = 8 + p.header_size;
  p.header = parse_safetensors_header(header_bytes, file_size - p.data_start);
  const std::vector<TensorDesc> descs = descs_of(p.header.tensors);
  p.architecture = check_nzip_metadata(p.header.metadata, descs);
  p.layout = canonical_layout(descs, p.header.metadata);
  // Escapes the canonical form spells longer ("\n" → "\u000a") could make it exceed the
  // limit; such a model could not be written back, so it is refused here too.
  if (p.layout.header.size() > kMaxHeaderBytes)
    throw Error(ErrorCode::limit_exceeded, "model header: its canonical form exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
  p.canonical = p.layout.header.size() == header_bytes.size() &&
                std::equal(header_bytes.begin(), header_bytes.end(), p.layout.header.begin(),
                           [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); });
  return p;
}

uint64_t count_parameters(const std::vector<TensorEntry>& tensors, bool nzip) {
  uint64_t n = 0;
  for (const auto& t : tensors) {
    if (nzip && is_scale_name(t.name)) continue;
    n += t.elements();  // sum ≤ data bytes ≤ kMaxDataBytes: no overflow
  }
  return n;
}

// The canonical bytes of a packed file (model_pack.h) read from `src`, or nullopt when
// `src` is not packed. A packed file must unpack to the canonical form (that is what
// its id covers); anything else is refused as corrupt by the caller.
std::optional<std::vector<uint8_t>> unpack_source(Source& src, PackedHeader& h) {
  uint8_t first8[8] = {};
  if (src.size() < 8) return std::nullopt;
  src.read(0, first8);
  if (!is_packed_model(first8)) return std::nullopt;
  if (src.size() > kPackedHeaderSize + (uint64_t{8} + kMaxHeaderBytes + kMaxDataBytes))
    throw Error(ErrorCode::limit_exceeded, "packed model: file larger than any model");
  std::vector<uint8_t> file(static_cast<size_t>(src.size()));  // the real size of the file
  src.read(0, file);
  return unpack_canonical(file, &h);
}

[[noreturn]] void not_canonical() {
  throw Error(ErrorCode::corrupt, "packed model: the unpacked bytes are not in canonical form");
}

ModelSummary summarize_raw(Source& src) {
  ParsedHeader p = parse_header(src);
  ModelSummary s;
  s.file_size = src.size();
  s.raw_size = src.size();
  s.header_size = p.header_size;
  s.canonical = p.canonical;
  s.architecture = p.architecture;
  s.parameter_count = count_parameters(p.header.tensors, p.architecture.has_value());
  s.id = canonical_id(p.layout, [&](size_t i, core::Xxh3_128Stream& h) {
    const TensorEntry& t = p.header.tensors[i];
    src.hash(p.data_start + t.begin, t.end - t.begin, h);
  });
  s.header = std::move(p.header);
  return s;
}

ModelSummary summarize(Source& src) {
  PackedHeader h;
  std::optional<std::vector<uint8_t>> raw = unpack_source(src, h);
  if (!raw) return summarize_raw(src);
  MemorySource mem(*raw);
  ModelSummary s = summarize_raw(mem);
  if (!s.canonical) not_canonical();
  s.file_size = src.size();
  s.packed = true;
  s.coding = h.coding;
  return s;
}

ModelFile load_raw(Source& src, bool require_canonical) {
  ParsedHeader p = parse_header(src);
  if (require_canonical && !p.canonical) not_canonical();
  ModelFile m;
  m.metadata = std::move(p.header.metadata);
  m.architecture = p.architecture;
  // Every size below was checked against the file's real size by parse_header.
  m.tensors.reserve(p.header.tensors.size());
  for (auto& e : p.header.tensors) {
    Tensor t;
    t.name = std::move(e.name);
    t.dtype = e.dtype;
    t.shape = std::move(e.shape);
    t.bytes.resize(static_cast<size_t>(e.end - e.begin));
    src.read(p.data_start + e.begin, t.bytes);
    m.tensors.push_back(std::move(t));
  }
  m.id = canonical_id(p.layout, [&](size_t i, core::Xxh3_128Stream& h) { h.update(m.tensors[i].bytes); });
  return m;
}

ModelFile load(Source& src) {
  PackedHeader h;
  std::optional<std::vector<uint8_t>> raw = unpack_source(src, h);
  if (!raw) return load_raw(src, false);
  MemorySource mem(*raw);
  return load_raw(mem, true);
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): what
// the JSON parser of the loader accepts.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

[[noreturn]] void bad_model(const std::string& message) {
  throw Error(ErrorCode::invalid_argument, "model to write: " + message);
}

// The checks serialize_model promises; returns the descriptions sorted by name, with the
// index of each tensor in `model.tensors`.
std::vector<TensorDesc> checked_descs(const ModelFile& model, std::vector<size_t>& order) {
  if (model.tensors.size() > kMaxTensors) bad_model("more than " + std::to_string(kMaxTensors) + " tensors");
  if (model.metadata.size() > kMaxMetadataEntries) bad_model("too many metadata entries");
  order.resize(model.tensors.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return model.tensors[a].name < model.tensors[b].name; });
  std::vector<TensorDesc> descs;
  descs.reserve(order.size());
  uint64_t total = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const Tensor& t = model.tensors[order[k]];
    if (t.name == "__metadata__") bad_model("a tensor may not be called __metadata__");
    if (k > 0 && t.name == model.tensors[order[k - 1]].name) bad_model("duplicate tensor name '" + t.name + "'");
    if (!valid_utf8(t.name)) bad_model("a tensor name is not valid UTF-8");
    if (t.name.size() > kMaxNameBytes) bad_model("tensor name longer than " + std::to_string(kMaxNameBytes) + " bytes");
    if (t.shape.size() > kMaxRank) bad_model("tensor '" + t.name + "' has more than " + std::to_string(kMaxRank) + " dimensions");
    uint64_t size = dtype_size(t.dtype);
    for (uint64_t d : t.shape) {
      if (d != 0 && size > std::numeric_limits<uint64_t>::max() / d) bad_model("tensor '" + t.name + "' is too large");
      size *= d;
    }
    if (size != t.bytes.size())
      bad_model("tensor '" + t.name + "' has " + std::to_string(t.bytes.size()) + " bytes; its shape and dtype need " +
                std::to_string(size));
    total += size;
    if (total > kMaxDataBytes) bad_model("tensor data exceed 1 TiB");
    descs.push_back({t.name, t.dtype, t.shape, size});
  }
  for (const auto& [k, v] : model.metadata) {
    if (k.size() > kMaxNameBytes) bad_model("metadata key longer than " + std::to_string(kMaxNameBytes) + " bytes");
    if (!valid_utf8(k) || !valid_utf8(v)) bad_model("metadata entry is not valid UTF-8");
  }
  try {
    check_nzip_metadata(model.metadata, descs);
  } catch (const Error& e) {
    bad_model(e.what());
  }
  return descs;
}

struct Prepared {
  std::vector<size_t> order;  // by name → index in model.tensors
  CanonicalLayout layout;
};

Prepared prepare(const ModelFile& model) {
  Prepared p;
  const std::vector<TensorDesc> descs = checked_descs(model, p.order);
  p.layout = canonical_layout(descs, model.metadata);
  if (p.layout.header.size() > kMaxHeaderBytes) bad_model("header exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
  return p;
}

std::string dims(std::span<const uint64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

void write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) io_error("cannot write");
    p += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

uint64_t Tensor::elements() const {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  return n;
}

bool is_scale_name(std::string_view name) {
  constexpr std::string_view suffix = ".scale";
  return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

const Tensor* ModelFile::find(std::string_view name) const {
  for (const auto& t : tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const Tensor& ModelFile::tensor(std::string_view name, DType dtype, std::initializer_list<uint64_t> shape) const {
  const Tensor* t = find(name);
  const std::string who = "model: tensor '" + std::string(name) + "'";
  if (!t) throw Error(ErrorCode::corrupt, who + " is missing");
  if (t->dtype != dtype)
    throw Error(ErrorCode::corrupt, who + " is " + dtype_name(t->dtype) + ", expected " + dtype_name(dtype));
  if (!std::equal(t->shape.begin(), t->shape.end(), shape.begin(), shape.end()))
    throw Error(ErrorCode::corrupt, who + " has shape " + dims(t->shape) + ", expected " +
                                        dims({shape.begin(), shape.size()}));
  return *t;
}

uint64_t ModelFile::parameter_count() const {
  uint64_t n = 0;
  for (const auto& t : tensors) {
    if (is_nzip_model() && is_scale_name(t.name)) continue;
    n += t.elements();
  }
  return n;
}

std::optional<ModelArchitecture> check_nzip_metadata(const std::map<std::string, std::string>& metadata,
                                                     std::span<const TensorDesc> tensors) {
  auto format = metadata.find("format");
  if (format == metadata.end() || format->second != kFormatName) return std::nullopt;

  auto version = metadata.find("format_version");
  if (version == metadata.end()) throw Error(ErrorCode::corrupt, "nzip model: no format_version in __metadata__");
  const std::string& v = version->second;
  const bool digits = !v.empty() && v.size() <= 9 && v[0] != '0' &&
                      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) throw Error(ErrorCode::corrupt, "nzip model: format_version '" + v.substr(0, 32) + "' is not a version number");
  if (v != std::to_string(kFormatVersion))
    throw Error(ErrorCode::unsupported_version, "nzip model: format version " + v + " is newer than this build reads (" +
                                                    std::to_string(kFormatVersion) + ")");

  auto arch = metadata.find("architecture");
  if (arch == metadata.end()) throw Error(ErrorCode::corrupt, "nzip model: no architecture in __metadata__");
  ModelArchitecture a = parse_architecture(arch->second);

  // tensors are sorted by name: look a weight up by binary search.
  auto lookup = [&](std::string_view name) -> const TensorDesc* {
    auto it = std::lower_bound(tensors.begin(), tensors.end(), name,
                               [](const TensorDesc& t, std::string_view n) { return t.name < n; });
    return it != tensors.end() && it->name == name ? &*it : nullptr;
  };
  for (const TensorDesc& t : tensors) {
    const std::string who = "nzip model: tensor '" + std::string(t.name.substr(0, 64)) + "'";
    if (!dtype_is_integer(t.dtype))
      throw Error(ErrorCode::corrupt, who + " is " + dtype_name(t.dtype) + "; nzip models hold integer tensors only");
    if (!is_scale_name(t.name)) continue;
    if (t.dtype != DType::I32 && t.dtype != DType::I16)
      throw Error(ErrorCode::corrupt, who + ": a scale must be I32 or I16");
    const std::string_view weight = t.name.substr(0, t.name.size() - 6);
    const TensorDesc* w = lookup(weight);
    if (!w || is_scale_name(weight)) throw Error(ErrorCode::corrupt, who + ": no weight tensor for this scale");
    const bool per_tensor = t.shape.empty();
    const bool per_row = t.shape.size() == 1 && !w->shape.empty() && t.shape[0] == w->shape[0];
    if (!per_tensor && !per_row)
      throw Error(ErrorCode::corrupt, who + ": a scale's shape must be [] or [rows of its weight]");
  }
  return a;
}

std::map<std::string, std::string> nzip_metadata(const ModelArchitecture& arch) {
  return {{"format", kFormatName},
          {"format_version", std::to_string(kFormatVersion)},
          {"architecture", architecture_to_json(arch)}};
}

ModelFile parse_model_bytes(std::span<const uint8_t> file) {
  MemorySource src(file);
  return load(src);
}

ModelFile load_model_file(const std::string& path) {
  FileSource src(path);
  return load(src);
}

ModelFile load_nzip_model(const std::string& path) {
  ModelFile m = load_model_file(path);
  if (!m.is_nzip_model())
    throw Error(ErrorCode::bad_magic, "not an nzip model (a safetensors file without \"format\": \"nzm\" in __metadata__)");
  return m;
}

ModelSummary summarize_model_file(const std::string& path) {
  FileSource src(path);
  return summarize(src);
}

ModelSummary summarize_model_bytes(std::span<const uint8_t> file) {
  MemorySource src(file);
  return summarize(src);
}

std::vector<uint8_t> serialize_model(const ModelFile& model) {
  const Prepared p = prepare(model);
  const std::string& h = p.layout.header;
  uint64_t total = 8 + h.size();
  for (const auto& t : model.tensors) total += t.bytes.size();
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(total));
  out.resize(8);
  core::store_le64(out.data(), h.size());
  out.insert(out.end(), h.begin(), h.end());
  for (size_t i : p.layout.data_order) {
    const Tensor& t = model.tensors[p.order[i]];
    out.insert(out.end(), t.bytes.begin(), t.bytes.end());
  }
  return out;
}

ModelId compute_model_id(const ModelFile& model) {
  const Prepared p = prepare(model);
  return canonical_id(p.layout, [&](size_t i, core::Xxh3_128Stream& h) { h.update(model.tensors[p.order[i]].bytes); });
}

ModelId write_model_file(const std::string& path, const ModelFile& model, ModelForm form) {
  const Prepared p = prepare(model);
  const ModelId id =
      canonical_id(p.layout, [&](size_t i, core::Xxh3_128Stream& h) { h.update(model.tensors[p.order[i]].bytes); });
  std::vector<uint8_t> packed;
  if (form == ModelForm::packed) packed = pack_canonical(serialize_model(model));

  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmp = dir + "." + base + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) io_error("cannot create a temporary file beside " + path);
  try {
    if (form == ModelForm::packed) {
      write_all(fd, packed.data(), packed.size());
    } else {
      uint8_t len[8];
      core::store_le64(len, p.layout.header.size());
      write_all(fd, len, 8);
      write_all(fd, reinterpret_cast<const uint8_t*>(p.layout.header.data()), p.layout.header.size());
      for (size_t i : p.layout.data_order) {
        const Tensor& t = model.tensors[p.order[i]];
        write_all(fd, t.bytes.data(), t.bytes.size());
      }
    }
    if (::fchmod(fd, 0644) != 0) io_error("cannot set permissions");
    if (::fsync(fd) != 0) io_error("cannot sync");
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    io_error("cannot close");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    io_error("cannot rename into place");
  }
  return id;
}

}  // namespace nzip::model
