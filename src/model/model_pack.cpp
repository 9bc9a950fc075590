#include "model/model_pack.h"

#include <algorithm>
#include <string>

#include "coder/binary_coder.h"
#include "coder/range_coder.h"
#include "core/hash.h"
#include "core/le_io.h"
#include "model/safetensors_header.h"
#include "nzip/error.h"

namespace nzip::model {
namespace {

// Decoded bytes between two overrun checks: a damaged stream is noticed within this much.
constexpr uint64_t kPiece = uint64_t{1} << 16;
// Bytes a valid stream may ask past its end (the coder's own slack is 0; a few more are
// harmless and the id check catches any damage they hide).
constexpr uint64_t kMaxOverrun = 8;

// ---- Context models. Both codings see the same contexts: in the header (the length field
// and the JSON), the previous byte (order 1); in the tensor data, the byte's lane inside
// its element (little-endian byte 0 .. size−1). The data statistics start afresh whenever
// the element size changes and otherwise carry on from tensor to tensor: quantised int8
// weights share one shape of distribution (measured: 0.7% smaller than fresh statistics
// per tensor on a trained and on a random model).

// Adaptive bit probabilities, P(1) in 28-bit fixed point, each with a hit count that sets
// its learning rate to 1/(n+2) until `limit` (then a fixed rate): nearly frequency
// counting, which suits the stationary distribution of a tensor's quantised weights.
class BitModels {
 public:
  void reset(size_t contexts, uint32_t limit) {
    p_.assign(contexts * 256, uint32_t{1} << 27);
    n_.assign(contexts * 256, 0);
    limit_ = limit;
  }
  // P(1) scaled to 2^16, kept in [64, 65472] so that one bit costs at least 0.0014 bits
  // (this bounds the expansion a hostile stream can claim, see kMaxPackedRatio).
  uint32_t p1(size_t i) const { return std::clamp<uint32_t>(p_[i] >> 12, 64, 65472); }
  void update(size_t i, int bit) {
    const int64_t target = bit ? (int64_t{1} << 28) : 0;
    const int64_t p = p_[i];
    p_[i] = static_cast<uint32_t>(p + (target - p) / (int64_t{n_[i]} + 2));
    if (n_[i] < limit_) ++n_[i];
  }

 private:
  std::vector<uint32_t> p_;
  std::vector<uint16_t> n_;
  uint32_t limit_ = 0;
};

constexpr uint32_t kHeaderLimit = 30;   // JSON: adapt quickly
constexpr uint32_t kDataLimit = 1020;   // weights: count

// Adaptive symbol frequencies: every symbol starts at 1, a coded one gains kStep; when the
// total would pass the coder's 2^16 all are halved (rounding up, so none reaches 0).
class FreqModels {
 public:
  static constexpr uint32_t kStep = 32;
  void reset(size_t contexts) {
    f_.assign(contexts * 256, 1);
    total_.assign(contexts, 256);
  }
  uint32_t total(size_t ctx) const { return total_[ctx]; }
  uint32_t freq(size_t ctx, int s) const { return f_[ctx * 256 + static_cast<size_t>(s)]; }
  uint32_t cum(size_t ctx, int s) const {
    uint32_t c = 0;
    for (int k = 0; k < s; ++k) c += f_[ctx * 256 + static_cast<size_t>(k)];
    return c;
  }
  // The symbol whose [cum, cum + freq) holds f (< total), and its cum.
  int find(size_t ctx, uint32_t f, uint32_t& cum_out) const {
    uint32_t c = 0;
    int s = 0;
    while (s < 255 && c + f_[ctx * 256 + static_cast<size_t>(s)] <= f) c += f_[ctx * 256 + static_cast<size_t>(s++)];
    cum_out = c;
    return s;
  }
  void update(size_t ctx, int s) {
    f_[ctx * 256 + static_cast<size_t>(s)] += kStep;
    total_[ctx] += kStep;
    if (total_[ctx] > coder::kMaxTotal - kStep) {
      uint32_t t = 0;
      for (size_t k = 0; k < 256; ++k) {
        uint32_t& v = f_[ctx * 256 + k];
        v = (v + 1) / 2;
        t += v;
      }
      total_[ctx] = t;
    }
  }

