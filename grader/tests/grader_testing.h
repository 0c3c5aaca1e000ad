// What the grader's tests share: running the grader binary on a fresh copy of the
// fixture lab 98 (fixtures/tree) and reading what it wrote.
#pragma once

#include "process.h"
#include "result.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using gradlab::grader::ProcessRequest;
using gradlab::grader::read_text;
using nlohmann::json;

namespace gradlab::grader::testing {

struct GraderRun {
  int exit_code;
  std::string out;
  std::string err;
  double seconds;
};

// Runs the grader with \p args (and \p env added to the environment).
inline GraderRun grader(std::vector<std::string> args, const std::vector<std::pair<std::string, std::string>>& env = {}) {
  ProcessRequest request;
  request.argv = {GRADER_EXE};
  request.argv.insert(request.argv.end(), args.begin(), args.end());
  request.limits.wall_seconds = 300;
  for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
  const auto p = gradlab::grader::run_process(request);
  for (const auto& [name, value] : env) ::unsetenv(name.c_str());
  EXPECT_TRUE(p.exited()) << "the grader itself did not exit normally\n" << p.err;
  return {p.exit_code, p.out, p.err, p.wall_seconds};
}

// A fresh copy of the fixture tree (the grader writes results/ into it).
inline fs::path fixture_copy(const std::string& name) {
  const fs::path dir = fs::path(GRADER_SCRATCH) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(GRADER_FIXTURE_TREE, dir, fs::copy_options::recursive);
  return dir;
}

inline std::vector<std::string> fixture_args(const fs::path& tree) {
  return {"--source", tree.string(), "--build", GRADER_FIXTURE_BUILD};
}

inline std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline std::map<std::string, json> tests_by_name(const json& result) {
  std::map<std::string, json> tests;
  for (const json& t : result.at("tests")) tests[t.at("name").get<std::string>()] = t;
  return tests;
}

inline bool gnuplot_installed() { return std::system("gnuplot --version > /dev/null 2>&1") == 0; }

inline void replace_in_file(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_text(file);
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << file;
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::trunc) << text;
}

}  // namespace gradlab::grader::testing
