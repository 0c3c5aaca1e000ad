#include "renderers.h"

#include "console.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

using nlohmann::json;

namespace gradlab::grader {

namespace {

// ---------------------------------------------------------------- JUnit XML

std::string lines_first(const std::string& text) { return text.substr(0, text.find('\n')); }

// The JUnit element of a test that did not pass: "failure" for a wrong answer,
// "error" when it did not finish, "skipped" when it was not attempted.
const char* junit_element(TestStatus status) {
  switch (status) {
    case TestStatus::Pass: return "";
    case TestStatus::Fail: return "failure";
    case TestStatus::NotStarted:
    case TestStatus::Skipped: return "skipped";
    default: return "error";
  }
}

std::string junit_testcase(const LabResult& r, const TestResult& t) {
  std::string xml = fmt::format("    <testcase classname=\"lab{}.{}\" name=\"{}\"", r.lab, xml_escape(t.group), xml_escape(t.name));
  const std::string element = junit_element(t.status);
  if (element.empty()) return xml + "/>\n";
  const std::string message = short_message(t);
  return xml + fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", element,
                           xml_escape(lines_first(message)), xml_escape(to_string(t.status)), xml_escape(message), element);
}

std::string junit_suite(const LabResult& r) {
  const auto count = [&](const char* element) {
    return std::count_if(r.tests.begin(), r.tests.end(), [&](const TestResult& t) { return junit_element(t.status) == std::string(element); });
  };
  const bool compile_error = r.compile_error.has_value();
  std::string xml = fmt::format(
      "  <testsuite name=\"lab{} {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\" "
      "timestamp=\"{}\">\n",
      r.lab, xml_escape(r.title), r.tests.size() + (compile_error ? 1 : 0), count("failure"),
      count("error") + (compile_error ? 1 : 0), count("skipped"), r.timings.total, xml_escape(r.checked_at));
  xml += fmt::format("    <properties><property name=\"status\" value=\"{}\"/><property name=\"score\" value=\"{}\"/>"
                     "<property name=\"max\" value=\"{}\"/></properties>\n",
                     xml_escape(to_string(r.status)), points(r.score), points(r.max));
  if (compile_error) {
    const CompileError& e = *r.compile_error;
    xml += fmt::format("    <testcase classname=\"lab{}.build\" name=\"compile\">\n      <error message=\"{}\" "
                       "type=\"COMPILE ERROR\">{}:{}: {}\n{}</error>\n    </testcase>\n",
                       r.lab, xml_escape(e.message), xml_escape(e.file), e.line, xml_escape(e.message), xml_escape(e.context));
  }
  for (const TestResult& t : r.tests) xml += junit_testcase(r, t);
  return xml + "  </testsuite>\n";
}

// ---------------------------------------------------------------- Gradescope

// Gradescope shows a number with up to a few decimals: keep 1e-6 precision, no noise.
double rounded(double value) { return std::round(value * 1e6) / 1e6; }

std::string group_output(const LabResult& r, const GroupScore& g) {
  std::string out = fmt::format("{} of {} tests pass.", g.passed, g.total);
  for (const TestResult& t : r.tests) {
    if (t.group != g.name || counts_as_passed(t.status)) continue;
    std::string message = short_message(t);
    if (message.size() > 1500) message = message.substr(0, 1500) + " …";
    out += fmt::format("\n\n{}  {}\n{}", to_string(t.status), t.name, message);
  }
  return out;
}

json gradescope_test(const std::string& name, double score, double max, bool passed, const std::string& output,
                     Visibility visibility) {
  return {{"name", name},
          {"score", rounded(score)},
          {"max_score", rounded(max)},
          {"status", passed ? "passed" : "failed"},
          {"output", output},
          {"visibility", to_string(visibility)}};
}

void add_lab_tests(const LabResult& r, json& tests) {
  const std::string lab = fmt::format("lab {} · ", r.lab);
  if (r.compile_error) {
    const CompileError& e = *r.compile_error;
    tests.push_back(gradescope_test(lab + "build", 0, r.max, false,
                                    fmt::format("COMPILE ERROR\n{}:{}:{}: {}\n{}", e.file, e.line, e.column, e.message, e.context),
                                    Visibility::Visible));
    return;
  }
  for (const GroupScore& g : r.groups)
    tests.push_back(gradescope_test(lab + g.name, g.score, g.points, g.passed == g.total, group_output(r, g), g.visibility));
  for (const PlotResult& p : r.plots) {
    if (p.match_points <= 0) continue;
    tests.push_back(gradescope_test(lab + "plot " + p.name, p.earned, p.match_points, p.awarded,
                                    p.awarded ? "matches the reference" : p.note, Visibility::Visible));
  }
  if (r.bench) {
    const BenchFigures& b = *r.bench;
    const std::string output = b.ran ? fmt::format("{:.2f} GFLOP/s, {:.2f}x the reference{}", b.gflops, b.ratio,
                                                   b.correct ? "" : "; a product was wrong: no performance points")
                                     : b.message;
    tests.push_back(gradescope_test(lab + "performance", b.score, b.max, b.score >= b.max - 1e-9, output, Visibility::Visible));
  }
}

std::string summary(const std::vector<LabResult>& results) {
  std::string out;
  for (const LabResult& r : results)
    out += fmt::format("lab {} · {}: {} — {}/{} points\n", r.lab, r.title, to_string(r.status), points(r.score), points(r.max));
  return out;
}

}  // namespace

json results_json(const std::vector<LabResult>& results) {
  if (results.size() == 1) return to_json(results.front());
  double score = 0, max = 0;
  bool all_correct = true;
  json labs = json::array();
  for (const LabResult& r : results) {
    score += r.score;
    max += r.max;
    all_correct = all_correct && r.fully_correct();
    labs.push_back(to_json(r));
  }
  return {{"labs", labs}, {"score", score}, {"max", max}, {"status", all_correct ? "passing" : "failing"}};
}

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

std::string junit_xml(const std::vector<LabResult>& results) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gradlab\">\n";
  for (const LabResult& r : results) xml += junit_suite(r);
  return xml + "</testsuites>\n";
}

json gradescope_results(const std::vector<LabResult>& results, const GradescopeContext& context) {
  json tests = json::array();
  json leaderboard = json::array();
  double score = 0, seconds = 0;
  for (const LabResult& r : results) {
    add_lab_tests(r, tests);
    score += r.score;
    seconds += r.timings.total;
    if (r.bench && r.bench->ran && r.bench->correct)
      leaderboard.push_back({{"name", fmt::format("lab {} GFLOP/s", r.lab)}, {"value", rounded(r.bench->gflops)}, {"order", "desc"}});
  }
  json out = {{"score", rounded(score)},
              {"execution_time", static_cast<long>(std::ceil(seconds))},
              {"output", summary(results) + context.output},
              {"stdout_visibility", "hidden"},
              {"tests", tests}};
  if (!leaderboard.empty()) out["leaderboard"] = leaderboard;
  return out;
}

json gradescope_failure(const std::string& message) {
  return {{"score", 0.0}, {"execution_time", 0}, {"output", message}, {"stdout_visibility", "hidden"}, {"tests", json::array()}};
}

}  // namespace gradlab::grader
