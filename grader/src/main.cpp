// grader: builds, runs, scores and plots the labs of gradlab.
//
//   grader                      every lab's status, overall progress, the next step
//   grader check NN [NN …]      build and grade labs, plot against the reference
//   grader plots NN --out DIR   run a lab's experiment(s) and write the plots
//   grader bench                lab 10's timed part: your GEMM against the reference and Eigen
//   grader watch [NN]           check again whenever a file of the lab is saved
//   grader hint NN [GROUP]      the next hint for the first failing test
//   grader reset NN             put the lab's stub back (your version is kept)
//   grader release --out DIR    instructors: the student edition (no unrevealed solutions)
//   grader report SUBS… --out DIR  instructors: grade a class (gradebook, HTML report)
//
// Exit codes: 0 when the work checked is fully correct, 1 when it is not, 2 on a
// usage or infrastructure error (unknown lab, malformed lab.toml, no build directory).
#include "bench_command.h"
#include "build.h"
#include "check.h"
#include "console.h"
#include "errors.h"
#include "gradescope.h"
#include "release.h"
#include "renderers.h"
#include "report.h"
#include "sandbox.h"
#include "status.h"
#include "student_commands.h"

#include <cxxopts.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
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
      ("color", "colour: auto, always or never (auto: on a terminal, unless NO_COLOR is set)",
       cxxopts::value<std::string>()->default_value("auto"), "WHEN")
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
  if (args.count("text-plots")) o.all_text_plots = true;
  if (args.count("hidden")) o.hidden = true;
  if (args.count("seed")) o.test_seed = args["seed"].as<std::uint64_t>();
  if (args.count("junit")) o.junit = fs::absolute(args["junit"].as<std::string>());
  if (args.count("gradescope")) o.gradescope = fs::absolute(args["gradescope"].as<std::string>());
  // Before anything is built or written: the build must be this tree's.
  require_build_for_source(o.build, o.source);
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
      ("junit", "also write the results as JUnit XML to FILE (instructors, CI)", cxxopts::value<std::string>(), "FILE")
      ("gradescope", "also write the results as Gradescope's results.json to FILE", cxxopts::value<std::string>(), "FILE")
      ("hidden", "also run the hidden test groups (instructors: needs solutions/)")
      ("seed", "the hidden tests' seed (default: a fresh one, shown in the result)", cxxopts::value<std::uint64_t>(), "N")
      ("out", "write plots, logs and the result into DIR (default results/NN_topic)", cxxopts::value<std::string>(), "DIR")
      ("no-plots", "skip the experiments and plots (and their match points)")
      ("text-plots", "print every plot as text (by default: those that do not match yet)")
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
  require_build_for_source(fs::absolute(args["build"].as<std::string>()), source);
  const Manifest* lab = nullptr;
  const std::vector<Manifest> labs = discover_labs(source);
  for (const Manifest& m : labs)
    if (m.has_bench) lab = &m;
  if (lab == nullptr) throw UsageError("bench: no lab has a [bench] section in its lab.toml");
  BenchRequest request{source, fs::absolute(args["build"].as<std::string>()),
                       args.count("out") ? fs::absolute(args["out"].as<std::string>()) : results_dir(source, *lab),
                       args.count("reference") > 0, args.count("no-build") > 0, {}, {}};
  if (args.count("sizes")) request.extra_args.insert(request.extra_args.end(), {"--sizes", args["sizes"].as<std::string>()});
  if (args.count("threads")) request.extra_args.insert(request.extra_args.end(), {"--threads", std::to_string(args["threads"].as<int>())});
  if (args.count("cpu-clock")) request.extra_args.push_back("--cpu-clock");
  const BenchOutcome outcome = run_bench(*lab, request);
  if (!outcome.ran) return 2;
  return outcome.correct ? 0 : 1;
}

void add_watch_options(cxxopts::Options& options) {
  options.add_options()
      ("lab", "lab id (default: the lab whose file you saved last)", cxxopts::value<std::vector<std::string>>())
      ("no-build", "do not build: use the executables already in the build directory");
  options.parse_positional({"lab"});
  options.positional_help("[NN]");
}