 private:
  std::vector<uint32_t> f_;
  std::vector<uint32_t> total_;
};

// ---- One byte coded or decoded in context `ctx` by each coding. The encoder returns the
// byte it was given, the decoder the byte it decoded.

class BinaryByteEncoder {
 public:
  explicit BinaryByteEncoder(std::vector<uint8_t>& out) : enc_(out) {}
  void reset(size_t contexts, uint32_t limit) { m_.reset(contexts, limit); }
  uint8_t code(size_t ctx, uint8_t byte) {
    size_t c0 = 1;
    for (int k = 7; k >= 0; --k) {
      const int bit = (byte >> k) & 1;
      const size_t i = ctx * 256 + c0;
      enc_.encode(bit, m_.p1(i));
      m_.update(i, bit);
      c0 = c0 * 2 + static_cast<size_t>(bit);
    }
    return byte;
  }
  void finish() { enc_.finish(); }
  uint64_t overrun() const { return 0; }

 private:
  coder::BinaryEncoder enc_;
  BitModels m_;
};

class BinaryByteDecoder {
 public:
  explicit BinaryByteDecoder(std::span<const uint8_t> in) : dec_(in) {}
  void reset(size_t contexts, uint32_t limit) { m_.reset(contexts, limit); }
  uint8_t code(size_t ctx, uint8_t) {
    size_t c0 = 1;
    for (int k = 0; k < 8; ++k) {
      const size_t i = ctx * 256 + c0;
      const int bit = dec_.decode(m_.p1(i));
      m_.update(i, bit);
      c0 = c0 * 2 + static_cast<size_t>(bit);
    }
    return static_cast<uint8_t>(c0 - 256);
  }
  uint64_t overrun() const { return dec_.overrun(); }

 private:
  coder::BinaryDecoder dec_;
  BitModels m_;
};

class RangeByteEncoder {
 public:
  explicit RangeByteEncoder(std::vector<uint8_t>& out) : enc_(out) {}
  void reset(size_t contexts, uint32_t) { m_.reset(contexts); }
  uint8_t code(size_t ctx, uint8_t byte) {
    enc_.encode(m_.cum(ctx, byte), m_.freq(ctx, byte), m_.total(ctx));
    m_.update(ctx, byte);
    return byte;
  }
  void finish() { enc_.finish(); }
  uint64_t overrun() const { return 0; }

 private:
  coder::RangeEncoder enc_;
  FreqModels m_;
};

class RangeByteDecoder {
 public:
  explicit RangeByteDecoder(std::span<const uint8_t> in) : dec_(in) {}
  void reset(size_t contexts, uint32_t) { m_.reset(contexts); }
  uint8_t code(size_t ctx, uint8_t) {
    const uint32_t total = m_.total(ctx);
    uint32_t cum = 0;
    const int s = m_.find(ctx, dec_.decode_freq(total), cum);
    dec_.consume(cum, m_.freq(ctx, s), total);
    m_.update(ctx, s);
    return static_cast<uint8_t>(s);
  }
  uint64_t overrun() const { return dec_.overrun(); }

