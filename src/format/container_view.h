// format/container_view.h — a whole container held in memory, checked once and then
// addressable by chunk (random access through the footer and the index).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "format/layout.h"
#include "nzip/nzip.h"

namespace nzip::format {

class ContainerView {
 public:
  // Reads the header, the footer at the end, the index it points to, and every frame
  // header the index points to; checks them against each other. Decodes no payload.
  explicit ContainerView(std::span<const uint8_t> bytes);

  const Header& header() const noexcept { return header_; }
  const std::vector<IndexEntry>& entries() const noexcept { return entries_; }
  uint64_t total_original_size() const noexcept { return total_original_; }
  uint64_t size() const noexcept { return bytes_.size(); }
  // The embedded model section's bytes (a packed .nzm, unchecked); empty when there is none.
  std::span<const uint8_t> embedded_model() const noexcept { return model_; }
  // The dataset section (checked, and its size against the index's total), when there is one.
  const std::optional<DatasetInfo>& dataset() const noexcept { return dataset_; }

  // The payload of chunk i (i < entries().size()).
  std::span<const uint8_t> payload(uint64_t i) const;

 private:
  std::span<const uint8_t> bytes_;
  std::span<const uint8_t> model_;
  std::optional<DatasetInfo> dataset_;
  Header header_;
  std::vector<IndexEntry> entries_;
  uint64_t total_original_ = 0;
};

}  // namespace nzip::format