int run_watch_command(const cxxopts::ParseResult& args) {
  const auto ids = args.count("lab") ? args["lab"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (ids.size() > 1) throw UsageError("watch: one lab at a time, e.g. watch 02");
  return run_watch(ids.empty() ? std::nullopt : std::optional<std::string>(ids.front()), check_options(args));
}

void add_hint_options(cxxopts::Options& options) {
  options.add_options()
      ("args", "lab id, then a test group or test", cxxopts::value<std::vector<std::string>>())
      ("all", "show every hint of the group at once");
  options.parse_positional({"args"});
  options.positional_help("NN [GROUP|TEST]");
}

int run_hint_command(const cxxopts::ParseResult& args) {
  const auto rest = args.count("args") ? args["args"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (rest.empty() || rest.size() > 2)
    throw UsageError(fmt::format("hint: which lab? e.g. {} hint 02 (or {} hint 02 smooth)", program_name(), program_name()));
  HintRequest request{rest[0], rest.size() == 2 ? std::optional<std::string>(rest[1]) : std::nullopt,
                      args.count("all") > 0};
  return run_hint(request, fs::absolute(args["source"].as<std::string>()));
}

void add_reset_options(cxxopts::Options& options) {
  options.add_options()
      ("lab", "lab id", cxxopts::value<std::vector<std::string>>())
      ("yes", "do not ask for confirmation")
      ("no-build", "do not build gradlab-stubgen: use the one in the build directory");
  options.parse_positional({"lab"});
  options.positional_help("NN");
}

int run_reset_command(const cxxopts::ParseResult& args) {
  const auto ids = args.count("lab") ? args["lab"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (ids.size() != 1) throw UsageError(fmt::format("reset: give exactly one lab, e.g. {} reset 02", program_name()));
  return run_reset(ids.front(), args.count("yes") > 0, check_options(args));
}

void add_gradescope_options(cxxopts::Options& options) {
  options.add_options()
      ("labs", "the labs to grade, e.g. 01,02", cxxopts::value<std::string>(), "LIST")
      ("out", "the zip to write", cxxopts::value<std::string>()->default_value("autograder.zip"), "FILE")
      ("allow-unisolated", "its run_autograder grades even where the sandbox (bubblewrap) cannot run");
}

// `grader gradescope --labs 01,02 --out autograder.zip`: the autograder bundle.
int run_gradescope_command(const cxxopts::ParseResult& args) {
  if (!args.count("labs")) throw UsageError("gradescope: which labs? e.g. --labs 01,02");
  return run_gradescope_bundle({fs::absolute(args["source"].as<std::string>()), split_labs(args["labs"].as<std::string>()),
                                fs::absolute(args["out"].as<std::string>()), args.count("allow-unisolated") > 0});
}

void add_autograde_options(cxxopts::Options& options) {
  options.add_options()
      ("labs", "the labs to grade, e.g. 01,02", cxxopts::value<std::string>(), "LIST")
      ("submission", "the student's files (Gradescope: /autograder/submission)", cxxopts::value<std::string>(), "DIR")
      ("work", "a scratch folder for the working copies", cxxopts::value<std::string>(), "DIR")
      ("results", "Gradescope's results.json to write", cxxopts::value<std::string>(), "FILE")
      ("json", "also write the results as the grader's JSON to FILE", cxxopts::value<std::string>(), "FILE")
      ("no-plots", "skip the experiments and plots (and their match points)")
      ("allow-unisolated", "grade even where the sandbox (bubblewrap) cannot run: rlimits only")
      ("private", "a folder the student's code may not read (repeatable; `report` names the other submissions)",
       cxxopts::value<std::vector<std::string>>(), "DIR");
}

// `grader autograde`: one submission on Gradescope (the bundle's run_autograder).
int run_autograde_command(const cxxopts::ParseResult& args) {
  for (const char* name : {"labs", "submission", "work", "results"})
    if (!args.count(name)) throw UsageError(fmt::format("autograde: --{} is required", name));
  const fs::path source = fs::absolute(args["source"].as<std::string>());
  const fs::path build = fs::absolute(args["build"].as<std::string>());
  AutogradeRequest request{source, build, split_labs(args["labs"].as<std::string>()),
                           fs::absolute(args["submission"].as<std::string>()), fs::absolute(args["work"].as<std::string>()),
                           fs::absolute(args["results"].as<std::string>()), {}};
  if (args.count("json")) request.lab_results = fs::absolute(args["json"].as<std::string>());
  request.plots = args.count("no-plots") == 0;
  request.allow_unisolated = args.count("allow-unisolated") > 0;
  if (args.count("private"))
    for (const std::string& folder : args["private"].as<std::vector<std::string>>()) hide_in_every_sandbox({folder});
  try {
    require_build_for_source(build, source);
  } catch (const UsageError& e) {  // still a results.json: the student sees the message
    request.labs.clear();
    write_file_atomically(request.results, gradescope_failure(e.what()).dump(2) + "\n");
    throw;
  }
  return run_autograde(request);
}

void add_release_options(cxxopts::Options& options) {
  options.add_options()
      ("out", "write the student edition into DIR (new or empty)", cxxopts::value<std::string>(), "DIR")
      ("reveal", "labs whose solutions go in, e.g. 01,02 (default: none)", cxxopts::value<std::vector<std::string>>(), "LIST");
}

int run_release_command(const cxxopts::ParseResult& args) {
  if (!args.count("out")) throw UsageError(fmt::format("release: where to? e.g. {} release --out ../edition", program_name()));
  ReleaseOptions o{fs::absolute(args["source"].as<std::string>()), fs::absolute(args["build"].as<std::string>()),
                   fs::absolute(args["out"].as<std::string>()).lexically_normal(), {}};
  if (args.count("reveal")) o.reveal = args["reveal"].as<std::vector<std::string>>();
  return run_release(o);
}

void add_report_options(cxxopts::Options& options) {
  options.add_options()
      ("submissions", "folders, .zip or .tar.gz files named by student id", cxxopts::value<std::vector<std::string>>())
      ("out", "write the gradebook, the results and the HTML report into DIR", cxxopts::value<std::string>(), "DIR")
      ("labs", "grade these labs, e.g. 01,02 (default: every lab)", cxxopts::value<std::vector<std::string>>(), "LIST")
      ("jobs", "gradings at once (default: the number of cores)", cxxopts::value<int>(), "N")
      ("shard", "grade only the I-th of N slices of the class (a cluster job array)", cxxopts::value<std::string>(), "I/N")
      ("merge", "the arguments are the --out folders of shards: combine them into one gradebook and report")
      ("regrade", "grade again submissions whose files did not change")
      ("no-plots", "skip the experiments and plots (faster; no match points)")
      ("allow-unisolated", "grade even where the sandbox (bubblewrap) cannot run: rlimits only")

      ("similarity", "list pairs of submissions at least this alike, 0 to 1 (default 0.7; 1.1: none)",
       cxxopts::value<double>(), "S");
  options.parse_positional({"submissions"});
  options.positional_help("SUBMISSION… | --merge SHARD_OUT…");
}

int run_report_command(const cxxopts::ParseResult& args) {
  if (!args.count("out")) throw UsageError(fmt::format("report: where to? e.g. {} report subs/* --out class-report", program_name()));
  ReportOptions o;
  o.source = fs::absolute(args["source"].as<std::string>());
  o.build = fs::absolute(args["build"].as<std::string>());
  o.out = fs::absolute(args["out"].as<std::string>());
  const bool merge = args.count("merge") > 0;
  if (args.count("submissions"))
    for (const std::string& s : args["submissions"].as<std::vector<std::string>>())
      (merge ? o.merge : o.submissions).push_back(fs::absolute(s));
  if (merge && o.merge.empty()) throw UsageError("report --merge: name the shards' --out folders");
  if (args.count("labs")) o.labs = args["labs"].as<std::vector<std::string>>();
  o.jobs = args.count("jobs") ? args["jobs"].as<int>() : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (args.count("shard")) std::tie(o.shard_index, o.shard_count) = parse_shard(args["shard"].as<std::string>());
  o.regrade = args.count("regrade") > 0;
  o.no_plots = args.count("no-plots") > 0;
  o.allow_unisolated = args.count("allow-unisolated") > 0;
  if (!merge && !o.allow_unisolated && !sandbox_isolated())
    throw UsageError(fmt::format("report: the sandbox cannot run here ({}); submissions are graded only isolated "
                                 "(--allow-unisolated overrides)", sandbox_support().why));
  if (args.count("similarity")) o.similarity_threshold = args["similarity"].as<double>();
  return run_report(o);
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
    {"", "", "every lab's status, what is next in each, the next step", no_options, run_status_command},
    {"check", "check NN [NN …]", "build and grade labs; plot your results against the reference", add_check_options,
     run_check_command},
    {"watch", "watch [NN]", "check again each time you save a file of the lab (Ctrl-C stops)", add_watch_options,
     run_watch_command},
    {"hint", "hint NN [GROUP|TEST]", "the next hint for the first failing test: nudge, formula, code's shape",
     add_hint_options, run_hint_command},
    {"reset", "reset NN", "put a lab's stub files back, keeping your version in results/", add_reset_options,
     run_reset_command},
    {"bench", "bench", "time lab 10's kernel against the reference, Eigen and the machine's peak", add_bench_options,
     run_bench_command},
    {"release", "release --out DIR [--reveal NN,…]",
     "instructors: the student edition, without the solutions of unrevealed labs", add_release_options,
     run_release_command},
    {"report", "report SUBMISSION… --out DIR",
     "instructors: grade a class (gradebook, HTML report, --shard, --merge)", add_report_options,
     run_report_command},
    {"plots", "plots NN --out DIR", "run a lab's experiment(s) and write the plot files", add_plots_options,
     run_plots_command},
    {"gradescope", "gradescope --labs 01,02 --out autograder.zip",
     "instructors: a Gradescope autograder bundle (hidden tests included)", add_gradescope_options,
     run_gradescope_command},
    {"autograde", "autograde --labs 01 --submission DIR --work DIR --results F",
     "instructors: grade one submission into Gradescope's results.json",
     add_autograde_options, run_autograde_command},
};

// ---------------------------------------------------------------- dispatch

// cxxopts' help without its first lines (the description and "Usage: …", which the
// top-level help writes in its own words).
std::string option_groups(cxxopts::Options& options, const std::vector<std::string>& groups) {
  const std::string text = options.help(groups);
  const std::size_t first_group = text.find("\n\n");
  return first_group == std::string::npos ? text : text.substr(first_group + 2);
}

void print_help(const Subcommand& command, cxxopts::Options& options) {
  if (command.name[0] != '\0') {
    fmt::print("{}\n", options.help({"", "global"}));
    return;
  }
  const std::string program = program_name();
  fmt::print("{} (gradlab {}): builds, runs, scores and plots the labs.\n\nCommands:\n", program, GRADLAB_VERSION);
  for (const Subcommand& c : kSubcommands)
    fmt::print("  {}\n      {}\n", c.usage[0] ? fmt::format("{} {}", program, c.usage) : program, c.summary);
  fmt::print("\n{}\n", option_groups(options, {"global"}));
  fmt::print("`{} COMMAND --help` lists a command's options.\n"
             "Exit codes: 0 when the work checked is fully correct, 1 when it is not,\n"
             "2 on a usage or infrastructure error.\n", program);
}

// The subcommand named by the first argument that is neither an option nor an
// option's value; the status table when there is none.
const Subcommand& find_subcommand(std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--source" || args[i] == "--build" || args[i] == "--color") {
      ++i;
      continue;
    }
    if (args[i].starts_with("-")) continue;
    for (const Subcommand& c : kSubcommands)
      if (c.name[0] != '\0' && args[i] == c.name) {
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
        return c;
      }
    std::string names;
    for (const Subcommand& c : kSubcommands)
      if (c.name[0] != '\0') names += (names.empty() ? "" : ", ") + std::string(c.name);
    throw UsageError(fmt::format("unknown command \"{}\" (commands: {}; see {} --help)", args[i], names, program_name()));
  }
  return kSubcommands[0];
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const Subcommand& command = find_subcommand(args);

  cxxopts::Options options(command.name[0] ? fmt::format("{} {}", program_name(), command.name) : program_name(),
                           command.summary);
  options.set_width(80);
  add_global_options(options);
  command.add_options(options);
  std::vector<char*> rest{argv[0]};
  for (std::string& a : args) rest.push_back(a.data());
  const auto parsed = options.parse(static_cast<int>(rest.size()), rest.data());
  const std::string colour = parsed["color"].as<std::string>();
  if (colour == "always") colour_mode() = ColourMode::Always;
  else if (colour == "never") colour_mode() = ColourMode::Never;
  else if (colour != "auto") throw UsageError(fmt::format("--color {}: it must be auto, always or never", colour));

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
  // Threads of the matrix product that wait for work must sleep, not spin: a spinning
  // thread burns CPU time that counts against a test's or experiment's CPU limit, and
  // on a busy machine it spins for as long as the thread it waits for is descheduled
  // (an experiment measured 40 s of CPU instead of 0.9 s). Children inherit this.
  setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    fmt::print(stderr, "{}: {}\n", program_name(), e.what());
  } catch (const InfrastructureError& e) {
    fmt::print(stderr, "{}: {}\n", program_name(), e.what());
  } catch (const cxxopts::exceptions::exception& e) {
    fmt::print(stderr, "{}: {} (see {} --help)\n", program_name(), e.what(), program_name());
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", program_name(), e.what());
  }
  return 2;
}
