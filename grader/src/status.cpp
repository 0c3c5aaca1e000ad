#include "status.h"

#include "check.h"
#include "grade.h"
#include "console.h"
#include "result.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The status column: a word for the table, and its colour.
Tone tone_of(const StatusRow& s) {
  if (s.stale) return Tone::Warn;
  if (s.status == "passing") return Tone::Good;
  if (s.status == "not started") return Tone::Dim;
  if (s.status.starts_with("in progress") || s.status == "correct but slow") return Tone::Warn;
  return Tone::Bad;
}

std::string progress_bar(double fraction, int width) {
  const int filled = static_cast<int>(fraction * width + 0.5);
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i < filled ? "█" : "░";
  return bar;
}

}  // namespace

bool stub_untouched(const Manifest& m, const fs::path& source) {
  const std::string marker = "throw gradlab::NotImplemented(";
  std::size_t expected_total = 0;
  for (const std::string& file : m.student_files) {
    const fs::path solution = source / "solutions" / m.slug / file;
    if (!fs::is_regular_file(solution)) return false;  // a student edition: cannot tell
    const std::string reference = read_text(solution);
    const std::size_t regions = count(reference, "// BEGIN SOLUTION");
    const std::size_t stubs = count(reference, "// BEGIN STUB");  // a stub body instead of a throw
    const std::size_t expected = regions > stubs ? regions - stubs : 0;
    if (count(read_text(m.dir / file), marker) < expected) return false;
    expected_total += expected;
  }
  return expected_total > 0;
}

std::string next_in_lab(const LabResult& r) {
  if (r.status == LabStatus::Passing) return "";
  if (r.compile_error) {
    const CompileError& e = *r.compile_error;
    return e.file.empty() ? "make it compile" : fmt::format("make it compile ({}:{})", e.file, e.line);
  }
  for (const GroupScore& g : r.groups) {
    if (g.passed == g.total) continue;
    return fmt::format("{}: {} of {} test{} to go", g.name, g.total - g.passed, g.total, g.total > 1 ? "s" : "");
  }
  for (const PlotResult& p : r.plots)
    if (p.match_points > 0 && !p.awarded) return fmt::format("the plot {} does not match the reference yet", p.name);
  if (r.status == LabStatus::CorrectButSlow) return fmt::format("speed: make it faster ({} bench times it)", program_name());
  return "see the last check's output";
}

StatusRow lab_status(const Manifest& m, const fs::path& source) {
  StatusRow s;
  s.max = m.test_points() + m.match_points() + m.bench_points;
  const fs::path file = results_dir(source, m) / "result.json";
  if (fs::is_regular_file(file)) {
    try {
      const LabResult r = lab_result_from_json(nlohmann::json::parse(read_text(file)));
      // A result that graded the hidden groups is not the student's own check: ignore it.
      if (r.hidden_checked) throw std::invalid_argument("a result with hidden groups");
      s.checked = true;
      s.status = to_string(r.status);
      s.score = r.score;
      s.next = next_in_lab(r);
      // Stale when any student file's hash differs (or the list of files changed).
      const std::vector<FileStamp> now = stamp_student_files(m);
      s.stale = now.size() != r.files.size() ||
                !std::equal(now.begin(), now.end(), r.files.begin(), [](const FileStamp& a, const FileStamp& b) {
                  return a.path == b.path && a.hash == b.hash;
                });
    } catch (const std::exception&) {
      s.checked = false;  // an unreadable cache is no result: check again
    }
  }
  if (s.stale) {
    s.status = "changed since the last check";
  } else if (!s.checked) {
    // Untouched markers: not started. Otherwise (some work done, or a stub that has
    // no markers, or no solutions to count them from) the text cannot tell.
    s.status = stub_untouched(m, source) ? "not started" : "in progress, not checked";
  }
  return s;
}

int run_status(const fs::path& source) {
  const std::vector<Manifest> labs = discover_labs(source);
  if (labs.empty()) {
    fmt::print("no labs found in {}/labs (each lab is a folder NN_topic with a lab.toml)\n", source.string());
    return 1;
  }
  std::vector<StatusRow> rows;
  for (const Manifest& m : labs) rows.push_back(lab_status(m, source));

  // 80 columns: "  NN   title…  score  status", long titles shortened.
  constexpr std::size_t kTitleWidth = 30;
  auto shortened = [](const std::string& title) {
    // Count characters, not bytes: titles may hold UTF-8 (e.g. "—").
    std::size_t chars = 0, cut = title.size();
    for (std::size_t i = 0; i < title.size(); ++i)
      if ((static_cast<unsigned char>(title[i]) & 0xC0) != 0x80 && ++chars == kTitleWidth) cut = i;
    return chars <= kTitleWidth ? title + std::string(kTitleWidth - chars, ' ') : title.substr(0, cut) + "…";
  };
  const std::string program = program_name();
  fmt::print("{}\n\n", paint("gradlab — your labs", Tone::Bold));
  fmt::print("  {}\n", paint(fmt::format("{:<4} {:<{}}  {:>9}  {}", "lab", "title", kTitleWidth, "score", "status"), Tone::Dim));
  double score = 0, max = 0;
  int passing = 0;
  for (std::size_t i = 0; i < labs.size(); ++i) {
    const StatusRow& s = rows[i];
    const std::string score_text = fmt::format("{}/{}", points(s.score), points(s.max));
    fmt::print("  {:<4} {}  {:>9}  {}\n", labs[i].id, shortened(labs[i].title), score_text, paint(s.status, tone_of(s)));
    if (!s.next.empty() && !s.stale) fmt::print("  {:<4} {}\n", "", paint("next: " + s.next, Tone::Dim));
    score += s.score;
    max += s.max;
    if (s.status == "passing" && !s.stale) ++passing;
  }
  const double fraction = max > 0 ? score / max : 0;
  fmt::print("\n  progress  {}  {} of {} labs passing, {}/{} points\n", progress_bar(fraction, 20), passing,
             labs.size(), points(score), points(max));

  // The next step: the lowest-numbered lab that does not pass yet.
  std::size_t next = labs.size();
  for (std::size_t i = 0; i < labs.size() && next == labs.size(); ++i)
    if (rows[i].status != "passing" || rows[i].stale) next = i;
  if (next == labs.size()) {
    fmt::print("  every lab passes — well done.\n");
    return 0;
  }
  const Manifest& m = labs[next];
  const StatusRow& s = rows[next];
  const fs::path readme = m.dir / "README.md";
  if (s.status == "not started" && fs::is_regular_file(readme))
    fmt::print("  next: read labs/{}/README.md, then {} check {}\n", m.slug, program, m.id);
  else if (s.checked && !s.stale && s.status == "failing" && !s.next.empty())
    fmt::print("  next: lab {} — {} (stuck? {} hint {})\n", m.id, s.next, program, m.id);
  else if (s.status == "correct but slow")
    fmt::print("  next: lab {} is correct; {} bench times it against the reference\n", m.id, program);
  else
    fmt::print("  next: {} check {}\n", program, m.id);
  return 1;
}

}  // namespace gradlab::grader
