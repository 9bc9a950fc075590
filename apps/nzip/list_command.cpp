#include "list_command.h"

#include <cstdio>
#include <string>

#include "diagnostics.h"
#include "h5_dataset.h"
#include "input_file.h"
#include "nzip/nzip.h"

namespace nzip::cli {
namespace {

void print_row(uint64_t original, uint64_t compressed, uint64_t chunks, const std::string& level,
               const std::string& model, const std::string& name) {
  char ratio[32] = "-", bpb[32] = "-";
  if (compressed > 0 && original > 0) {
    std::snprintf(ratio, sizeof ratio, "%.3f", static_cast<double>(original) / static_cast<double>(compressed));
    std::snprintf(bpb, sizeof bpb, "%.3f", 8.0 * static_cast<double>(compressed) / static_cast<double>(original));
  }
  std::printf("%14llu %14llu %8s %7s %7llu %5s  %-22s %s\n", static_cast<unsigned long long>(original),
              static_cast<unsigned long long>(compressed), ratio, bpb, static_cast<unsigned long long>(chunks),
              level.c_str(), model.c_str(), name.c_str());
}

const char* method_name(uint8_t method) {
  switch (method) {
    case 0:
      return "stored";
    case 1:
      return "cm";
    case 2:
      return "cm+network";
    case 3:
      return "network";
    case 4:
      return "cm planned";
    case 5:
      return "cm+network planned";
    case 6:
      return "network planned";
    default:
      return "?";
  }
}

}  // namespace

void ListPrinter::print_header() {
  if (header_done_) return;
  header_done_ = true;
  std::printf("%14s %14s %8s %7s %7s %5s  %-22s %s\n", "original", "compressed", "ratio", "bpb", "chunks", "level",
              "model", "name");
}

int ListPrinter::list(const std::string& path) {
  const std::string name = display_name(path);
  return guarded(name, [&] {
    InputFile in(path, /*allow_special=*/true);
    std::vector<uint8_t> data = in.read_all();
    ContainerInfo info = inspect(data);
    print_header();
    std::string model = info.model;
    if (info.embedded_model_size > 0) model += " (model embedded, " + std::to_string(info.embedded_model_size) + " bytes)";
    print_row(info.original_size, info.compressed_size, info.chunks.size(), std::to_string(info.level), model, name);
    if (info.dataset)
      std::printf("    dataset %s: %s, shape %s\n", info.dataset->name.c_str(), describe_type(*info.dataset).c_str(),
                  describe_shape(*info.dataset).c_str());
    if (options_.verbose) {
      for (size_t i = 0; i < info.chunks.size(); ++i) {
        const ChunkInfo& c = info.chunks[i];
        const std::string method = c.plan.empty() ? method_name(c.method) : std::string(method_name(c.method)) + " (" + c.plan + ")";
        std::printf("    chunk %zu: offset %llu, original %llu, compressed %llu, %s, xxh3 %016llx\n", i,
                    static_cast<unsigned long long>(c.offset), static_cast<unsigned long long>(c.original_size),
                    static_cast<unsigned long long>(c.compressed_size), method.c_str(),
                    static_cast<unsigned long long>(c.checksum));
      }
    }
    ++files_;
    total_original_ += info.original_size;
    total_compressed_ += info.compressed_size;
    total_chunks_ += info.chunks.size();
    return 0;
  });
}

void ListPrinter::finish() {
  if (files_ > 1) {
    char label[48];
    std::snprintf(label, sizeof label, "(%u files)", files_);
    print_row(total_original_, total_compressed_, total_chunks_, "", "", label);
  }
  std::fflush(stdout);
}

}  // namespace nzip::cli
