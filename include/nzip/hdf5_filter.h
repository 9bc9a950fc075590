// nzip/hdf5_filter.h — nzip as an HDF5 filter (the plugin libh5z_nzip.so).
//
// Put the folder holding libh5z_nzip.so on HDF5_PLUGIN_PATH and any HDF5 program (h5repack,
// h5py, C code) writes and reads nzip-compressed chunked datasets:
//
//   h5repack -f UD=360,0,1,6 in.h5 out.h5          # filter 360, level 6
//   H5Pset_filter(dcpl, H5Z_FILTER_NZIP, H5Z_FLAG_MANDATORY, 1, (unsigned[]){6});
//
// Each HDF5 chunk becomes one nzip container (docs/FORMAT.md) holding one nzip chunk, so a
// chunk decodes alone, checksum verified. Parameters (cd_values) as the user gives them:
//   [0] level 1..9 (optional; 0 or absent = the default, 6)
// and as the plugin stores them in the file (its set_local step fills them in):
//   [0] level, [1] size in bytes of the dataset's element type, [2] kHdf5FilterVersion,
//   [3] (version 2 on) 1 = integers or floats of 2, 4 or 8 bytes, little-endian, 2 = the
//       same big-endian, 0 = anything else. Numbers get nzip's numeric model with that
//       element size and byte order (the record length is detected per chunk).
// Decoding needs none of them: the container says everything.
#pragma once

// From the range HDF5 sets aside for testing (256-511); not registered with The HDF Group.
#define H5Z_FILTER_NZIP 360

namespace nzip {
constexpr unsigned kHdf5FilterVersion = 2;
}  // namespace nzip
