// nzip command-line tool: gzip/xz/zstd-style compression with nzip's container, plus
// `nzip bench`, `nzip model` and `nzip train`. The work is in the files beside this one; see docs/CLI.md.
#include <algorithm>
#include <string_view>

#include "bench_command.h"
#include "file_batch.h"
#include "input_file.h"
#include "diagnostics.h"
#include "list_command.h"
#include "model_command.h"
#include "options.h"
#include "signals.h"
#include "train_command.h"

int main(int argc, char** argv) {
  using namespace nzip::cli;
  if (argc >= 2 && std::string_view(argv[1]) == "bench") return run_bench_command(argc - 1, argv + 1);
  if (argc >= 2 && std::string_view(argv[1]) == "model") return run_model_command(argc - 1, argv + 1);
  if (argc >= 2 && std::string_view(argv[1]) == "train") return run_train_command(argc - 1, argv + 1);

  ParsedCommandLine parsed = parse_command_line(argc, argv);
  if (parsed.exit_now) return *parsed.exit_now;
  Options& options = parsed.options;
  if (!options.model_path.empty() && options.mode != Mode::list) {
    // Loaded once for all files; a bad model stops everything before any output exists.
    const int rc = guarded(display_name(options.model_path), [&] {
      options.model = nzip::NetworkModel::load(options.model_path);
      if (options.embed_model) {
        // Packed once, whatever form the file has; the same bytes go into every output.
        InputFile in(options.model_path, /*allow_special=*/false);
        options.embedded_model = nzip::pack_model(in.read_all());
      }
      return 0;
    });
    if (rc != 0) return rc;
  }

  // Before any thread exists, so that every thread inherits the blocked signal mask.
  install_signal_cleanup();

  int worst = 0;
  if (options.mode == Mode::list) {
    ListPrinter printer(options);
    for (const auto& f : options.files) worst = std::max(worst, printer.list(f));
    printer.finish();
    return worst;
  }
  return process_files(options);
}
