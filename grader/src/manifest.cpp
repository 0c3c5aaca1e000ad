#include "manifest.h"

#include "errors.h"
#include "gradlab/toml_reader.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// lab.toml is read with gradlab::TomlTable (gradlab/toml_reader.h), the one TOML
// reader of the project: errors name the file, line, table and key; unknown keys are
// errors. Its TomlError becomes the grader's InfrastructureError in load_manifest.
using TableReader = gradlab::TomlTable;

Limits read_limits(const TableReader& top) {
  Limits limits;
  const std::optional<TableReader> r = top.table("limits");
  if (!r) return limits;
  limits.cpu_seconds = r->number("cpu_seconds", limits.cpu_seconds, 0.1, 86400);
  r->retired("wall_seconds", "CPU time decides: set cpu_seconds; the wall-clock backstop is derived from it");
  limits.memory_mb = static_cast<long>(r->number("memory_mb", static_cast<double>(limits.memory_mb), 16, 1 << 20));
  limits.output_kb = static_cast<long>(r->number("output_kb", static_cast<double>(limits.output_kb), 1, 1 << 20));
  r->reject_unknown_keys();
  return limits;
}

TestGroup read_test_group(const TableReader& r) {
  TestGroup group;
  group.name = r.string("name");
  group.filter = r.string("filter");
  group.points = r.number("points", 0, 0, 1e6);
  group.hints = r.strings("hints", false);
  group.hidden = r.boolean("hidden", false);
  const std::string visibility = r.string("visibility", std::string(group.hidden ? "after_due_date" : "visible"));
  try {
    group.visibility = visibility_from_string(visibility);
  } catch (const std::invalid_argument&) {
    r.fail(nullptr, fmt::format("visibility = \"{}\": it must be \"hidden\", \"after_due_date\", "
                                "\"after_published\" or \"visible\"", visibility));
  }
  r.retired("hint", "write hints = [\"a nudge\", \"the formula\", \"the shape of the code\"]");
  r.reject_unknown_keys();
  if (group.filter.empty()) r.fail(nullptr, "'filter' is empty");
  for (const std::string& hint : group.hints)
    if (hint.empty()) r.fail(nullptr, "a hint is empty");
  return group;
}

Experiment read_experiment(const TableReader& r) {
  Experiment experiment;
  experiment.name = r.string("name");
  experiment.cpu_seconds = r.number("cpu_seconds", experiment.cpu_seconds, 0.1, 86400);
  experiment.y_min = r.number("y_min", experiment.y_min, -1e300, 1e300);
  experiment.y_max = r.number("y_max", experiment.y_max, -1e300, 1e300);
  if (experiment.y_min >= experiment.y_max)
    r.fail(nullptr, fmt::format("y_min = {:g} must be below y_max = {:g}", experiment.y_min, experiment.y_max));
  r.retired("wall_seconds", "CPU time decides: set cpu_seconds; the wall-clock backstop is derived from it");
  r.reject_unknown_keys();
  return experiment;
}

Plot read_plot(const TableReader& r) {
  Plot plot;
  plot.name = r.string("name");
  plot.experiment = r.string("experiment");
  plot.title = r.string("title", plot.name);
  plot.x_label = r.string("x_label", std::string());
  plot.y_label = r.string("y_label", std::string());
  plot.log_x = r.boolean("log_x", false);
  plot.log_y = r.boolean("log_y", false);
  plot.series = r.strings("series", false);
  plot.reference_only = r.strings("reference_only", false);
  plot.style = r.string("style", std::string("lines"));
  plot.match_points = r.number("match_points", 0, 0, 1e6);
  plot.match_tolerance = r.number("match_tolerance", 1e-6, 0, 1e6);
  r.reject_unknown_keys();
  if (plot.style != "lines" && plot.style != "points" && plot.style != "heatmap")
    r.fail(nullptr, fmt::format("style = \"{}\": it must be \"lines\", \"points\" or \"heatmap\"", plot.style));
  if (plot.series.empty() && plot.reference_only.empty())
    r.fail(nullptr, "a plot needs at least one name in 'series' or 'reference_only'");
  if (!std::regex_match(plot.name, std::regex("[A-Za-z0-9_-]+")))
    r.fail(nullptr, fmt::format("plot name \"{}\" must use only letters, digits, '_' and '-' (it names files)", plot.name));
  return plot;
}

// Folder names look like "01_backprop": two digits, an underscore, a topic.
bool is_lab_folder(const std::string& name) {
  return name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_';
}

template <typename T>
void reject_duplicates(const TableReader& top, const std::vector<T>& items, const char* what) {
  std::set<std::string> seen;
  for (const T& item : items)
    if (!seen.insert(item.name).second) top.fail(nullptr, fmt::format("two {} named \"{}\"", what, item.name));
}

