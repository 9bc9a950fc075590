// format/stream_reader.h — reads a container front to back from a source that need not be
// seekable (stdin): the header, then one chunk frame at a time, then the index, which is
// cross-checked against the frames actually read, the footer, and the end of input.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "format/layout.h"
#include "nzip/nzip.h"

namespace nzip::format {

struct ChunkFrame {
  uint64_t index = 0;   // chunk number, from 0
  uint64_t offset = 0;  // of the frame in the container
  FrameHeader header;
  std::vector<uint8_t> payload;  // exactly header.payload_size bytes
};

class StreamReader {
 public:
  // Reads and checks the header, the model section when the header announces one (its
  // bytes are kept but not decoded or verified: that is the caller's business), and the
  // dataset section when there is one.
  explicit StreamReader(ByteSource& source);

  const Header& header() const noexcept { return header_; }
  // The embedded model (a packed .nzm file, unchecked), empty when there is none.
  const std::vector<uint8_t>& embedded_model() const noexcept { return model_; }
  // The dataset section (checked), when there is one. The index's total original size is
  // checked against it.
  const std::optional<DatasetInfo>& dataset() const noexcept { return dataset_; }

  // The next chunk frame (header checked, payload read whole but not decoded), or nullopt
  // once the index, the footer and the end of input have been read and checked.
  // Memory: the payload's buffer grows with the bytes actually read, so a frame that
  // claims a large payload in a short input allocates little before failing.
  std::optional<ChunkFrame> next();

  // Container bytes consumed so far.
  uint64_t position() const noexcept { return position_; }

 private:
  // Reads exactly n bytes or throws truncated with `what`.
  void read_exact(uint8_t* dst, size_t n, const std::string& what, std::optional<uint64_t> chunk);
  void read_index_and_footer(const std::array<uint8_t, 4>& tag);

  ByteSource& source_;
  Header header_;
  std::optional<FrameSequence> sequence_;
  std::vector<uint8_t> model_;
  std::optional<DatasetInfo> dataset_;
  std::vector<IndexEntry> seen_;  // 40 bytes a chunk, to cross-check the index
  uint64_t position_ = 0;
  bool done_ = false;
};

}  // namespace nzip::format
