// grader: builds, runs, scores and plots the labs of gradlab.
//
//   grader                      every lab's status, overall progress, the next step
//   grader check NN [NN …]      build and grade labs, plot against the reference
//   grader plots NN --out DIR   run a lab's experiment(s) and write the plots
//   grader bench                lab 10's timed part: your GEMM against the reference and Eigen
//
// Exit codes: 0 when the work checked is fully correct, 1 when it is not, 2 on a
// usage or infrastructure error (unknown lab, malformed lab.toml, no build directory).
#include "bench_command.h"
#include "check.h"
#include "errors.h"
#include "status.h"

#include <cxxopts.hpp>
#include <fmt/core.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#ifndef GRADLAB_SOURCE_DIR
#define GRADLAB_SOURCE_DIR "."
#endif
#ifndef GRADLAB_BINARY_DIR
#define GRADLAB_BINARY_DIR "build/default"
#endif
#ifndef GRADLAB_VERSION
#define GRADLAB_VERSION "unknown"
#endif

namespace fs = std::filesystem;
using namespace gradlab::grader;

namespace {

// ---------------------------------------------------------------- global options

void add_global_options(cxxopts::Options& options) {
  options.add_options("global")
      ("source", "the repository (labs/, results/)", cxxopts::value<std::string>()->default_value(GRADLAB_SOURCE_DIR), "DIR")
      ("build", "the CMake build directory (executables in DIR/bin)", cxxopts::value<std::string>()->default_value(GRADLAB_BINARY_DIR), "DIR")
      ("h,help", "show this help")
      ("version", "show the version");
}

// The options of check and plots, shared by both.
CheckOptions check_options(const cxxopts::ParseResult& args) {
  CheckOptions o;
  o.source = fs::absolute(args["source"].as<std::string>());
  o.build = fs::absolute(args["build"].as<std::string>());
  o.reference = args.count("reference") > 0;
  o.no_build = args.count("no-build") > 0;
  if (args.count("out")) o.out_dir = fs::absolute(args["out"].as<std::string>());
  if (args.count("json")) o.json = fs::absolute(args["json"].as<std::string>());
  if (args.count("no-plots")) o.no_plots = true;
  if (args.count("no-bench")) o.no_bench = true;
  return o;
}

// ---------------------------------------------------------------- subcommands

void no_options(cxxopts::Options&) {}

int run_status_command(const cxxopts::ParseResult& args) {
  return run_status(fs::absolute(args["source"].as<std::string>()));
}

void add_check_options(cxxopts::Options& options) {
  options.add_options()
      ("labs", "lab ids", cxxopts::value<std::vector<std::string>>())
      ("reference", "grade the reference solution instead of your code")
      ("json", "also write the results as JSON to FILE", cxxopts::value<std::string>(), "FILE")
      ("out", "write plots, logs and the result into DIR (default results/NN_topic)", cxxopts::value<std::string>(), "DIR")
      ("no-plots", "skip the experiments and plots (and their match points)")
      ("no-bench", "skip the timed part of lab 10 (and its points)")
      ("no-build", "do not build: use the executables already in the build directory");
  options.parse_positional({"labs"});
  options.positional_help("NN [NN …]");
}

int run_check_command(const cxxopts::ParseResult& args) {
  const auto ids = args.count("labs") ? args["labs"].as<std::vector<std::string>>() : std::vector<std::string>{};
  return run_check(ids, check_options(args));
}

void add_plots_options(cxxopts::Options& options) {
  options.add_options()
      ("labs", "lab id", cxxopts::value<std::vector<std::string>>())
      ("reference", "plot the reference alone")
      ("out", "write the plots into DIR (default results/NN_topic)", cxxopts::value<std::string>(), "DIR")
      ("no-build", "do not build: use the executables already in the build directory");
  options.parse_positional({"labs"});
  options.positional_help("NN");
}

int run_plots_command(const cxxopts::ParseResult& args) {
  const auto ids = args.count("labs") ? args["labs"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (ids.size() != 1) throw UsageError("plots: give exactly one lab, e.g. grader plots 01 --out DIR");
  return run_plots(ids.front(), check_options(args));
}

void add_bench_options(cxxopts::Options& options) {
  options.add_options()
      ("reference", "time only the reference and Eigen")
      ("out", "write bench.json and the plots into DIR (default results/10_matmul)", cxxopts::value<std::string>(), "DIR")
      ("sizes", "square sizes instead of lab.toml's list, e.g. 512,1024,2048", cxxopts::value<std::string>(), "LIST")
      ("threads", "threads for every contender (default: lab.toml's)", cxxopts::value<int>(), "N")
      ("cpu-clock", "time with process CPU time (on a busy machine)")
      ("no-build", "do not build: use the executables already in the build directory");
}

// `grader bench`: the timed part of lab 10 on its own (the lab with a [bench] section).
int run_bench_command(const cxxopts::ParseResult& args) {
  const fs::path source = fs::absolute(args["source"].as<std::string>());
  const Manifest* lab = nullptr;
  const std::vector<Manifest> labs = discover_labs(source);
  for (const Manifest& m : labs)
    if (m.has_bench) lab = &m;
  if (lab == nullptr) throw UsageError("bench: no lab has a [bench] section in its lab.toml");
  BenchRequest request{source, fs::absolute(args["build"].as<std::string>()),
                       args.count("out") ? fs::absolute(args["out"].as<std::string>()) : results_dir(source, *lab),
                       args.count("reference") > 0, args.count("no-build") > 0, {}};
  if (args.count("sizes")) request.extra_args.insert(request.extra_args.end(), {"--sizes", args["sizes"].as<std::string>()});
  if (args.count("threads")) request.extra_args.insert(request.extra_args.end(), {"--threads", std::to_string(args["threads"].as<int>())});
  if (args.count("cpu-clock")) request.extra_args.push_back("--cpu-clock");
  const BenchOutcome outcome = run_bench(*lab, request);
  if (!outcome.ran) return 2;
  return outcome.correct ? 0 : 1;
}

struct Subcommand {
  const char* name;     // "" is the command without a subcommand
  const char* usage;    // shown in --help
  const char* summary;
  void (*add_options)(cxxopts::Options&);
  int (*run)(const cxxopts::ParseResult&);
};

// Every subcommand of grader. To add one, write its add_options and run functions
// above (or in its own library, e.g. bench/ for `grader bench`) and add a line here.
const Subcommand kSubcommands[] = {
    {"", "grader", "every lab's status, overall progress and the next step", no_options, run_status_command},
    {"check", "grader check NN [NN …] [--reference] [--json FILE] [--out DIR] [--no-plots] [--no-build]",
     "build and grade labs; plot your results against the reference", add_check_options, run_check_command},
    {"plots", "grader plots NN [--reference] --out DIR", "run a lab's experiment(s) and write the plot files",
     add_plots_options, run_plots_command},
    {"bench", "grader bench [--reference] [--sizes LIST] [--threads N] [--cpu-clock] [--out DIR]",
     "time lab 10's kernel against the reference and Eigen, at the machine's peak", add_bench_options,
     run_bench_command},
};

// ---------------------------------------------------------------- dispatch

void print_help(const Subcommand& command, cxxopts::Options& options) {
  if (command.name[0] != '\0') {
    fmt::print("{}\n", options.help({"", "global"}));
    return;
  }
  fmt::print("grader {}: builds, runs, scores and plots the labs of gradlab.\n\nUsage:\n", GRADLAB_VERSION);
  for (const Subcommand& c : kSubcommands) fmt::print("  {}\n      {}\n", c.usage, c.summary);
  fmt::print("\n{}\n", options.help({"global"}));
  fmt::print("Run `grader COMMAND --help` for a command's options.\n"
             "Exit codes: 0 when the work checked is fully correct, 1 when it is not, 2 on a usage or\n"
             "infrastructure error.\n");
}

// The subcommand named by the first argument that is neither an option nor an
// option's value; the status table when there is none.
const Subcommand& find_subcommand(std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--source" || args[i] == "--build") {
      ++i;
      continue;
    }
    if (args[i].starts_with("-")) continue;
    for (const Subcommand& c : kSubcommands)
      if (c.name[0] != '\0' && args[i] == c.name) {
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
        return c;
      }
    throw UsageError(fmt::format("unknown command \"{}\" (commands: check, plots, bench; see grader --help)", args[i]));
  }
  return kSubcommands[0];
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const Subcommand& command = find_subcommand(args);

  cxxopts::Options options(command.name[0] ? fmt::format("grader {}", command.name) : "grader", command.summary);
  add_global_options(options);
  command.add_options(options);
  std::vector<char*> rest{argv[0]};
  for (std::string& a : args) rest.push_back(a.data());
  const auto parsed = options.parse(static_cast<int>(rest.size()), rest.data());

  if (parsed.count("help")) {
    print_help(command, options);
    return 0;
  }
  if (parsed.count("version")) {
    fmt::print("grader (gradlab) {}\n", GRADLAB_VERSION);
    return 0;
  }
  if (!parsed.unmatched().empty()) throw UsageError(fmt::format("unexpected argument \"{}\"", parsed.unmatched().front()));
  return command.run(parsed);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    fmt::print(stderr, "grader: {}\n", e.what());
  } catch (const InfrastructureError& e) {
    fmt::print(stderr, "grader: {}\n", e.what());
  } catch (const cxxopts::exceptions::exception& e) {
    fmt::print(stderr, "grader: {} (see grader --help)\n", e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "grader: internal error: {}\n", e.what());
  }
  return 2;
}