// load_manifest's work; TomlError escapes from here.
Manifest read_manifest(const fs::path& file) {
  const toml::table root = TableReader::parse(file);
  Manifest m;
  m.file = file;
  m.dir = file.parent_path();
  m.slug = m.dir.filename().string();
  const TableReader top(file, root, "");
  m.id = top.string("id");
  m.title = top.string("title");
  m.student_files = top.strings("student_files", true);
  m.notes_page = top.string("notes_page", std::string());
  m.limits = read_limits(top);
  m.forbidden_symbols = top.strings("forbidden_symbols", false);
  m.forbidden_reason = top.string("forbidden_reason", std::string());
  m.allowed_symbols = top.strings("allowed_symbols", false);
  for (const std::string& pattern : m.forbidden_symbols)
    if (pattern.size() < 3 || pattern.find_first_not_of("*?") == std::string::npos) top.fail(root.get("forbidden_symbols"), fmt::format("forbidden_symbols: \"{}\" is too short "
                                                                                 "a pattern (it would match almost anything)", pattern));
  for (const TableReader& r : top.tables("tests")) m.tests.push_back(read_test_group(r));
  for (const TableReader& r : top.tables("experiments")) m.experiments.push_back(read_experiment(r));
  for (const TableReader& r : top.tables("plots")) m.plots.push_back(read_plot(r));
  // Lab 10's timed part: its fields are read by gradlab::bench::load_manifest (bench/).
  m.has_bench = root.contains("bench");
  // The rest of [bench] is the bench's to read (and to check: gradlab-bench rejects
  // unknown keys); its points are the grader's, and a missing value must not score 0.
  if (m.has_bench) {
    const auto points = root["bench"]["score"]["points"].value<double>();
    if (!points || *points < 0) top.fail(root.get("bench"), "[bench.score] needs points = N (the performance points)");
    m.bench_points = *points;
    m.bench_full_at = root["bench"]["score"]["full_at"].value_or(m.bench_full_at);
    m.bench_zero_at = root["bench"]["score"]["zero_at"].value_or(m.bench_zero_at);
    if (!(m.bench_zero_at >= 0 && m.bench_full_at > 0 && m.bench_full_at <= 100))
      top.fail(root.get("bench"), fmt::format("[bench.score] full_at = {:g}, zero_at = {:g}: give 0 <= zero_at and "
                                              "0 < full_at <= 100", m.bench_full_at, m.bench_zero_at));
  }
  m.bench_wall_seconds = root["bench"]["wall_seconds"].value_or(m.bench_wall_seconds);
  top.allow("bench");
  top.reject_unknown_keys();

  // Consistency between the parts and with the folder.
  if (!is_lab_folder(m.slug) || m.slug.substr(0, 2) != m.id)
    top.fail(root.get("id"), fmt::format("id = \"{}\" does not match the folder {}", m.id, m.slug));
  if (m.tests.empty()) top.fail(nullptr, "no [[tests]] group: a lab needs at least one");
  reject_duplicates(top, m.tests, "[[tests]] groups");
  reject_duplicates(top, m.experiments, "[[experiments]]");
  reject_duplicates(top, m.plots, "[[plots]]");
  for (const Plot& plot : m.plots) {
    const bool known = std::any_of(m.experiments.begin(), m.experiments.end(),
                                   [&](const Experiment& e) { return e.name == plot.experiment; });
    if (!known)
      top.fail(nullptr, fmt::format("plot \"{}\" names experiment \"{}\", which no [[experiments]] entry defines",
                                    plot.name, plot.experiment));
  }
  for (const std::string& name : m.student_files)
    if (!fs::is_regular_file(m.dir / name))
      top.fail(root.get("student_files"), fmt::format("student file {} does not exist", (m.dir / name).string()));
  return m;
}

}  // namespace

double Manifest::test_points(bool with_hidden) const {
  double total = 0;
  for (const TestGroup& group : tests)
    if (with_hidden || !group.hidden) total += group.points;
  return total;
}

bool Manifest::has_hidden_tests() const {
  return std::any_of(tests.begin(), tests.end(), [](const TestGroup& g) { return g.hidden; });
}

double Manifest::match_points() const {
  double total = 0;
  for (const Plot& plot : plots) total += plot.match_points;
  return total;
}

const Experiment& Manifest::experiment(const std::string& name) const {
  for (const Experiment& e : experiments)
    if (e.name == name) return e;
  throw InfrastructureError(fmt::format("{}: no experiment named \"{}\"", file.string(), name));
}

Manifest load_manifest(const fs::path& file) {
  try {
    return read_manifest(file);
  } catch (const gradlab::TomlError& e) {
    throw InfrastructureError(e.what());
  }
}

std::vector<Manifest> discover_labs(const fs::path& source) {
  const fs::path labs = source / "labs";
  std::vector<Manifest> manifests;
  if (!fs::is_directory(labs)) return manifests;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(labs))
    if (entry.is_directory() && is_lab_folder(entry.path().filename().string()) &&
        fs::is_regular_file(entry.path() / "lab.toml"))
      files.push_back(entry.path() / "lab.toml");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) manifests.push_back(load_manifest(file));
  return manifests;
}

Manifest find_lab(const fs::path& source, const std::string& id) {
  // "1" and "01" and "01_backprop" all name lab 01.
  std::string wanted = id;
  if (wanted.size() == 1 && std::isdigit(static_cast<unsigned char>(wanted[0]))) wanted = "0" + wanted;
  if (wanted.size() > 2) wanted = wanted.substr(0, 2);
  const fs::path labs = source / "labs";
  std::vector<std::string> known;
  if (fs::is_directory(labs)) {
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(labs))
      if (entry.is_directory() && is_lab_folder(entry.path().filename().string()) &&
          fs::is_regular_file(entry.path() / "lab.toml"))
        folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      const std::string slug = folder.filename().string();
      if (slug.substr(0, 2) == wanted && (id.size() <= 2 || slug == id)) return load_manifest(folder / "lab.toml");
      known.push_back(slug.substr(0, 2));
    }
  }
  throw UsageError(fmt::format("there is no lab \"{}\" in {} (known labs: {})", id, labs.string(),
                               known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
}

}  // namespace gradlab::grader
