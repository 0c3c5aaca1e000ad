#include "result.h"

#include "gradlab/files.h"

#include "errors.h"

#include <fmt/core.h>

#include <regex>

#include <unistd.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;
using nlohmann::json;

namespace gradlab::grader {

namespace {

constexpr std::array<std::pair<TestStatus, const char*>, 9> kStatusNames{{
    {TestStatus::Pass, "PASS"},
    {TestStatus::Fail, "FAIL"},
    {TestStatus::NotStarted, "NOT STARTED"},
    {TestStatus::Crashed, "CRASHED"},
    {TestStatus::TimedOut, "TIMED OUT"},
    {TestStatus::OutOfMemory, "OUT OF MEMORY"},
    {TestStatus::TooMuchOutput, "TOO MUCH OUTPUT"},
    {TestStatus::Skipped, "SKIPPED"},
    {TestStatus::NotRun, "NOT RUN"},
}};

constexpr std::array<std::pair<LabStatus, const char*>, 7> kLabStatusNames{{
    {LabStatus::Passing, "passing"},
    {LabStatus::CorrectButSlow, "correct but slow"},
    {LabStatus::Failing, "failing"},
    {LabStatus::NotStarted, "not started"},
    {LabStatus::CompileError, "compile error"},
    {LabStatus::ForbiddenCall, "forbidden call"},
    {LabStatus::NotIsolated, "not isolated"},
}};

constexpr std::array<std::pair<Visibility, const char*>, 4> kVisibilityNames{{
    {Visibility::Visible, "visible"},
    {Visibility::Hidden, "hidden"},
    {Visibility::AfterDueDate, "after_due_date"},
    {Visibility::AfterPublished, "after_published"},
}};

// The name of an enum value in a table of (value, name), and back.
template <typename Enum, std::size_t N>
std::string name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "unknown";
}

template <typename Enum, std::size_t N>
Enum value_of(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& text, const char* what) {
  for (const auto& [v, name] : names)
    if (text == name) return v;
  throw std::invalid_argument(std::string("unknown ") + what + " \"" + text + "\"");
}

json bench_json(const BenchFigures& b) {
  return {{"ran", b.ran},     {"correct", b.correct}, {"score", b.score},    {"max", b.max},
          {"ratio", b.ratio}, {"gflops", b.gflops},   {"message", b.message}};
}

BenchFigures bench_from_json(const json& j) {
  return {j.at("ran").get<bool>(),     j.at("correct").get<bool>(), j.at("score").get<double>(),
          j.at("max").get<double>(),   j.at("ratio").get<double>(), j.at("gflops").get<double>(),
          j.at("message").get<std::string>()};
}

// A value or null, for the optional parts of the JSON.
json optional_number(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

}  // namespace

std::string to_string(TestStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "UNKNOWN";
}

TestStatus test_status_from_string(const std::string& text) {
  for (const auto& [s, name] : kStatusNames)
    if (text == name) return s;
  throw std::invalid_argument("unknown test status \"" + text + "\"");
}

std::string to_string(LabStatus status) { return name_of(kLabStatusNames, status); }
LabStatus lab_status_from_string(const std::string& text) { return value_of(kLabStatusNames, text, "lab status"); }
std::string to_string(Visibility visibility) { return name_of(kVisibilityNames, visibility); }
Visibility visibility_from_string(const std::string& text) { return value_of(kVisibilityNames, text, "visibility"); }

bool counts_as_passed(TestStatus status) { return status == TestStatus::Pass; }

json to_json(const LabResult& r) {
  json tests = json::array();
  for (const TestResult& t : r.tests)
    tests.push_back({{"group", t.group}, {"name", t.name}, {"status", to_string(t.status)}, {"message", t.message}});
  json groups = json::array();
  for (const GroupScore& g : r.groups)
    groups.push_back({{"name", g.name},   {"points", g.points}, {"passed", g.passed},
                      {"total", g.total}, {"score", g.score},   {"hidden", g.hidden},
                      {"visibility", to_string(g.visibility)}});
  json plots = json::array();
  for (const PlotResult& p : r.plots)
    plots.push_back({{"name", p.name}, {"svg", p.svg}, {"png", p.png}, {"dat", p.dat}, {"script", p.script},
                     {"deviation", optional_number(p.deviation)}, {"match_points", p.match_points},
                     {"earned", p.earned}, {"awarded", p.awarded}, {"note", p.note}});
  json files = json::array();
  for (const FileStamp& f : r.files) files.push_back({{"path", f.path}, {"hash", f.hash}});
  json out = {{"format", kResultFormat},   {"lab", r.lab},        {"slug", r.slug},
              {"title", r.title},          {"variant", r.variant}, {"status", to_string(r.status)},
              {"score", r.score},          {"max", r.max},         {"plots_checked", r.plots_checked},
              {"tests", tests},            {"groups", groups},     {"plots", plots},
              {"files", files},            {"checked_at", r.checked_at},
              {"hidden_checked", r.hidden_checked},
              {"isolated", r.isolated},
              {"test_seed", r.test_seed ? json(*r.test_seed) : json(nullptr)},
              {"bench", r.bench ? bench_json(*r.bench) : json(nullptr)},
              {"timings", {{"build", r.timings.build}, {"tests", r.timings.tests},
                           {"experiments", r.timings.experiments}, {"bench", r.timings.bench},
                           {"total", r.timings.total}}}};
  if (r.compile_error) {
    const CompileError& e = *r.compile_error;
    out["compile_error"] = {{"file", e.file},       {"line", e.line},       {"column", e.column},
                            {"message", e.message}, {"context", e.context}, {"log", e.log}};
    if (e.forbidden) out["compile_error"]["forbidden"] = true;
  } else {
    out["compile_error"] = nullptr;
  }
  return out;
}

LabResult lab_result_from_json(const json& j) {
  LabResult r;
  r.lab = j.at("lab").get<std::string>();
  r.slug = j.at("slug").get<std::string>();
  r.title = j.at("title").get<std::string>();
  r.variant = j.at("variant").get<std::string>();
  // Format 1 (no "format" key) has the same fields minus those read with value() below.
  if (j.value("format", 1) > kResultFormat)
    throw std::invalid_argument(fmt::format("result format {} is newer than this grader's {}", j.value("format", 1),
                                            kResultFormat));
  r.status = lab_status_from_string(j.at("status").get<std::string>());
  r.score = j.at("score").get<double>();
  r.max = j.at("max").get<double>();
  r.plots_checked = j.value("plots_checked", true);
  for (const json& t : j.at("tests")) {
    TestResult test;
    test.group = t.at("group").get<std::string>();
    test.name = t.at("name").get<std::string>();
    test.status = test_status_from_string(t.at("status").get<std::string>());
    test.message = t.at("message").get<std::string>();
    r.tests.push_back(test);
  }
  for (const json& g : j.at("groups"))
    r.groups.push_back({g.at("name").get<std::string>(), g.at("points").get<double>(), g.at("passed").get<int>(),
                        g.at("total").get<int>(), g.at("score").get<double>(), g.value("hidden", false),
                        visibility_from_string(g.value("visibility", std::string("visible")))});
  for (const json& p : j.at("plots")) {
    PlotResult plot;
    plot.name = p.at("name").get<std::string>();
    plot.svg = p.at("svg").get<std::string>();
    plot.png = p.at("png").get<std::string>();
    plot.dat = p.at("dat").get<std::string>();
    plot.script = p.at("script").get<std::string>();
    if (!p.at("deviation").is_null()) plot.deviation = p.at("deviation").get<double>();
    plot.match_points = p.at("match_points").get<double>();
    plot.awarded = p.at("awarded").get<bool>();
    plot.earned = p.value("earned", plot.awarded ? plot.match_points : 0.0);
    plot.note = p.at("note").get<std::string>();
    r.plots.push_back(plot);
  }
  for (const json& f : j.at("files")) r.files.push_back({f.at("path").get<std::string>(), f.at("hash").get<std::string>()});
  r.checked_at = j.at("checked_at").get<std::string>();
  r.hidden_checked = j.value("hidden_checked", false);
  r.isolated = j.value("isolated", true);
  if (j.contains("test_seed") && !j["test_seed"].is_null()) r.test_seed = j["test_seed"].get<std::uint64_t>();
  if (j.contains("bench") && !j["bench"].is_null()) r.bench = bench_from_json(j["bench"]);
  if (j.contains("timings")) {
    const json& t = j["timings"];
    r.timings = {t.at("build").get<double>(), t.at("tests").get<double>(), t.at("experiments").get<double>(),
                 t.at("bench").get<double>(), t.at("total").get<double>()};
  }
  if (j.contains("compile_error") && !j["compile_error"].is_null()) {
    const json& e = j["compile_error"];
    r.compile_error = CompileError{e.at("file").get<std::string>(), e.at("line").get<int>(),
                                   e.at("column").get<int>(),       e.at("message").get<std::string>(),
                                   e.at("context").get<std::string>(), e.at("log").get<std::string>()};
    r.compile_error->forbidden = e.value("forbidden", false);
  }
  return r;
}

std::string short_message(const TestResult& t) {
  // "C++ exception with description "not implemented: lab 01: f" thrown …" -> "not implemented: lab 01: f"
  if (t.status == TestStatus::NotStarted) {
    static const std::regex what(R"(not implemented: lab [^"\n]*)");
    std::smatch m;
    if (std::regex_search(t.message, m, what)) return m.str();
  }
  return t.message;
}

std::string hash_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a offset basis
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      hash ^= static_cast<unsigned char>(buffer[i]);
      hash *= 1099511628211ull;  // FNV prime
    }
  }
  return fmt::format("{:016x}", hash);
}

void write_file_atomically(const fs::path& file, const std::string& text) {
  try {
    gradlab::write_file_atomically(file, text);
  } catch (const std::runtime_error& e) {
    throw InfrastructureError(e.what());  // the grader's own failure, exit code 2
  }
}
std::string read_text(const fs::path& file) { return gradlab::read_text(file); }
std::string now_utc(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, &utc);
  return buffer;
}

std::string now_iso8601() { return now_utc("%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace gradlab::grader
