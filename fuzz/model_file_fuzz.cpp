// libFuzzer target for every reader of a model file (.nzm, docs/MODEL_FORMAT.md): the public
// nzip::model_info and the loader the predictor uses (model::parse_model_bytes), both on
// the same untrusted bytes. Errors are fine (nzip::Error); a crash, a hang, a sanitizer
// report, an exception of another type, or findings that disagree are findings:
//  - both readers accept or both refuse the input, with the same error code;
//  - an accepted model has the same id from both, re-serialises to canonical bytes whose
//    XXH3-128 is that id, and those bytes load back to the same model;
//  - the input is packed (docs/MODEL_FORMAT.md, "Packed form") exactly when model_info says
//    so, and an accepted model packs (with each coding) to a file that unpacks to the very
//    canonical bytes and loads with the same id.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "core/hash.h"
#include "model/model_file.h"
#include "model/model_pack.h"
#include "nzip/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> file(data, size);
  nzip::ErrorCode info_code = nzip::ErrorCode::ok, load_code = nzip::ErrorCode::ok;
  nzip::ModelInfo info;
  nzip::model::ModelFile m;
  try {
    info = nzip::model_info(file);
  } catch (const nzip::Error& e) {
    info_code = e.code();
  }
  try {
    m = nzip::model::parse_model_bytes(file);
  } catch (const nzip::Error& e) {
    load_code = e.code();
  }
  if (info_code != load_code) std::abort();
  if (load_code != nzip::ErrorCode::ok) return 0;

  if (info.id != m.id || info.tensors.size() != m.tensors.size()) std::abort();
  if (info.nzip_model != m.is_nzip_model() || info.parameter_count != m.parameter_count()) std::abort();
  // The writer accepts whatever the loader accepted, and its bytes are the canonical form.
  const std::vector<uint8_t> canonical = nzip::model::serialize_model(m);
  if (nzip::core::xxh3_128(canonical) != m.id) std::abort();
  const nzip::model::ModelFile back = nzip::model::parse_model_bytes(canonical);
  if (back.id != m.id || back.metadata != m.metadata || back.tensors.size() != m.tensors.size()) std::abort();
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    if (back.tensors[i].name != m.tensors[i].name || back.tensors[i].bytes != m.tensors[i].bytes ||
        back.tensors[i].shape != m.tensors[i].shape || back.tensors[i].dtype != m.tensors[i].dtype)
      std::abort();
  }
  if (size == canonical.size() && std::equal(canonical.begin(), canonical.end(), data) != info.canonical) std::abort();
  if (info.packed != nzip::model::is_packed_model(file)) std::abort();
  for (auto coding : {nzip::model::PackCoding::binary, nzip::model::PackCoding::range}) {
    const std::vector<uint8_t> packed = nzip::model::pack_canonical(canonical, coding);
    if (nzip::model::unpack_canonical(packed) != canonical) std::abort();
    if (nzip::model::parse_model_bytes(packed).id != m.id) std::abort();
  }
  return 0;
}
