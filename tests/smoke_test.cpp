// Proves the test harness links against the library.
#include <gtest/gtest.h>
#include "nzip/error.h"
TEST(Smoke, ErrorCarriesChunk) {
  nzip::Error e(nzip::ErrorCode::corrupt, "bad", 3);
  EXPECT_EQ(e.code(), nzip::ErrorCode::corrupt);
  EXPECT_EQ(std::string(e.what()), "chunk 3: bad");
}
