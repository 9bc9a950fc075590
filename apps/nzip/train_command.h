// apps/nzip/train_command.h — `nzip train --data FILE... --out MODEL.nzm [options]`: trains a
// transformer byte model on the user's files (nzip/train.h, docs/TRAIN.md) and writes the
// quantised .nzm the integer engine compresses with; progress lines on stderr.
#pragma once

namespace nzip::cli {

// argv[0] is "train". Returns the exit code.
int run_train_command(int argc, char** argv);

}  // namespace nzip::cli
