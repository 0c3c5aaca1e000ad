// gradlab-bench: lab 10's timed benchmark as a program (`grader bench` wraps the same
// gradlab::bench::run). Examples:
//   gradlab-bench                                  the lab.toml size list, 1 thread
//   gradlab-bench --sizes 512,1024,2048 --no-student --threads 2
//   gradlab-bench --json results/10_matmul/bench.json --plots results/10_matmul
#include "gradlab/bench/bench.h"

#include <cxxopts.hpp>

#include <iostream>

#ifndef GRADLAB_SOURCE_DIR
#define GRADLAB_SOURCE_DIR "."
#endif
#ifndef GRADLAB_BIN_DIR
#define GRADLAB_BIN_DIR "."
#endif

int main(int argc, char** argv) {
  namespace gb = gradlab::bench;
  cxxopts::Options cli("gradlab-bench", "Time the lab 10 GEMM: your kernel, the reference, Eigen");
  cli.add_options()
      ("lab", "the lab manifest with the [bench] section",
       cxxopts::value<std::string>()->default_value(GRADLAB_SOURCE_DIR "/labs/10_matmul/lab.toml"))
      ("sizes", "square sizes instead of the manifest's list, e.g. 512,1024,2048", cxxopts::value<std::string>())
      ("threads", "threads for every contender (default: the manifest's)", cxxopts::value<int>())
      ("samples", "samples per contender and size (default: the manifest's)", cxxopts::value<int>())
      ("cpu-clock", "time with process CPU time (for a loaded machine; one thread)")
      ("no-student", "time only the reference and Eigen")
      ("no-eigen", "do not time Eigen")
      ("no-peak", "do not measure the FMA peak")
      ("no-train", "skip \"train with your kernel\"")
      ("no-terminal-plot", "no chart in the terminal")
      ("plots", "write gemm_gflops.{svg,png} into this folder", cxxopts::value<std::string>())
      ("json", "write every figure as JSON into this file", cxxopts::value<std::string>())
      ("h,help", "show this help");
  try {
    const auto args = cli.parse(argc, argv);
    if (args.count("help")) {
      std::cout << cli.help() << '\n';
      return 0;
    }
    gb::Options options;
    gb::load_manifest(args["lab"].as<std::string>(), options);
    if (args.count("sizes")) options.shapes = gb::parse_sizes(args["sizes"].as<std::string>());
    if (args.count("threads")) options.threads = args["threads"].as<int>();
    if (args.count("samples")) options.samples = args["samples"].as<int>();
    options.cpu_clock = args.count("cpu-clock") > 0;
    options.student = !args.count("no-student");
    options.eigen = !args.count("no-eigen");
    options.peak = !args.count("no-peak");
    options.terminal_plot = !args.count("no-terminal-plot");
    if (args.count("plots")) options.plot_dir = args["plots"].as<std::string>();
    if (args.count("json")) options.json = args["json"].as<std::string>();
    if (!args.count("no-train")) {
      options.train_student = GRADLAB_BIN_DIR "/lab10_experiment_student";
      options.train_reference = GRADLAB_BIN_DIR "/lab10_experiment_reference";
      if (!std::filesystem::exists(options.train_student) || !std::filesystem::exists(options.train_reference)) {
        options.train_student.clear();
        options.train_reference.clear();
      }
    }
    return gb::run(options, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "gradlab-bench: " << e.what() << '\n';
    return 2;
  }
}
