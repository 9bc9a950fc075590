#include "model_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "diagnostics.h"
#include "exit_codes.h"
#include "fd_stream.h"
#include "input_file.h"
#include "signals.h"
#include "temp_output.h"
#include "nzip/model.h"

namespace nzip::cli {
namespace {

// A name or value from the file, with control bytes escaped so that it cannot garble the
// terminal.
std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '\\') {
      out += '\\';
      if (c == '\\') {
        out += '\\';
      } else {
        out += 'x';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    } else {
      out += ch;
    }
  }
  return out;
}

std::string shape_text(const std::vector<uint64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

ModelInfo read_info(const std::string& path) {
  InputFile in(path, /*allow_special=*/true);
  // A regular file is hashed in pieces through its path; a stream has to be read whole.
  if (in.is_stdin() || !in.is_regular()) {
    std::vector<uint8_t> data = in.read_all();
    return model_info(std::span<const uint8_t>(data));
  }
  return model_info(path);
}

void print_text(const std::string& name, const ModelInfo& m, bool verbose) {
  std::printf("file:          %s\n", printable(name).c_str());
  if (m.nzip_model) {
    std::printf("format:        nzm version %s\n", printable(m.format_version).c_str());
  } else {
    std::printf("format:        safetensors (not an nzip model: no \"format\": \"nzm\" metadata)\n");
  }
  if (m.architecture) {
    std::string dims;
    for (const auto& [k, v] : m.architecture->dimensions) dims += " " + k + "=" + std::to_string(v);
    std::printf("architecture:  %s%s\n", m.architecture->kind.c_str(), dims.c_str());
  }
  std::printf("parameters:    %llu\n", static_cast<unsigned long long>(m.parameter_count));
  std::printf("tensors:       %zu\n", m.tensors.size());
  std::printf("file size:     %llu bytes\n", static_cast<unsigned long long>(m.file_size));
  if (m.packed) {
    std::printf("form:          packed (%s), %llu bytes raw\n", m.coding.c_str(),
                static_cast<unsigned long long>(m.raw_size));
  } else {
    std::printf("form:          raw\n");
  }
  std::printf("model id:      %s\n", m.id_hex.c_str());
  if (m.packed) {
    std::printf("canonical:     packed (unpacks to the canonical form; the id is its XXH3-128)\n");
  } else {
    std::printf("canonical:     %s\n", m.canonical ? "yes (the id is the XXH3-128 of the file)" : "no");
  }
  if (!verbose) return;
  for (const auto& [k, v] : m.metadata) {
    std::printf("metadata:      %s = %s\n", printable(k).c_str(), printable(v).c_str());
  }
  for (const auto& t : m.tensors) {
    std::printf("  %-40s %-8s %-20s %12llu bytes%s\n", printable(t.name).c_str(), t.dtype.c_str(),
                shape_text(t.shape).c_str(), static_cast<unsigned long long>(t.bytes), t.scale ? "  (scale)" : "");
  }
}

nlohmann::json to_json(const std::string& name, const ModelInfo& m, bool verbose) {
  nlohmann::json j;
  j["file"] = name;
  j["nzip_model"] = m.nzip_model;
  j["format_version"] = m.format_version;
  if (m.architecture) {
    nlohmann::json a;
    a["kind"] = m.architecture->kind;
    for (const auto& [k, v] : m.architecture->dimensions) a[k] = v;
    j["architecture"] = a;
  } else {
    j["architecture"] = nullptr;
  }
  j["parameters"] = m.parameter_count;
  j["tensor_count"] = m.tensors.size();
  j["file_size"] = m.file_size;
  j["form"] = m.packed ? "packed" : "raw";
  j["raw_size"] = m.raw_size;
  j["model_id"] = m.id_hex;
  j["canonical"] = m.canonical;
  if (verbose) {
    j["metadata"] = m.metadata;
    nlohmann::json ts = nlohmann::json::array();
    for (const auto& t : m.tensors) {
      ts.push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}, {"bytes", t.bytes}, {"scale", t.scale}});
    }
    j["tensors"] = ts;
  }
  return j;
}

