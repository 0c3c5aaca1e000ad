// gradlab-stubgen: makes each lab's student files from the reference solution.
//
// For every solutions/NN_topic/<file>.cpp it writes labs/NN_topic/<file>.cpp, the same
// text except that each region
//
//     // BEGIN SOLUTION
//     ...reference code...
//     // END SOLUTION
//
// becomes a TODO that throws gradlab::NotImplemented("lab NN: <function>"), where
// <function> is the function the region sits in. A region may end with a block
//
//     // BEGIN STUB
//     // ...code, commented out...
//     // END STUB
//
// whose lines, uncommented, replace the region instead (lab 10's stub is a correct,
// slow loop rather than a throw).
//
//   gradlab-stubgen --root DIR --write   regenerate every stub
//   gradlab-stubgen --root DIR --check   exit 1, listing the files, if any stub differs
//   gradlab-stubgen --root DIR --write --into OUT   write them under OUT/labs/ instead
//                                                   (`grader reset` restores a lab from there)
#include <cxxopts.hpp>
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct StubError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StubError(fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::string indentation(const std::string& s) { return s.substr(0, s.find_first_not_of(" \t")); }

// The function a region belongs to: the last line before it that starts in column 0
// with something like `type name(` or `type Class::name(`, i.e. the start of a
// function definition.
std::string enclosing_function(const std::vector<std::string>& lines, std::size_t region_start) {
  // The name keeps its class, if any: "EarlyStopping::step", not "step".
  static const std::regex definition(R"(^[A-Za-z_][\w:<>,\*& ]*?\b((?:[A-Za-z_]\w*::)*[A-Za-z_]\w*)\s*\()");
  for (std::size_t i = region_start; i-- > 0;) {
    std::smatch match;
    if (std::regex_search(lines[i], match, definition)) return match[1];
  }
  return "unknown";
}

// Removes the comment marker from a line of a STUB block, keeping its indentation.
std::string uncomment(const std::string& line, const fs::path& file, std::size_t number) {
  const std::string indent = indentation(line);
  const std::string rest = line.substr(indent.size());
  if (rest.rfind("// ", 0) == 0) return indent + rest.substr(3);
  if (rest == "//") return "";
  throw StubError(fmt::format("{}:{}: a line inside BEGIN STUB ... END STUB must start with '// '",
                              file.string(), number));
}

std::string make_stub(const fs::path& solution, const std::string& lab_id) {
  const std::vector<std::string> lines = split_lines(read_file(solution));
  std::ostringstream out;
  out << "// Lab " << lab_id << ": this file is yours to edit; the lab's README says what to do.\n"
      << "// (Generated from the reference solution by gradlab-stubgen.)\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]) != "// BEGIN SOLUTION") {
      if (trim(lines[i]) == "// END SOLUTION" || trim(lines[i]) == "// BEGIN STUB" ||
          trim(lines[i]) == "// END STUB") {
        throw StubError(fmt::format("{}:{}: '{}' outside a BEGIN SOLUTION region",
                                    solution.string(), i + 1, trim(lines[i])));
      }
      out << lines[i] << '\n';
      continue;
    }
    const std::size_t begin = i;
    const std::string indent = indentation(lines[i]);
    std::optional<std::vector<std::string>> stub;
    for (++i; i < lines.size() && trim(lines[i]) != "// END SOLUTION"; ++i) {
      if (trim(lines[i]) == "// BEGIN SOLUTION") {
        throw StubError(fmt::format("{}:{}: BEGIN SOLUTION inside the region opened at line {}",
                                    solution.string(), i + 1, begin + 1));
      }
      if (trim(lines[i]) == "// BEGIN STUB") {
        stub.emplace();
        for (++i; i < lines.size() && trim(lines[i]) != "// END STUB"; ++i) {
          stub->push_back(uncomment(lines[i], solution, i + 1));
        }
        if (i == lines.size()) {
          throw StubError(fmt::format("{}:{}: BEGIN STUB without END STUB", solution.string(), begin + 1));
        }
      }
    }
    if (i == lines.size()) {
      throw StubError(fmt::format("{}:{}: BEGIN SOLUTION without END SOLUTION", solution.string(),
                                  begin + 1));
    }
    if (stub) {
      for (const auto& line : *stub) out << line << '\n';
    } else {
      const std::string function = enclosing_function(lines, begin);
      out << indent << "// TODO(lab " << lab_id << "): implement " << function << ".\n"
          << indent << "throw gradlab::NotImplemented(\"lab " << lab_id << ": " << function << "\");\n";
    }
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("gradlab-stubgen", "Generate the lab stubs from the reference solutions");
  options.add_options()
      ("root", "the gradlab source tree", cxxopts::value<std::string>()->default_value("."))
      ("write", "write the generated stubs into labs/")
      ("into", "with --write: write them into DIR/labs/ instead", cxxopts::value<std::string>(), "DIR")
      ("check", "compare the generated stubs with labs/ and fail on any difference")
      ("h,help", "show this help");
  try {
    const auto args = options.parse(argc, argv);
    if (args.count("help") || args.count("write") == args.count("check")) {
      std::cout << options.help() << "\nGive exactly one of --write and --check.\n";
      return args.count("help") ? 0 : 2;
    }
    const fs::path root = args["root"].as<std::string>();
    const bool write = args.count("write") > 0;
    const fs::path into = args.count("into") ? fs::path(args["into"].as<std::string>()) : root;
    int generated = 0;
    std::vector<std::string> drifted;
    for (const auto& lab : fs::directory_iterator(root / "solutions")) {
      const std::string slug = lab.path().filename().string();
      if (!lab.is_directory() || slug.size() < 3 || !std::isdigit(slug[0]) || !std::isdigit(slug[1])) continue;
      for (const auto& entry : fs::directory_iterator(lab.path())) {
        if (entry.path().extension() != ".cpp") continue;
        const std::string stub = make_stub(entry.path(), slug.substr(0, 2));
        const fs::path target = (write ? into : root) / "labs" / slug / entry.path().filename();
        ++generated;
        if (write) {
          fs::create_directories(target.parent_path());
          const fs::path tmp = target.string() + ".tmp";
          std::ofstream(tmp, std::ios::binary) << stub;
          fs::rename(tmp, target);
        } else if (!fs::exists(target) || read_file(target) != stub) {
          drifted.push_back(fs::relative(target, root).string());
        }
      }
    }
    if (write) {
      std::cout << fmt::format("gradlab-stubgen: wrote {} stub file(s)\n", generated);
      return 0;
    }
    if (!drifted.empty()) {
      std::cerr << "These lab files differ from what their solutions generate:\n";
      for (const auto& f : drifted) std::cerr << "  " << f << '\n';
      std::cerr << "Run: build/default/bin/gradlab-stubgen --root . --write\n";
      return 1;
    }
    std::cout << fmt::format("gradlab-stubgen: all {} stub file(s) match their solutions\n", generated);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "gradlab-stubgen: " << e.what() << '\n';
    return 2;
  }
}
