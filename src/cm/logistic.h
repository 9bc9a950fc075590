// cm/logistic.h — stretch (logit) and squash (logistic) in fixed point.
//
// Probabilities are 16-bit (P(1) * 65536); the logistic domain is x in [-2047, 2047],
// units of 1/256 nat. Both directions are table lookups from committed tables, so they are
// identical on every machine.
#pragma once

#include <cstdint>

#include "cm/logistic_tables.h"

namespace nzip::cm {

// squash: logit x (any int) → probability in [1, 65535] (16-bit).
inline int squash(int x) {
  if (x > 2047) x = 2047;
  if (x < -2047) x = -2047;
  return kSquashTable[x + 2047];
}

// stretch: 16-bit probability → logit in [-2047, 2047].
inline int stretch(int p16) { return kStretchTable[static_cast<unsigned>(p16) >> 4]; }

}  // namespace nzip::cm
