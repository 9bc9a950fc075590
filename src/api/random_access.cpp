// inspect and decompress_chunk: random access to a container held in memory, through the
// footer and the index (format::ContainerView).
#include <new>
#include <string>

#include "codec/chunk_codec.h"
#include "core/hash.h"
#include "format/container_view.h"
#include "nzip/nzip.h"

namespace nzip {

ContainerInfo inspect(std::span<const uint8_t> container) {
  format::ContainerView view(container);
  ContainerInfo info;
  const format::Header& h = view.header();
  info.format_version = uint32_t{h.version_major} * 100 + h.version_minor;
  info.level = h.level;
  info.chunk_size = h.chunk_size;
  info.model = format::model_name(h);
  info.original_size = view.total_original_size();
  info.compressed_size = view.size();
  info.chunks.reserve(view.entries().size());
  for (const format::IndexEntry& e : view.entries())
    info.chunks.push_back({e.offset, e.payload_size, e.original_size, e.checksum, e.method});
  return info;
}

std::vector<uint8_t> decompress_chunk(std::span<const uint8_t> container, uint64_t index) {
  format::ContainerView view(container);
  if (index >= view.entries().size())
    throw Error(ErrorCode::invalid_argument, "chunk " + std::to_string(index) + " does not exist (the container has " +
                                                 std::to_string(view.entries().size()) + " chunks)");
  const format::IndexEntry& e = view.entries()[index];
  std::vector<uint8_t> out;
  try {
    out.resize(e.original_size);
    codec::decode_chunk(static_cast<codec::Method>(e.method), view.payload(index), out, view.header().level);
  } catch (const Error& err) {
    if (err.chunk()) throw;
    throw Error(err.code(), err.what(), index);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory, "out of memory decoding", index);
  } catch (const std::exception& err) {
    throw Error(ErrorCode::internal, std::string("decoder failed: ") + err.what(), index);
  }
  if (core::xxh3_64(out) != e.checksum)
    throw Error(ErrorCode::checksum_mismatch, "decoded bytes do not match the stored checksum", index);
  return out;
}

}  // namespace nzip
