// apps/nzip/model_command.h — `nzip model info [-v] [--json] FILE...`: what a model file
// (.nzm, docs/MODEL_FORMAT.md) holds: format version, architecture, parameter count, tensor
// count, file size and model id; with -v the metadata and one line per tensor.
#pragma once

namespace nzip::cli {

// argv[0] is "model". Returns the exit code.
int run_model_command(int argc, char** argv);

}  // namespace nzip::cli
