// The HDF5 entry points of h5_dataset.h in a build without HDF5: each says so.
#include "exit_codes.h"
#include "h5_dataset.h"

namespace nzip::cli {
namespace {

[[noreturn]] void no_hdf5() { throw CliError(kExitUnsupported, "this nzip was built without HDF5"); }

}  // namespace

bool hdf5_available() noexcept { return false; }

std::unique_ptr<DatasetSource> open_dataset_source(const std::string&, const std::string&) { no_hdf5(); }

std::unique_ptr<DatasetSink> create_dataset_file(const std::string&, const DatasetInfo&) { no_hdf5(); }

std::string describe_type(const DatasetInfo& info) {
  return "HDF5 type of " + std::to_string(info.element_size) + " bytes (this nzip was built without HDF5)";
}

}  // namespace nzip::cli
