#include "cm/state_map.h"

#include <array>

#include "cm/state_table.h"

namespace nzip::cm {

namespace {
std::array<int32_t, 1024> make_recip() {
  std::array<int32_t, 1024> r{};
  for (int n = 0; n < 1024; ++n) r[n] = static_cast<int32_t>(131072 / (2 * n + 3));
  return r;
}
const std::array<int32_t, 1024> kRecipTable = make_recip();
}  // namespace

const int32_t* const StateMap::kRecip = kRecipTable.data();

StateMap::StateMap(size_t n, int limit)
    : t_(n, 1u << 31), cur_(t_.data()), limit_(static_cast<uint32_t>(limit)) {}

void StateMap::init_from_states() {
  const StateTable& st = StateTable::get();
  for (size_t i = 0; i < t_.size(); ++i) {
    const auto s = static_cast<uint8_t>(i & 255);
    const int64_t n0 = st.n0(s), n1 = st.n1(s);
    const int64_t p22 = ((2 * n1 + 1) << 22) / (2 * (n0 + n1) + 2);
    t_[i] = static_cast<uint32_t>(p22 << 10);
  }
}

}  // namespace nzip::cm
