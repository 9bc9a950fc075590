// cm/record_detector.h — finds the record length of tabular binary data.
//
// A byte value that recurs at the same distance twice in a row votes for that distance;
// the distance with the most recent votes (scores decay) is the record length. Short
// periods (a float's 4 bytes, runs of pairs) often outvote the real record, so the best
// distance of at least kLongMin is tracked too. Fixed memory, integer only.
#pragma once

#include <array>
#include <cstdint>

namespace nzip::cm {

class RecordDetector {
 public:
  static constexpr uint32_t kMaxLength = 4096;
  static constexpr uint32_t kLongMin = 16;

  // Observes byte c at position pos (after it was coded).
  void update(uint8_t c, uint64_t pos) {
    const uint64_t d64 = pos - last_pos_[c];
    const uint32_t d = d64 < kMaxLength ? static_cast<uint32_t>(d64) : 0;
    if (d >= 2 && d == last_dist_[c] && last_pos_[c] != 0) {
      const uint16_t s = ++score_[d];
      if (d != length_ && s > score_[length_] + 2) length_ = d;
      if (d >= kLongMin && d != long_length_ && s > score_[long_length_] + 2) long_length_ = d;
    }
    last_dist_[c] = d;
    last_pos_[c] = pos;
    if ((pos & 0xFFF) == 0)
      for (auto& s : score_) s = static_cast<uint16_t>(s >> 1);
  }

  // Current record length (0 until one is seen).
  uint32_t length() const { return length_; }
  // Best record length of at least kLongMin bytes, else length().
  uint32_t long_length() const { return long_length_ ? long_length_ : length_; }

 private:
  std::array<uint64_t, 256> last_pos_{};
  std::array<uint32_t, 256> last_dist_{};
  std::array<uint16_t, kMaxLength> score_{};
  uint32_t length_ = 0;
  uint32_t long_length_ = 0;
};

}  // namespace nzip::cm
