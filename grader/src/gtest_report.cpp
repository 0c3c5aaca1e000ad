#include "gtest_report.h"

#include "text.h"

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

namespace gradlab::grader {

namespace {

std::string strip(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

TestStatus classify_failure(const std::string& message) {
  if (message.find("not implemented: lab") != std::string::npos) return TestStatus::NotStarted;
  if (mentions_out_of_memory(message)) return TestStatus::OutOfMemory;
  return TestStatus::Fail;
}

bool mentions_out_of_memory(const std::string& text) {
  for (const char* needle : {"std::bad_alloc", "bad_alloc", "cannot allocate", "Cannot allocate", "out of memory"})
    if (text.find(needle) != std::string::npos) return true;
  return false;
}

std::string undo_byte_escapes(const std::string& text) {
  // GoogleTest's JSON writes each byte of a UTF-8 message as its own \u00XX escape, so
  // "σ" (CF 83) reads back as "Ï\u0083". When every code point is below 0x100, the
  // code points are those bytes: put them back together.
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bytes += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {  // U+0080 … U+00FF
      bytes += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F));
    } else {
      return text;  // a real character above U+00FF: not byte escapes
    }
  }
  return bytes;
}

std::optional<std::vector<GtestCase>> parse_gtest_json(const std::string& text) {
  const nlohmann::json report = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded() || !report.is_object() || !report.contains("testsuites")) return std::nullopt;
  std::vector<GtestCase> cases;
  try {
    for (const auto& suite : report.at("testsuites")) {
      const std::string suite_name = suite.at("name").get<std::string>();
      for (const auto& test : suite.value("testsuite", nlohmann::json::array())) {
        if (test.value("status", "RUN") != "RUN") continue;  // filtered out ("NOTRUN")
        GtestCase c{suite_name + "." + test.at("name").get<std::string>(), TestStatus::Pass, ""};
        const auto failures = test.value("failures", nlohmann::json::array());
        const auto failure_text = [](const nlohmann::json& f) { return undo_byte_escapes(f.value("failure", "")); };
        if (!failures.empty()) {
          c.message = trim_message(failure_text(failures.front()));
          // The NotImplemented or bad_alloc may come after an ordinary assertion.
          std::string all;
          for (const auto& f : failures) all += failure_text(f) + "\n";
          c.status = classify_failure(all);
          if (c.status != TestStatus::Fail) {
            for (const auto& f : failures)
              if (classify_failure(failure_text(f)) == c.status) {
                c.message = trim_message(failure_text(f));
                break;
              }
          }
        } else if (test.value("result", "COMPLETED") == "SKIPPED") {
          c.status = TestStatus::Skipped;
        }
        cases.push_back(std::move(c));
      }
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return cases;
}

std::vector<std::string> parse_test_list(const std::string& output) {
  // Suite.            (or "Suite/0.  # TypeParam = int")
  //   Test            (or "  Test/1  # GetParam() = 3")
  std::vector<std::string> names;
  std::string suite;
  for (std::string line : lines_of(output)) {
    const auto comment = line.find("  #");
    if (comment != std::string::npos) line.resize(comment);
    if (line.empty()) continue;
    if (line[0] != ' ') {
      line = strip(line);
      if (!line.empty() && line.back() == '.') suite = line;
      else suite.clear();  // not part of the listing (a warning from the program)
    } else if (!suite.empty()) {
      const std::string test = strip(line);
      if (!test.empty()) names.push_back(suite + test);
    }
  }
  return names;
}

std::optional<std::string> test_in_progress(const std::string& console) {
  std::optional<std::string> running;
  for (const std::string& line : lines_of(console)) {
    if (line.starts_with("[ RUN      ] ")) {
      running = strip(line.substr(13));
    } else if (running && (line.starts_with("[       OK ] ") || line.starts_with("[  FAILED  ] ") ||
                           line.starts_with("[  SKIPPED ] "))) {
      std::string name = strip(line.substr(13));
      name = name.substr(0, name.find(' '));  // drop " (3 ms)"
      if (name == *running) running.reset();
    }
  }
  return running;
}

std::string trim_message(const std::string& message, std::size_t max_lines) {
  static const std::regex location(R"(^(?:.*/)?([^/\s]+:\d+)$)");
  std::vector<std::string> lines = lines_of(strip(message));
  std::smatch match;
  if (!lines.empty() && std::regex_match(lines[0], match, location)) lines[0] = match[1].str();
  if (!lines.empty() && lines[0] == "unknown file") lines.erase(lines.begin());  // an exception's "location"
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) out += (i ? "\n" : "") + lines[i];
  if (lines.size() > max_lines) out += "\n…";
  if (out.size() > 600) out = out.substr(0, 600) + "…";
  return out;
}

}  // namespace gradlab::grader