 private:
  coder::RangeDecoder dec_;
  FreqModels m_;
};

// ---- The walk over the canonical bytes, shared by encoder and decoder. `bytes` holds the
// whole input when encoding; when decoding it starts empty and each decoded byte is
// appended, so memory follows the bytes actually decoded.

void check_overrun(uint64_t overrun) {
  if (overrun > kMaxOverrun) throw Error(ErrorCode::corrupt, "packed model: payload truncated or damaged");
}

template <class Coder>
void walk(Coder& coder, std::vector<uint8_t>& bytes, uint64_t raw_size, bool decoding) {
  uint64_t pos = 0;
  auto step = [&](size_t ctx) {
    const uint8_t b = coder.code(ctx, decoding ? uint8_t{0} : bytes[static_cast<size_t>(pos)]);
    if (decoding) bytes.push_back(b);
    ++pos;
    return b;
  };
  // Header region: the 8-byte length, then the JSON, order 1.
  coder.reset(256, kHeaderLimit);
  uint8_t prev = 0;
  for (int i = 0; i < 8; ++i) prev = step(prev);
  check_overrun(coder.overrun());
  const uint64_t n = parse_header_length({bytes.data(), 8}, raw_size);  // checks N against raw_size
  for (uint64_t i = 0; i < n; ++i) {
    prev = step(prev);
    if (i % kPiece == kPiece - 1) check_overrun(coder.overrun());
  }
  check_overrun(coder.overrun());
  const SafetensorsHeader header = parse_safetensors_header({bytes.data() + 8, static_cast<size_t>(n)}, raw_size - 8 - n);

  // Data region: tensors in offset order (they tile the data exactly, checked above).
  std::vector<const TensorEntry*> order;
  order.reserve(header.tensors.size());
  for (const auto& t : header.tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const TensorEntry* a, const TensorEntry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t lanes = 0;
  for (const TensorEntry* t : order) {
    const uint64_t size = t->end - t->begin;
    if (size == 0) continue;
    if (dtype_size(t->dtype) != lanes) {
      lanes = dtype_size(t->dtype);
      coder.reset(static_cast<size_t>(lanes), kDataLimit);
    }
    for (uint64_t i = 0; i < size; ++i) {
      step(static_cast<size_t>(i % lanes));
      if (i % kPiece == kPiece - 1) check_overrun(coder.overrun());
    }
    check_overrun(coder.overrun());
  }
  if (pos != raw_size) throw Error(ErrorCode::corrupt, "packed model: the tensors do not fill the declared size");
}

std::array<uint8_t, kPackedHeaderSize> encode_packed_header(const PackedHeader& h) {
  std::array<uint8_t, kPackedHeaderSize> out{};
  std::copy(kPackedMagic.begin(), kPackedMagic.end(), out.begin());
  core::store_le16(out.data() + 8, h.version);
  out[10] = static_cast<uint8_t>(h.coding);
  // 11: u8 reserved, 12: u32 reserved (zero)
  core::store_le64(out.data() + 16, h.raw_size);
  std::copy(h.id.begin(), h.id.end(), out.begin() + 24);
  core::store_le32(out.data() + 40, core::check32(std::span<const uint8_t>(out).first(40)));
  // 44: u32 reserved (zero)
  return out;
}

// Largest canonical file the model loader accepts: the length field, the header, the data.
constexpr uint64_t kMaxRawSize = 8 + kMaxHeaderBytes + kMaxDataBytes;

}  // namespace

const char* pack_coding_name(PackCoding c) {
  return c == PackCoding::binary ? "binary arithmetic coder, adaptive bit models"
                                 : "range coder, adaptive symbol frequencies";
}

bool is_packed_model(std::span<const uint8_t> file) {
  return file.size() >= kPackedMagic.size() && std::equal(kPackedMagic.begin(), kPackedMagic.end(), file.begin());
}

PackedHeader parse_packed_header(std::span<const uint8_t> file) {
  if (file.size() < kPackedHeaderSize) {
    if (!std::equal(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(std::min(file.size(), kPackedMagic.size())),
                    kPackedMagic.begin()))
      throw Error(ErrorCode::bad_magic, "not a packed nzip model (bad magic)");
    throw Error(ErrorCode::truncated, "packed model: file ends inside its 48-byte header");
  }
  if (!is_packed_model(file)) throw Error(ErrorCode::bad_magic, "not a packed nzip model (bad magic)");
  PackedHeader h;
  h.version = core::load_le16(file.data() + 8);
  if (h.version != kPackedVersion)
    throw Error(ErrorCode::unsupported_version, "packed model: version " + std::to_string(h.version) +
                                                    " is not supported (this build reads " +
                                                    std::to_string(kPackedVersion) + ")");
  if (core::load_le32(file.data() + 40) != core::check32(file.first(40)))
    throw Error(ErrorCode::corrupt, "packed model: header checksum mismatch");
  const uint8_t coding = file[10];
  if (file[11] != 0 || core::load_le32(file.data() + 12) != 0 || core::load_le32(file.data() + 44) != 0)
    throw Error(ErrorCode::corrupt, "packed model: reserved bytes are not zero");
  if (coding > kMaxPackCoding)
    throw Error(ErrorCode::unsupported_version, "packed model: unknown coding " + std::to_string(coding));
  h.coding = static_cast<PackCoding>(coding);
  h.raw_size = core::load_le64(file.data() + 16);
  std::copy(file.begin() + 24, file.begin() + 40, h.id.begin());
  if (h.raw_size < 10) throw Error(ErrorCode::corrupt, "packed model: raw size " + std::to_string(h.raw_size) + " is too small");
  if (h.raw_size > kMaxRawSize) throw Error(ErrorCode::limit_exceeded, "packed model: raw size exceeds the model file limits");
  const uint64_t payload = file.size() - kPackedHeaderSize;
  if (h.raw_size / kMaxPackedRatio > payload + 16)
    throw Error(ErrorCode::corrupt, "packed model: raw size " + std::to_string(h.raw_size) + " is impossible for a payload of " +
                                        std::to_string(payload) + " bytes");
  return h;
}

std::vector<uint8_t> pack_canonical(std::span<const uint8_t> canonical, PackCoding coding) {
  PackedHeader h;
  h.coding = coding;
  h.raw_size = canonical.size();
  h.id = core::xxh3_128(canonical);
  const auto head = encode_packed_header(h);
  std::vector<uint8_t> out(head.begin(), head.end());
  std::vector<uint8_t> in(canonical.begin(), canonical.end());
  try {
    if (canonical.size() < 8) throw Error(ErrorCode::truncated, "shorter than 8 bytes");
    if (coding == PackCoding::binary) {
      BinaryByteEncoder enc(out);
      walk(enc, in, in.size(), false);
      enc.finish();
    } else {
      RangeByteEncoder enc(out);
      walk(enc, in, in.size(), false);
      enc.finish();
    }
  } catch (const Error& e) {
    throw Error(ErrorCode::invalid_argument, std::string("model to pack: ") + e.what());
  }
  return out;
}

std::vector<uint8_t> pack_canonical(std::span<const uint8_t> canonical) {
  std::vector<uint8_t> best = pack_canonical(canonical, PackCoding::binary);
  std::vector<uint8_t> other = pack_canonical(canonical, PackCoding::range);
  return other.size() < best.size() ? other : best;
}

std::vector<uint8_t> unpack_canonical(std::span<const uint8_t> file, PackedHeader* header) {
  const PackedHeader h = parse_packed_header(file);
  const std::span<const uint8_t> payload = file.subspan(kPackedHeaderSize);
  std::vector<uint8_t> out;
  try {
    if (h.coding == PackCoding::binary) {
      BinaryByteDecoder dec(payload);
      walk(dec, out, h.raw_size, true);
    } else {
      RangeByteDecoder dec(payload);
      walk(dec, out, h.raw_size, true);
    }
  } catch (const Error& e) {
    // What the decoded bytes failed (a header check, the sizes) means damage here.
    if (e.code() == ErrorCode::corrupt) throw;
    throw Error(ErrorCode::corrupt, std::string("packed model: damaged payload: ") + e.what());
  }
  if (core::xxh3_128(out) != h.id)
    throw Error(ErrorCode::corrupt, "packed model: the unpacked bytes do not match the model id " + model_id_hex(h.id) +
                                        " (damaged file)");
  if (header) *header = h;
  return out;
}

}  // namespace nzip::model
