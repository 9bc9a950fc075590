// train/train_config.cpp — YAML configurations of `nzip train` (nzip/train.h): one table of
// keys drives both the parser and the commented template, so they cannot drift apart.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "nzip/error.h"
#include "nzip/train.h"

namespace nzip {
namespace {

struct Key {
  const char* section;  // "" for top-level keys
  const char* name;
  const char* comment;
  std::function<void(const YAML::Node&, TrainOptions&)> read;
  std::function<std::string(const TrainOptions&)> show;
};

template <class T>
Key scalar(const char* section, const char* name, T TrainOptions::*field, const char* comment) {
  return {section, name, comment, [field](const YAML::Node& n, TrainOptions& o) { o.*field = n.as<T>(); },
          [field](const TrainOptions& o) {
            std::ostringstream s;
            if constexpr (std::is_same_v<T, std::string>) s << '"' << o.*field << '"';
            else s << o.*field;
            return s.str();
          }};
}

std::string show_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", \"" : "\"") + v[i] + "\"";
  return s + "]";
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      scalar("", "experiment", &TrainOptions::experiment, "a name for this run"),
      {"", "data", "files to train on; each is split into train/validation/test ranges",
       [](const YAML::Node& n, TrainOptions& o) { o.data_files = n.as<std::vector<std::string>>(); },
       [](const TrainOptions& o) { return show_list(o.data_files.empty() ? std::vector<std::string>{"FILE"} : o.data_files); }},
      {"", "split", "train, validation, test: fractions of each file, contiguous ranges in this order",
       [](const YAML::Node& n, TrainOptions& o) {
         const auto v = n.as<std::vector<double>>();
         if (v.size() != 3) throw Error(ErrorCode::invalid_argument, "split needs three fractions");
         o.train_fraction = v[0];
         o.val_fraction = v[1];
         o.test_fraction = v[2];
       },
       [](const TrainOptions& o) {
         std::ostringstream s;
         s << '[' << o.train_fraction << ", " << o.val_fraction << ", " << o.test_fraction << ']';
         return s.str();
       }},
      scalar("", "out", &TrainOptions::out_path, "the model file to write"),
      {"model", "preset", "tiny | small | base (the keys below override it)",
       [](const YAML::Node& n, TrainOptions& o) { apply_train_preset(n.as<std::string>(), o); },
       [](const TrainOptions&) { return std::string("tiny"); }},
      scalar("model", "d_model", &TrainOptions::d_model, "width of the residual stream"),
      scalar("model", "layers", &TrainOptions::layers, "transformer blocks"),
      scalar("model", "heads", &TrainOptions::heads, "attention heads; d_model/heads must be even"),
      scalar("model", "ff", &TrainOptions::ff, "hidden width of the feed-forward layer"),
      scalar("model", "window", &TrainOptions::window, "attention window in bytes"),
      scalar("model", "element_period", &TrainOptions::element_period, "bytes per element (4 for float32); 0 = none"),
      scalar("budget", "steps", &TrainOptions::steps, "optimiser steps (0 = no limit; then give minutes)"),
      scalar("budget", "minutes", &TrainOptions::minutes, "time budget (0 = none); the first limit reached ends the run"),
      scalar("train", "batch", &TrainOptions::batch, "sequences per step"),
      scalar("train", "min_len", &TrainOptions::min_len, "shortest sequence (0 = window/2)"),
      scalar("train", "max_len", &TrainOptions::max_len, "longest sequence (0 = 2*window)"),
      scalar("train", "lr", &TrainOptions::lr, "peak learning rate"),
      scalar("train", "min_lr", &TrainOptions::min_lr, "learning rate at the end of the cosine"),
      scalar("train", "warmup", &TrainOptions::warmup, "linear warm-up, fraction of the run"),
      scalar("train", "weight_decay", &TrainOptions::weight_decay, "AdamW decay of the matrices"),
      scalar("train", "beta1", &TrainOptions::beta1, "AdamW first-moment decay"),
      scalar("train", "beta2", &TrainOptions::beta2, "AdamW second-moment decay"),
      scalar("train", "clip", &TrainOptions::clip, "global gradient-norm clip (0 = off)"),
      scalar("train", "qat_from", &TrainOptions::qat_from, "quantisation-aware training from this fraction of the run"),
      scalar("train", "seed", &TrainOptions::seed, "random seed (weights and batches)"),
      scalar("train", "threads", &TrainOptions::threads, "worker threads (0 = all cores)"),
      scalar("eval", "every", &TrainOptions::eval_every, "steps between validations (0 = only at the end)"),
      scalar("eval", "bytes", &TrainOptions::eval_bytes, "validation and test bytes measured"),
      scalar("eval", "patience", &TrainOptions::patience, "validations without improvement before stopping (0 = off)"),
      scalar("eval", "min_delta", &TrainOptions::min_delta, "bpb improvement that counts"),
      scalar("checkpoint", "path", &TrainOptions::checkpoint_path, "training state file (empty = none)"),
      scalar("checkpoint", "every", &TrainOptions::checkpoint_every, "steps between checkpoints"),
  };
  return k;
}

