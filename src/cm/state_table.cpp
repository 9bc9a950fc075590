#include "cm/state_table.h"

#include <map>
#include <utility>
#include <vector>

#include "nzip/error.h"

namespace nzip::cm {

namespace {

// Largest count of one bit while the other count is zero (long deterministic runs), and
// while the other count is non-zero. Chosen so that all reachable states fit in a byte.
constexpr int kMaxRun = 48;
constexpr int kMaxMixed = 24;

std::pair<int, int> successor(int n0, int n1, int bit) {
  int& own = bit ? n1 : n0;
  int& opp = bit ? n0 : n1;
  ++own;
  if (opp > 2) opp = opp / 2 + 1;
  const int cap = opp == 0 ? kMaxRun : kMaxMixed;
  if (own > cap) own = cap;
  if (own > 0 && opp > kMaxMixed) opp = kMaxMixed;  // a long run just broken
  return {n0, n1};
}

}  // namespace

StateTable::StateTable() {
  std::map<std::pair<int, int>, int> index;
  std::vector<std::pair<int, int>> order;
  index[{0, 0}] = 0;
  order.push_back({0, 0});
  for (size_t i = 0; i < order.size(); ++i) {
    for (int bit = 0; bit < 2; ++bit) {
      auto nxt = successor(order[i].first, order[i].second, bit);
      if (!index.count(nxt)) {
        index[nxt] = static_cast<int>(order.size());
        order.push_back(nxt);
      }
    }
  }
  if (order.size() > 256) throw Error(ErrorCode::internal, "bit-history state table overflows a byte");
  count_ = static_cast<int>(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    n0_[i] = static_cast<uint8_t>(order[i].first);
    n1_[i] = static_cast<uint8_t>(order[i].second);
    for (int bit = 0; bit < 2; ++bit)
      next_[i][bit] = static_cast<uint8_t>(index[successor(order[i].first, order[i].second, bit)]);
  }
}

const StateTable& StateTable::get() {
  static const StateTable table;
  return table;
}

}  // namespace nzip::cm
