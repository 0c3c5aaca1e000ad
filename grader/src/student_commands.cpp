#include "student_commands.h"

#include "build.h"
#include "grade.h"
#include "console.h"
#include "errors.h"
#include "process.h"
#include "text.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// The result of the last `check` of lab m (results/NN_topic/result.json), if readable.
std::optional<LabResult> last_result(const Manifest& m, const fs::path& source) {
  const std::string text = read_text(results_dir(source, m) / "result.json");
  if (text.empty()) return std::nullopt;
  try {
    return lab_result_from_json(nlohmann::json::parse(text));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The first test of a result that does not pass (compile errors have no tests).
const TestResult* first_failing(const LabResult& r) {
  for (const TestResult& t : r.tests)
    if (!counts_as_passed(t.status)) return &t;
  return nullptr;
}

// '*' any run of characters, '?' one character: gtest's filter wildcards.
bool glob_matches(const std::string& pattern, const std::string& text) {
  std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool any_glob_matches(const std::string& patterns, const std::string& name) {
  std::size_t begin = 0;
  while (begin <= patterns.size()) {
    std::size_t end = patterns.find(':', begin);
    if (end == std::string::npos) end = patterns.size();
    if (end > begin && glob_matches(patterns.substr(begin, end - begin), name)) return true;
    begin = end + 1;
  }
  return false;
}

}  // namespace

bool gtest_filter_matches(const std::string& filter, const std::string& name) {
  const std::size_t dash = filter.find('-');
  const std::string positive = filter.substr(0, dash);
  const std::string negative = dash == std::string::npos ? "" : filter.substr(dash + 1);
  const bool selected = positive.empty() ? true : any_glob_matches(positive, name);
  return selected && !any_glob_matches(negative, name);
}

const TestGroup* find_group(const Manifest& m, const std::string& name) {
  for (const TestGroup& g : m.tests)
    if (g.name == name) return &g;
  for (const TestGroup& g : m.tests)
    if (gtest_filter_matches(g.filter, name)) return &g;
  return nullptr;
}

// ------------------------------------------------------------------ hint

int run_hint(const HintRequest& request, const fs::path& source) {
  static const char* const kTierNames[] = {"a nudge", "the formula", "the shape of the code"};
  const Manifest m = find_lab(source, request.lab);
  const std::optional<LabResult> result = last_result(m, source);
  const TestGroup* group = nullptr;
  const TestResult* failing = nullptr;
  if (request.which) {
    group = find_group(m, *request.which);
    if (group == nullptr) {
      std::string names;
      for (const TestGroup& g : m.tests) names += (names.empty() ? "" : ", ") + g.name;
      throw UsageError(fmt::format("hint: lab {} has no test group or test \"{}\" (groups: {})", m.id, *request.which,
                                   names));
    }
    if (result)
      for (const TestResult& t : result->tests)
        if (t.group == group->name && !counts_as_passed(t.status) && failing == nullptr) failing = &t;
  } else if (!result) {
    fmt::print("Lab {} has not been checked yet. Run `{} check {}` first: the hint is for the first test that "
               "fails.\n", m.id, program_name(), m.id);
    return 1;
  } else if (result->status == LabStatus::CompileError) {
    fmt::print("Lab {} does not compile yet: fix the first compiler error that `{} check {}` shows.\n", m.id,
               program_name(), m.id);
    return 1;
  } else {
    failing = first_failing(*result);
    if (failing == nullptr) {
      fmt::print("Every test of lab {} passed at its last check: no hint needed.\n", m.id);
      return 0;
    }
    group = find_group(m, failing->group);
    if (group == nullptr) throw InfrastructureError(fmt::format("lab {}: the last result names a group \"{}\" that lab.toml no longer has; check again", m.id, failing->group));
  }
  if (group->hints.empty()) {
    fmt::print("Lab {}'s group {} has no hints. Read the failure message and the lab's README.\n", m.id, group->name);
    return 0;
  }

  // How many tiers this group has shown before: each call reveals one more.
  const fs::path state_file = results_dir(source, m) / "hints.json";
  nlohmann::json state = nlohmann::json::parse(read_text(state_file), nullptr, false);
  if (!state.is_object()) state = nlohmann::json::object();
  const std::size_t tiers = group->hints.size();
  const std::size_t before = std::min<std::size_t>(state.value(group->name, 0), tiers);
  const std::size_t shown = request.all ? tiers : std::min(before + 1, tiers);
  state[group->name] = std::max(before, shown);
  write_file_atomically(state_file, state.dump(2) + "\n");

  fmt::print("{}\n", paint(fmt::format("lab {} · {} (tests {})", m.id, group->name, group->filter), Tone::Bold));
  if (failing != nullptr) {
    fmt::print("  {} {}\n", paint(to_string(failing->status), Tone::Bad), failing->name);
    const auto lines = lines_of(short_message(*failing));
    for (std::size_t i = 0; i < lines.size() && i < 8; ++i) fmt::print("    {}\n", wrap(lines[i], 74, "      "));
  }
  for (std::size_t i = 0; i < shown; ++i) {
    const std::string name = i < 3 ? kTierNames[i] : "more";
    fmt::print("\n  {}\n", paint(fmt::format("hint {} of {} — {}", i + 1, tiers, name), Tone::Warn));
    for (const std::string& line : lines_of(group->hints[i])) fmt::print("    {}\n", wrap(line, 74, "    "));
  }
  if (shown < tiers)
    fmt::print("\n  Stuck still? `{} hint {} {}` shows hint {} ({}).\n", program_name(), m.id, group->name,
               shown + 1, shown < 3 ? kTierNames[shown] : "more");
  else
    fmt::print("\n  That was the last hint: the rest is yours. The notes page explains the math.\n");
  return 0;
}

// ------------------------------------------------------------------ reset

int run_reset(const std::string& id, bool yes, const CheckOptions& o) {
  const Manifest m = find_lab(o.source, id);
  // The stubs: generated from the solutions where they exist (the repository), else
  // the copies that a student edition ships in .gradlab/stubs/.
  fs::path stubs = o.source / ".gradlab" / "stubs";
  std::optional<fs::path> scratch;
  if (fs::is_directory(o.source / "solutions" / m.slug)) {
    if (!o.no_build) {
      if (auto error = build_targets(o.build, o.source, {"gradlab-stubgen"}, results_dir(o.source, m) / "build-stubgen.log"))
        throw InfrastructureError("building gradlab-stubgen failed: " + error->message);
    }
    scratch = fs::temp_directory_path() / fmt::format("gradlab-reset-{}", ::getpid());
    const ProcessResult p = run_process({{(o.build / "bin" / "gradlab-stubgen").string(), "--root", o.source.string(),
                                          "--write", "--into", scratch->string()}, {}, {60, 300, 0, 1024}});
    if (!p.ok()) throw InfrastructureError("gradlab-stubgen failed: " + tail(p.out + p.err, 3));
    stubs = *scratch;
  }
  struct Change {
    std::string file;
    std::string stub;
  };
  std::vector<Change> changes;
  for (const std::string& file : m.student_files) {
    const fs::path stub = stubs / "labs" / m.slug / file;
    if (!fs::is_regular_file(stub)) {
      if (scratch) fs::remove_all(*scratch);
      throw InfrastructureError(fmt::format("no stub of labs/{}/{} to restore from (looked in {})", m.slug, file,
                                            stub.parent_path().string()));
    }
    const std::string text = read_text(stub);
    if (read_text(m.dir / file) != text) changes.push_back({file, text});
  }
  if (scratch) fs::remove_all(*scratch);
  if (changes.empty()) {
    fmt::print("Lab {}'s files are already the untouched stubs: nothing to reset.\n", m.id);
    return 0;
  }

  const fs::path backup = results_dir(o.source, m) / "backups" / now_utc("%Y%m%d-%H%M%S");
  fmt::print("This puts back the stub of lab {} in:\n", m.id);
  for (const Change& c : changes) fmt::print("  labs/{}/{}\n", m.slug, c.file);
  fmt::print("Your version is kept in {}/.\n", display_path(backup, o.source));
  if (!yes) {
    if (!::isatty(STDIN_FILENO))
      throw UsageError("reset asks before it replaces your work: run it in a terminal, or add --yes");
    fmt::print("Reset? [y/N] ");
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      fmt::print("Nothing changed.\n");
      return 1;
    }
  }
  for (const Change& c : changes) write_file_atomically(backup / c.file, read_text(m.dir / c.file));
  for (const Change& c : changes) write_file_atomically(m.dir / c.file, c.stub);
  // The last check and the hints shown were about the work that is now in the backup.
  std::error_code ec;
  for (const char* name : {"result.json", "hints.json"})
    if (fs::exists(results_dir(o.source, m) / name)) fs::rename(results_dir(o.source, m) / name, backup / name, ec);
  fmt::print("Lab {} is back to its stub; your version is in {}/.\n", m.id, display_path(backup, o.source));
  return 0;
}

// ------------------------------------------------------------------ watch

namespace {

// The lab whose student file was saved last: the one being worked on.
Manifest lab_being_worked_on(const fs::path& source) {
  const std::vector<Manifest> labs = discover_labs(source);
  if (labs.empty()) throw UsageError(fmt::format("no labs found in {}/labs", source.string()));
  const Manifest* latest = &labs.front();
  fs::file_time_type newest = fs::file_time_type::min();
  for (const Manifest& m : labs)
    for (const std::string& file : m.student_files) {
      std::error_code ec;
      const auto t = fs::last_write_time(m.dir / file, ec);
      if (!ec && t > newest) {
        newest = t;
        latest = &m;
      }
    }
  return *latest;
}

}  // namespace

int run_watch(const std::optional<std::string>& id, const CheckOptions& options) {
  const Manifest m = id ? find_lab(options.source, *id) : lab_being_worked_on(options.source);
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  std::vector<FileStamp> seen;
  for (;;) {
    seen = stamp_student_files(m);
    if (tty) fmt::print("\x1b[2J\x1b[H");  // clear the screen, cursor home
    fmt::print("{}\n\n", paint(fmt::format("watching lab {} — save a file to check again, Ctrl-C to stop", m.id), Tone::Dim));
    // The tests alone (seconds); the plots only once they all pass. Results of the
    // tests-only runs go to results/NN_topic/watch/, so the status table is not told
    // a score without the plots.
    CheckOptions quick = options;
    quick.no_plots = true;
    quick.no_bench = true;
    quick.compact = true;
    quick.out_dir = results_dir(options.source, m) / "watch";
    const LabResult r = check_lab(m, quick);
    const TestResult* failing = first_failing(r);
    if (r.status == LabStatus::CompileError) {
      fmt::print("{}\n", paint("Fix the compiler error above and save.", Tone::Warn));
    } else if (failing != nullptr) {
      fmt::print("{} {} {}\n", paint("Next:", Tone::Bold), failing->name, paint(to_string(failing->status), Tone::Bad));
      const auto lines = lines_of(short_message(*failing));
      for (std::size_t i = 0; i < lines.size() && i < 12; ++i) fmt::print("    {}\n", wrap(lines[i], 74, "      "));
      if (const TestGroup* g = find_group(m, failing->group); g != nullptr && !g->hints.empty())
        fmt::print("  {} {}\n  (more: {} hint {})\n", paint("hint:", Tone::Warn), wrap(g->hints.front(), 70, "        "),
                   program_name(), m.id);
    } else if (!m.plots.empty() || m.has_bench) {
      fmt::print("{}\n\n", paint("Every test passes: now the whole check, with the plots.", Tone::Good));
      check_lab(m, options);
    }
    std::fflush(stdout);
    // Poll: a handful of small files, read twice a second, costs nothing and works on
    // every file system and with every editor (rename-on-save included).
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const std::vector<FileStamp> now = stamp_student_files(m);
      const bool changed = !std::equal(now.begin(), now.end(), seen.begin(), seen.end(),
                                       [](const FileStamp& a, const FileStamp& b) { return a.hash == b.hash; });
      if (!changed) continue;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the editor finish writing
      break;
    }
  }
}

}  // namespace gradlab::grader
