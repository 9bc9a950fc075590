// format/stream_writer.h — writes a container front to back to a sink (works on pipes):
// header, chunk frames in order, and at the end the index and the footer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "format/layout.h"
#include "nzip/nzip.h"

namespace nzip::format {

class StreamWriter {
 public:
  // Writes the header at once, after it the model section when `embedded_model` (a packed
  // .nzm file) is not empty, then the dataset section when `dataset` is set; the header's
  // kFlagEmbeddedModel and kFlagDataset are set to match. finish() throws invalid_argument
  // when the chunks' total differs from what `dataset` describes.
  StreamWriter(ByteSink& sink, const Header& header, std::span<const uint8_t> embedded_model = {},
               const DatasetInfo* dataset = nullptr);

  // Appends the next chunk's frame. Throws internal if the chunk breaks the format's rules
  // (a bug in the caller, never in the input).
  void write_chunk(uint8_t method, uint64_t original_size, uint64_t checksum,
                   std::span<const uint8_t> payload);

  // Writes the index and the footer; no chunk may follow.
  void finish();

  uint64_t bytes_written() const noexcept { return written_; }
  uint64_t total_original_size() const noexcept { return sequence_.total_original_size(); }

 private:
  // The public constructor's work, once the header's flags and the dataset section are known.
  StreamWriter(ByteSink& sink, const Header& header, std::span<const uint8_t> embedded_model,
               std::vector<uint8_t> dataset_section);
  void put(std::span<const uint8_t> bytes);

  ByteSink& sink_;
  Header header_;
  std::optional<uint64_t> dataset_bytes_;  // what the dataset section promises
  FrameSequence sequence_;
  // 40 bytes a chunk (0.002% of the input at 2 MiB chunks): the index can only be
  // written once every chunk is known.
  std::vector<IndexEntry> entries_;
  uint64_t written_ = 0;
  bool finished_ = false;
};

}  // namespace nzip::format
