#include "status.h"

#include "check.h"
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
Tone tone_of(const LabStatus& s) {
  if (s.stale) return Tone::Warn;
  if (s.status == "passing") return Tone::Good;
  if (s.status == "not started") return Tone::Dim;
  if (s.status.starts_with("in progress")) return Tone::Warn;
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

LabStatus lab_status(const Manifest& m, const fs::path& source) {
  LabStatus s;
  s.max = m.test_points() + m.match_points() + m.bench_points;
  const fs::path file = results_dir(source, m) / "result.json";
  if (fs::is_regular_file(file)) {
    try {
      const LabResult r = lab_result_from_json(nlohmann::json::parse(read_text(file)));
      s.checked = true;
      s.status = r.status;
      s.score = r.score;
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
    s.status = fmt::format("changed since last check — run ./grade check {}", m.id);
  } else if (!s.checked) {
    // Untouched markers: not started. Otherwise (some work done, or a stub that has
    // no markers, or no solutions to count them from) the text cannot tell.
    s.status = stub_untouched(m, source) ? "not started" : "in progress — not checked yet";
  }
  return s;
}

int run_status(const fs::path& source) {
  const std::vector<Manifest> labs = discover_labs(source);
  if (labs.empty()) {
    fmt::print("no labs found in {}/labs (each lab is a folder NN_topic with a lab.toml)\n", source.string());
    return 1;
  }
  std::vector<LabStatus> rows;
  for (const Manifest& m : labs) rows.push_back(lab_status(m, source));

  std::size_t title_width = 5;
  for (const Manifest& m : labs) title_width = std::max(title_width, m.title.size());
  fmt::print("{}\n\n", paint("gradlab — your labs", Tone::Bold));
  fmt::print("  {}\n", paint(fmt::format("{:<4} {:<{}}  {:>9}  {}", "lab", "title", title_width, "score", "status"), Tone::Dim));
  double score = 0, max = 0;
  int passing = 0;
  for (std::size_t i = 0; i < labs.size(); ++i) {
    const LabStatus& s = rows[i];
    const std::string score_text = fmt::format("{}/{}", points(s.score), points(s.max));
    fmt::print("  {:<4} {:<{}}  {:>9}  {}\n", labs[i].id, labs[i].title, title_width, score_text, paint(s.status, tone_of(s)));
    score += s.score;
    max += s.max;
    if (s.status == "passing" && !s.stale) ++passing;
  }
  const double fraction = max > 0 ? score / max : 0;
  fmt::print("\n  progress  {}  {} of {} labs passing, {}/{} points\n", progress_bar(fraction, 20), passing,
             labs.size(), points(score), points(max));

  // The next step: the lab being worked on (changed since its check), else the
  // first lab, in order, that does not pass yet.
  std::size_t next = labs.size();
  for (std::size_t i = 0; i < labs.size() && next == labs.size(); ++i)
    if (rows[i].stale) next = i;
  for (std::size_t i = 0; i < labs.size() && next == labs.size(); ++i)
    if (rows[i].status != "passing") next = i;
  if (next == labs.size()) {
    fmt::print("  every lab passes — well done.\n");
    return 0;
  }
  const Manifest& m = labs[next];
  if (rows[next].status == "not started") {
    const fs::path readme = m.dir / "README.md";
    fmt::print("  next: {}./grade check {}\n",
               fs::is_regular_file(readme) ? fmt::format("read labs/{}/README.md, then ", m.slug) : "", m.id);
  } else {
    fmt::print("  next: ./grade check {}\n", m.id);
  }
  return 1;
}

}  // namespace gradlab::grader
