// Proves that chunk method 4 chooses sensibly and decodes safely: English prose gets the
// prose profile while code, logs, CSV and JSON keep the general one and try no transform
// (float tables and their numeric profile: numeric_profile_test.cpp); and a method-4 payload
// with an unknown profile, an unknown transform or no header is refused as corrupt instead
// of decoding garbage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/chunk_codec.h"
#include "codec/chunk_plan.h"
#include "test_support.h"

namespace {

using nzip::ErrorCode;
using nzip::codec::Method;
using nzip_test::code_of;
using nzip_test::corpus_dir;
using nzip_test::read_file;

TEST(ChunkPlan, ProseIsTextButNotCodeLogsOrTables) {
  for (const char* f : {"text/alice29.txt", "text/bible.txt", "text/enwik6", "text/world192.txt"})
    EXPECT_TRUE(nzip::codec::looks_like_prose(read_file(corpus_dir() / f, 1 << 20))) << f;
  for (const char* f : {"structured/lua-5.4.4_src.c", "structured/apache_access.log", "structured/seaice.csv",
                        "structured/pyhf_atlas_sbottom_bkgonly.json", "binary/kennedy.xls", "float/hep_taus_pt.f32"})
    EXPECT_FALSE(nzip::codec::looks_like_prose(read_file(corpus_dir() / f, 1 << 20))) << f;
  EXPECT_FALSE(nzip::codec::looks_like_prose({}));
  for (const char* f : {"structured/lua-5.4.4_src.c", "structured/apache_access.log", "structured/seaice.csv"})
    EXPECT_TRUE(nzip::codec::looks_like_text(read_file(corpus_dir() / f, 1 << 20))) << f;
  for (const char* f : {"binary/kennedy.xls", "float/hep_taus_pt.f32", "binary/libstdc++.so.6.0.30"})
    EXPECT_FALSE(nzip::codec::looks_like_text(read_file(corpus_dir() / f, 1 << 20))) << f;
}

// The default level codes prose with the direct profile, every other level with the full one;
// the lean profile is the prose one less two contexts and the order-1 APM, on a smaller table,
// and the direct one is the lean one with no APM, a smaller match index and a smaller table.
TEST(ChunkPlan, DefaultLevelCodesProseDirect) {
  const auto data = read_file(corpus_dir() / "text/alice29.txt", 40000);
  for (int level = 1; level <= 9; ++level) {
    const auto plan = nzip::codec::plan_chunk(data, level);
    EXPECT_EQ(plan.profile, level == 6 ? nzip::cm::Profile::prose_direct : nzip::cm::Profile::prose) << level;
    const auto& direct = nzip::cm::level_config(level, nzip::cm::Profile::prose_direct);
    const auto& lean = nzip::cm::level_config(level, nzip::cm::Profile::prose_lean);
    const auto& full = nzip::cm::level_config(level, nzip::cm::Profile::prose);
    EXPECT_LT(lean.contexts.size(), full.contexts.size()) << level;
    EXPECT_EQ(lean.apm_stages, 0) << level;
    EXPECT_LE(lean.slot_bits, 22) << level;
    EXPECT_EQ(direct.contexts, lean.contexts) << level;
    EXPECT_EQ(direct.apm_stages, -1) << level;
    EXPECT_LE(direct.match_bits, 20) << level;
    EXPECT_LE(direct.slot_bits, 21) << level;
  }
  const auto enc = nzip::codec::encode_chunk(data, 6);
  ASSERT_EQ(enc.method, Method::cm_planned);
  EXPECT_EQ(enc.payload[0], static_cast<uint8_t>(nzip::cm::Profile::prose_direct));
  std::vector<uint8_t> out(data.size());
  nzip::codec::decode_chunk(enc.method, enc.payload, out, 6);
  EXPECT_EQ(out, data);
  // The direct model is smaller but still a prose model: within 3% of the full one here.
  auto full_plan = nzip::codec::plan_chunk(data, 6);
  full_plan.profile = nzip::cm::Profile::prose;
  const auto full = nzip::codec::encode_planned_chunk(data, full_plan, 6);
  EXPECT_GE(enc.payload.size(), full.payload.size() * 99 / 100);
  EXPECT_LE(enc.payload.size(), full.payload.size() * 103 / 100);
}

TEST(ChunkPlan, DamagedMethodTwoHeaderIsCorrupt) {
  const auto data = read_file(corpus_dir() / "text/alice29.txt", 20000);
  const auto enc = nzip::codec::encode_chunk(data, 2);
  ASSERT_EQ(enc.method, Method::cm_planned);
  EXPECT_EQ(enc.payload[0], static_cast<uint8_t>(nzip::cm::Profile::prose));
  std::vector<uint8_t> out(data.size());
  auto decode = [&](std::vector<uint8_t> payload) {
    return code_of([&] { nzip::codec::decode_chunk(Method::cm_planned, payload, out, 2); });
  };
  EXPECT_EQ(decode(enc.payload), ErrorCode::ok);
  auto bad_profile = enc.payload;
  bad_profile[0] = 7;
  EXPECT_EQ(decode(bad_profile), ErrorCode::corrupt);
  auto bad_transform = enc.payload;
  bad_transform[1] = 0x35;
  EXPECT_EQ(decode(bad_transform), ErrorCode::corrupt);
  EXPECT_EQ(decode({}), ErrorCode::corrupt);
  EXPECT_EQ(decode({0}), ErrorCode::corrupt);
}

}  // namespace

// nzip -l -v shows plans in these words; a numeric plan names its layout and the byte order.
TEST(ChunkPlan, DescribesEachKindOfPlan) {
  using nzip::codec::ChunkPlan;
  using nzip::codec::describe_plan;
  using nzip::codec::TransformKind;
  ChunkPlan plan;
  EXPECT_EQ(describe_plan(plan), "general");
  plan.transform = {TransformKind::byte_planes, 4};
  EXPECT_EQ(describe_plan(plan), "general, byte planes of 4");
  plan.transform = {TransformKind::big_endian, 8};
  EXPECT_EQ(describe_plan(plan), "general, byte-reversed elements of 8");
  plan = {};
  plan.profile = nzip::cm::Profile::prose;
  EXPECT_EQ(describe_plan(plan), "prose");
  plan.profile = nzip::cm::Profile::prose_lean;
  EXPECT_EQ(describe_plan(plan), "prose (lean)");
  plan.profile = nzip::cm::Profile::prose_direct;
  EXPECT_EQ(describe_plan(plan), "prose (lean, no APM)");
  plan.profile = nzip::cm::Profile::numeric;
  plan.element_bytes = 4;
  plan.record_elements = 37;
  EXPECT_EQ(describe_plan(plan), "numeric: 4-byte elements, 37 per record");
  plan.transform = {TransformKind::big_endian, 4};
  EXPECT_EQ(describe_plan(plan), "numeric: 4-byte elements, 37 per record, byte-reversed");
}
