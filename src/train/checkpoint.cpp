// train/checkpoint.cpp — Trainer::save_checkpoint / load_checkpoint: the complete training
// state in one file, so that --resume continues exactly as an uninterrupted run would.
//
//   "NZTRAIN\0"  8 bytes magic
//   version      u32 LE (1)
//   header_len   u32 LE (≤ 1 MiB)
//   header       JSON: {"options": the options that shape the run, "state": counters,
//                random state, best validation so far}
//   floats       f32 LE: params, AdamW m, AdamW v, then the best params when "best" is set
// The file is untrusted on load: every size is checked against the file before use.
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "nzip/error.h"
#include "train/export.h"
#include "train/trainer.h"

namespace nzip::train {
namespace {

constexpr char kMagic[8] = {'N', 'Z', 'T', 'R', 'A', 'I', 'N', 0};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kMaxHeader = 1u << 20;

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(v >> (8 * b)));
}
uint32_t get_u32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
void put_floats(std::vector<uint8_t>& out, const std::vector<float>& v) {
  for (float f : v) {
    uint32_t u = 0;
    std::memcpy(&u, &f, 4);
    put_u32(out, u);
  }
}
void get_floats(const uint8_t*& p, std::vector<float>& v, size_t n) {
  v.resize(n);
  for (auto& f : v) {
    const uint32_t u = get_u32(p);
    std::memcpy(&f, &u, 4);
    p += 4;
  }
}

[[noreturn]] void corrupt(const std::string& path, const std::string& what) {
  throw Error(ErrorCode::corrupt, path + ": checkpoint " + what);
}

// Everything that shapes the sequence of steps; a resume must match it exactly.
nlohmann::json run_options(const TrainOptions& o, size_t min_len, size_t max_len, const std::vector<size_t>& train_ends,
                           const std::vector<size_t>& val_ends) {
  return {{"d_model", o.d_model}, {"layers", o.layers}, {"heads", o.heads}, {"ff", o.ff}, {"window", o.window},
          {"element_period", o.element_period}, {"steps", o.steps}, {"minutes", o.minutes}, {"batch", o.batch},
          {"min_len", min_len}, {"max_len", max_len}, {"lr", o.lr}, {"min_lr", o.min_lr}, {"warmup", o.warmup},
          {"weight_decay", o.weight_decay}, {"beta1", o.beta1}, {"beta2", o.beta2}, {"clip", o.clip},
          {"qat_from", o.qat_from}, {"seed", o.seed}, {"threads", o.threads}, {"eval_every", o.eval_every},
          {"eval_bytes", o.eval_bytes}, {"eval_chunk", o.eval_chunk}, {"patience", o.patience},
          {"min_delta", o.min_delta}, {"train_ends", train_ends}, {"val_ends", val_ends}};
}

}  // namespace

void Trainer::save_checkpoint(const std::string& path) const {
  nlohmann::json h;
  h["options"] = run_options(opt_, min_len_, max_len_, train_ends_, val_ends_);
  nlohmann::json st = {{"step", step_}, {"adam_steps", adamw_.steps()}, {"rng", rng_.state()},
                       {"bad_validations", bad_validations_}, {"validated_step", validated_step_},
                       {"trained_bytes", trained_bytes_}, {"elapsed_s", elapsed_before_}, {"parameters", params_.size()}};
  st["best"] = best_ ? nlohmann::json{{"step", best_step_}, {"bpb", best_->bpb}, {"float_bpb", best_->float_bpb}}
                     : nlohmann::json(nullptr);
  h["state"] = st;
  const std::string header = h.dump();
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  put_u32(out, kVersion);
  put_u32(out, static_cast<uint32_t>(header.size()));
  out.insert(out.end(), header.begin(), header.end());
  put_floats(out, params_);
  put_floats(out, adamw_.m());
  put_floats(out, adamw_.v());
  if (best_) put_floats(out, best_params_);

  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error(ErrorCode::io, tmp + ": cannot write the checkpoint");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error(ErrorCode::io, path + ": cannot rename the checkpoint into place");
  }
}

void Trainer::load_checkpoint(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorCode::io, path + ": cannot open the checkpoint");
  const std::vector<uint8_t> data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (data.size() < 16) throw Error(ErrorCode::truncated, path + ": checkpoint shorter than its header");
  if (std::memcmp(data.data(), kMagic, 8) != 0) throw Error(ErrorCode::bad_magic, path + ": not an nzip training checkpoint");
  if (get_u32(data.data() + 8) != kVersion) throw Error(ErrorCode::unsupported_version, path + ": checkpoint version");
  const uint32_t header_len = get_u32(data.data() + 12);
  if (header_len > kMaxHeader || header_len > data.size() - 16) corrupt(path, "header length out of range");
  nlohmann::json h;
  try {
    h = nlohmann::json::parse(data.begin() + 16, data.begin() + 16 + header_len);
    if (h.at("options") != run_options(opt_, min_len_, max_len_, train_ends_, val_ends_))
      throw Error(ErrorCode::invalid_argument,
                  path + ": checkpoint was made with other options or data: " + h.at("options").dump());
    const auto& st = h.at("state");
    if (st.at("parameters").get<uint64_t>() != params_.size()) corrupt(path, "parameter count differs");
    const bool has_best = !st.at("best").is_null();
    const uint64_t floats = params_.size() * (has_best ? 4 : 3);
    if (data.size() - 16 - header_len != floats * 4) corrupt(path, "data size does not match the header");
    const uint8_t* p = data.data() + 16 + header_len;
    get_floats(p, params_, params_.size());
    get_floats(p, adamw_.m(), params_.size());
    get_floats(p, adamw_.v(), params_.size());
    step_ = st.at("step").get<size_t>();
    adamw_.set_steps(st.at("adam_steps").get<size_t>());
    rng_ = Rng(st.at("rng").get<uint64_t>());
    bad_validations_ = st.at("bad_validations").get<size_t>();
    validated_step_ = st.at("validated_step").get<size_t>();
    trained_bytes_ = st.at("trained_bytes").get<uint64_t>();
    elapsed_before_ = st.at("elapsed_s").get<double>();
    best_.reset();
    if (has_best) {
      get_floats(p, best_params_, params_.size());
      best_.emplace();
      best_step_ = st.at("best").at("step").get<size_t>();
      best_->bpb = st.at("best").at("bpb").get<double>();
      best_->float_bpb = st.at("best").at("float_bpb").get<double>();
      best_->file = export_transformer(model_, best_params_);
    }
  } catch (const nlohmann::json::exception& e) {
    corrupt(path, std::string("header: ") + e.what());
  }
}

}  // namespace nzip::train
