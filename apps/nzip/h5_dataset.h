// apps/nzip/h5_dataset.h — nzip --dataset: a dataset of an HDF5 file as the bytes to compress,
// and an .h5 file rebuilt from a container's dataset section (docs/HDF5.md, "Reading a
// dataset directly"). Nothing here names an HDF5 type: the HDF5 glue lives in h5/ and is
// built only when HDF5 is found; without it (h5/unavailable.cpp) every entry point but
// hdf5_available() throws CliError(kExitUnsupported, "this nzip was built without HDF5").
//
// HDF5 (Debian's serial build) is not thread-safe, and files run side by side on threads:
// the glue holds one process-wide lock for each of its HDF5 calls.
#pragma once

#include <memory>
#include <string>

#include "nzip/nzip.h"

namespace nzip::cli {

// Whether this nzip was built with HDF5.
bool hdf5_available() noexcept;

// The raw element bytes of one dataset, in the file's own datatype and byte order (read with
// the dataset's file type as memory type, so nothing is converted), in row-major order, read
// as hyperslabs of a few MiB so that memory does not grow with the dataset.
class DatasetSource : public ByteSource {
 public:
  // What goes into the container's dataset section (the name made absolute).
  virtual const DatasetInfo& info() const = 0;
  // The numeric layout the datatype suggests (element size, byte order, record), or
  // element_bytes 0 where the encoder's own trials should choose.
  virtual NumericLayout layout() const = 0;
};

// Opens dataset `name` of HDF5 file `path`. Throws CliError(kExitUsage) for a missing dataset,
// a group or other object, a variable-length type or string, references, a null dataspace;
// Error(bad_magic) for a file that is not HDF5; Error(corrupt) when HDF5 fails to read it.
std::unique_ptr<DatasetSource> open_dataset_source(const std::string& path, const std::string& name);

// Writes the bytes it is given as the elements of dataset `info` in a new HDF5 file.
class DatasetSink : public ByteSink {
 public:
  // Closes the file; throws Error(corrupt) unless exactly dataset_bytes(info) bytes arrived.
  virtual void finish() = 0;
};

// Creates HDF5 file `path` (replacing what is there: the caller's temporary file) holding
// dataset `info` with its full shape (contiguous layout, intermediate groups created).
// Throws Error(corrupt) when the datatype does not decode, its size is not the element size,
// or it is a type nzip never writes (variable-length, references).
std::unique_ptr<DatasetSink> create_dataset_file(const std::string& path, const DatasetInfo& info);

// "float64, big-endian" / "compound, 24 bytes" / ...: the datatype in words, for nzip -l and
// -v. Throws Error(corrupt) when it does not decode.
std::string describe_type(const DatasetInfo& info);

// "(1000, 8)", "() scalar": the shape in words.
std::string describe_shape(const DatasetInfo& info);

// The container for dataset `name` of `path`: the dataset's path with '/' turned into '.' is
// put before the file's HDF5 suffix (.h5, .hdf5, .he5, .hdf; .h5 when it has none), and .nz
// appended: data.h5 + /group/x → data.group.x.h5.nz, which decompresses to data.group.x.h5,
// never onto data.h5.
std::string dataset_container_name(const std::string& path, const std::string& name);

}  // namespace nzip::cli