const Key* find_key(const std::string& section, const std::string& name) {
  for (const auto& k : keys())
    if (section == k.section && name == k.name) return &k;
  return nullptr;
}

}  // namespace

void apply_train_preset(const std::string& name, TrainOptions& o) {
  struct Preset {
    const char* name;
    uint32_t d_model, layers, heads, ff, window;
  };
  static constexpr Preset kPresets[] = {
      {"tiny", 64, 2, 4, 192, 64}, {"small", 128, 4, 4, 384, 128}, {"base", 256, 6, 8, 768, 256}};
  for (const auto& p : kPresets) {
    if (name != p.name) continue;
    o.d_model = p.d_model;
    o.layers = p.layers;
    o.heads = p.heads;
    o.ff = p.ff;
    o.window = p.window;
    return;
  }
  throw Error(ErrorCode::invalid_argument, "train: unknown preset '" + name + "' (tiny, small, base)");
}

TrainOptions load_train_config(const std::string& path, TrainOptions o) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw Error(ErrorCode::io, path + ": cannot read the configuration");
  } catch (const YAML::Exception& e) {
    throw Error(ErrorCode::invalid_argument, path + ": " + e.what());
  }
  if (root.IsNull()) return o;
  if (!root.IsMap()) throw Error(ErrorCode::invalid_argument, path + ": a configuration is a map of keys");
  auto apply = [&](const std::string& section, const std::string& name, const YAML::Node& value) {
    const std::string where = section.empty() ? name : section + "." + name;
    const Key* k = find_key(section, name);
    if (!k) throw Error(ErrorCode::invalid_argument, path + ": unknown key '" + where + "'");
    try {
      k->read(value, o);
    } catch (const YAML::Exception& e) {
      throw Error(ErrorCode::invalid_argument, path + ": " + where + ": " + e.what());
    } catch (const Error& e) {
      throw Error(ErrorCode::invalid_argument, path + ": " + where + ": " + e.what());
    }
  };
  for (const auto& item : root) {
    const auto name = item.first.as<std::string>();
    if (find_key("", name)) {
      apply("", name, item.second);
      continue;
    }
    if (!item.second.IsMap()) throw Error(ErrorCode::invalid_argument, path + ": unknown key '" + name + "'");
    // The preset first, so that the section's explicit dimensions override it.
    if (item.second["preset"]) apply(name, "preset", item.second["preset"]);
    for (const auto& sub : item.second) {
      const auto key = sub.first.as<std::string>();
      if (key != "preset") apply(name, key, sub.second);
    }
  }
  return o;
}

std::string train_config_template() {
  const TrainOptions o;
  std::string out =
      "# nzip train configuration: nzip train --config THIS_FILE (docs/TRAIN.md).\n"
      "# Command-line options override these values; absent keys keep their defaults.\n";
  std::string section = "";
  for (const auto& k : keys()) {
    if (section != k.section) {
      section = k.section;
      out += "\n" + section + ":\n";
    }
    const std::string indent = section.empty() ? "" : "  ";
    out += indent + k.name + ": " + k.show(o) + "  # " + k.comment + "\n";
  }
  return out;
}

}  // namespace nzip