// nzip model pack|unpack IN OUT: rewrites a model file in the other form, same id. OUT is
// written through a temporary file and must not exist unless `force`; "-" is stdin/stdout.
int convert(const std::string& in_path, const std::string& out_path, bool pack, bool force) {
  return guarded(display_name(in_path), [&] {
    std::vector<uint8_t> data;
    {
      InputFile in(in_path, /*allow_special=*/true);
      data = in.read_all();
    }
    const std::vector<uint8_t> out = pack ? pack_model(data) : unpack_model(data);
    if (out_path == "-") {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
        throw Error(ErrorCode::io, "cannot write to standard output");
      return static_cast<int>(kExitOk);
    }
    return guarded(display_name(out_path, true), [&] {
      struct stat st {};
      if (!force && ::lstat(out_path.c_str(), &st) == 0) throw CliError(kExitUsage, "already exists; use -f to overwrite");
      TempOutput tmp(out_path);
      FdSink sink(tmp.fd());
      sink.write(out.data(), out.size());
      tmp.commit(nullptr, force);
      return static_cast<int>(kExitOk);
    });
  });
}

}  // namespace

int run_model_command(int argc, char** argv) {
  CLI::App app{"nzip model: model files (.nzm: safetensors with nzip's metadata; see docs/MODEL_FORMAT.md)."};
  app.name("nzip model");
  app.footer(exit_code_help());
  app.require_subcommand(1);
  bool verbose = false, json = false;
  std::vector<std::string> files;
  CLI::App* info = app.add_subcommand(
      "info",
      "Print a model file's format version, architecture, parameter count, tensor count, file size and\n"
      "model id (32 hex digits: the XXH3-128 of its canonical bytes, what a .nz container names).\n"
      "A plain safetensors file is shown too. FILE - reads stdin.");
  info->add_flag("-v,--verbose", verbose, "also list the metadata and every tensor (name, dtype, shape, bytes)");
  info->add_flag("--json", json, "one JSON object per file, on one line");
  info->add_option("files", files, "model files")->required()->type_name("FILE");
  std::string in_path, out_path;
  bool force = false;
  CLI::App* pack = app.add_subcommand(
      "pack", "Write IN (a raw or packed model file) in the packed form: entropy-coded, same model id.\n"
              "- reads stdin or writes stdout.");
  CLI::App* unpack = app.add_subcommand(
      "unpack", "Write IN (a raw or packed model file) in the raw (canonical safetensors) form, same model id.\n"
                "- reads stdin or writes stdout.");
  for (CLI::App* sub : {pack, unpack}) {
    sub->add_option("in", in_path, "model file to read")->required()->type_name("IN");
    sub->add_option("out", out_path, "model file to write")->required()->type_name("OUT");
    sub->add_flag("-f,--force", force, "overwrite OUT");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nzip model: %s\nTry 'nzip model --help' for more information.\n", e.what());
    return kExitUsage;
  }

  if (pack->parsed() || unpack->parsed()) {
    install_signal_cleanup();
    return convert(in_path, out_path, pack->parsed(), force);
  }

  int worst = kExitOk;
  bool first = true;
  for (const auto& f : files) {
    const std::string name = display_name(f);
    worst = std::max(worst, guarded(name, [&] {
                       ModelInfo m = read_info(f);
                       if (json) {
                         std::printf("%s\n", to_json(name, m, verbose).dump().c_str());
                       } else {
                         if (!first) std::printf("\n");
                         print_text(name, m, verbose);
                       }
                       first = false;
                       std::fflush(stdout);
                       return static_cast<int>(kExitOk);
                     }));
  }
  return worst;
}

}  // namespace nzip::cli
