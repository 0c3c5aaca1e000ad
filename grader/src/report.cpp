#include "report.h"

#include "build.h"
#include "console.h"
#include "errors.h"
#include "experiment.h"
#include "process.h"
#include "report_html.h"
#include "result.h"
#include "text.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace gradlab::grader {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------- submissions

struct Submission {
  std::string id;
  fs::path root;  // the folder holding the student's files (an archive is unpacked first)
};

bool ends_with(const std::string& text, const std::string& end) { return text.ends_with(end); }

// An archive is unpacked into out/submissions/<id> (afresh each run: an archive may change).
Submission intake(const fs::path& path, const fs::path& out) {
  Submission s{submission_id(path), path};
  if (fs::is_directory(path)) return s;
  const std::string name = path.filename().string();
  std::vector<std::string> argv;
  s.root = out / "submissions" / s.id;
  if (ends_with(name, ".zip")) argv = {"unzip", "-qq", "-o", path.string(), "-d", s.root.string()};
  else if (ends_with(name, ".tar.gz") || ends_with(name, ".tgz")) argv = {"tar", "-xzf", path.string(), "-C", s.root.string()};
  else throw UsageError(fmt::format("report: {} is neither a folder nor a .zip, .tar.gz or .tgz file", path.string()));
  fs::remove_all(s.root);
  fs::create_directories(s.root);
  // Unpacked like any other untrusted input: limited, and never outside s.root (unzip
  // and GNU tar strip leading "/" and "../" from member names).
  const ProcessResult p = run_process({argv, {}, {60, 180, 2048, 256}});
  if (!p.ok()) s.root.clear();  // graded as "no files": every lab not started
  return s;
}

// ---------------------------------------------------------------- derived builds

// How the prepared build makes one of a lab's student executables: the compile command
// of each student file and the link command, as Ninja would run them in the build folder.
struct Recipe {
  std::map<std::string, std::string> compile;  // student file → command
  std::map<std::string, std::string> object;   // student file → its object in the prepared build
  std::string link;
  std::string program;  // bin/labNN_…_student, relative to the build folder
};

Recipe derive_recipe(const fs::path& build, const Manifest& m, const std::string& target) {
  const ProcessResult p = run_process({{"ninja", "-C", build.string(), "-t", "commands", target}, {}, {60, 120, 0, 65536}});
  if (!p.ok())
    throw InfrastructureError(fmt::format("report needs a Ninja build: `ninja -C {} -t commands {}` failed: {}",
                                          build.string(), target, trim(p.err + p.out)));
  Recipe r;
  r.program = "bin/" + target;
  for (const std::string& line : lines_of(p.out)) {
    if (line.find(" -o " + r.program + " ") != std::string::npos || line.ends_with(" -o " + r.program)) r.link = line;
    for (const std::string& file : m.student_files) {
      const std::string source = (m.dir / file).string();
      if (!line.ends_with(" -c " + source)) continue;
      const auto at = line.find(" -o ");
      const auto end = line.find(' ', at + 4);
      r.object[file] = line.substr(at + 4, end - at - 4);
      r.compile[file] = line;
    }
  }
  if (r.link.empty() || r.compile.size() != m.student_files.size())
    throw InfrastructureError(fmt::format("report: cannot read how {} builds {} (ninja -t commands)", build.string(), target));
  return r;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

// Runs \p command with sh in the prepared build folder, under the limits of a compile.
ProcessResult run_build_command(const std::string& command, const fs::path& build) {
  return run_process({{"sh", "-c", command}, build, {300, 900, 4096, 4096}});
}

// ---------------------------------------------------------------- one grading

struct Task {
  const Submission* submission;
  const Manifest* lab;
};

std::vector<FileStamp> stamps_of(const fs::path& lab_dir, const Manifest& m) {
  std::vector<FileStamp> stamps;
  for (const std::string& file : m.student_files) stamps.push_back({file, hash_file(lab_dir / file)});
  return stamps;
}

LabResult unbuilt_result(const Manifest& m, bool plots, const std::string& status, std::optional<CompileError> error) {
  LabResult r;
  r.lab = m.id;
  r.slug = m.slug;
  r.title = m.title;
  r.status = status;
  r.plots_checked = plots;
  r.max = m.test_points() + (plots ? m.match_points() : 0) + m.bench_points;
  r.compile_error = std::move(error);
  r.checked_at = now_iso8601();
  return r;
}

struct Grader {
  const ReportOptions& o;
  std::map<std::string, std::vector<Recipe>> recipes;  // lab id → its student executables

  fs::path result_file(const Task& t) const { return o.out / "results" / t.submission->id / (t.lab->id + ".json"); }

  // True when the stored result was made from the same files (so it is kept).
  bool up_to_date(const Task& t, const std::vector<FileStamp>& stamps) const {
    if (o.regrade) return false;
    try {
      const LabResult old = lab_result_from_json(json::parse(read_text(result_file(t))));
      if (old.files.size() != stamps.size()) return false;
      for (std::size_t i = 0; i < stamps.size(); ++i)
        if (old.files[i].path != stamps[i].path || old.files[i].hash != stamps[i].hash) return false;
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // Grades one submission's lab; returns false when the stored result was kept.
  bool grade(const Task& t) const {
    const Manifest& m = *t.lab;
    const fs::path work = o.out / "work" / t.submission->id / m.slug;
    const fs::path files = work / "files";
    fs::remove_all(work);
    fs::create_directories(files);
    // Only the files lab.toml names come from the submission; a missing one is the stub.
    for (const std::string& file : m.student_files) {
      const auto found = t.submission->root.empty() ? std::nullopt : find_student_file(t.submission->root, m, file);
      fs::create_directories((files / file).parent_path());
      fs::copy_file(found ? *found : m.dir / file, files / file, fs::copy_options::overwrite_existing);
    }
    const std::vector<FileStamp> stamps = stamps_of(files, m);
    if (up_to_date(t, stamps)) return false;

    LabResult result = build_and_check(t, work, files);
    result.files = stamps;
    result.variant = "student";
    write_file_atomically(result_file(t), to_json(result).dump(2) + "\n");
    return true;
  }

  LabResult build_and_check(const Task& t, const fs::path& work, const fs::path& files) const {
    const Manifest& m = *t.lab;
    fs::create_directories(work / "bin");
    fs::create_directories(work / "obj");
    std::string log;
    for (const Recipe& r : recipes.at(m.id)) {
      std::string link = r.link;
      for (const auto& [file, command] : r.compile) {
        const fs::path object = work / "obj" / (file + ".o");
        if (!fs::exists(object)) {
          std::string c = replace_all(command, " -o " + r.object.at(file) + " ", " -o " + object.string() + " ");
          c = replace_all(c, " -MF " + r.object.at(file) + ".d", " -MF " + object.string() + ".d");
          c = replace_all(c, " -c " + (m.dir / file).string(), " -c " + (files / file).string());
          const ProcessResult p = run_build_command(c, o.build);
          log += p.out + p.err;
          if (!p.ok()) {
            write_file_atomically(work / "build.log", log);
            auto error = parse_compile_error(p.out + p.err, work);
            if (!error) error = CompileError{file, 0, 0, p.timed_out ? "the compiler ran out of time" : "the compiler failed", tail(p.err, 8), {}};
            error->log = (work / "build.log").string();
            return unbuilt_result(m, !o.no_plots, "compile error", error);
          }
        }
        link = replace_all(link, " " + r.object.at(file) + " ", " " + object.string() + " ");
      }
      link = replace_all(link, " -o " + r.program + " ", " -o " + (work / r.program).string() + " ");
      const ProcessResult p = run_build_command(link, o.build);
      log += p.out + p.err;
      if (!p.ok()) {
        write_file_atomically(work / "build.log", log);
        auto error = parse_compile_error(p.out + p.err, work);
        if (!error) error = CompileError{"", 0, 0, "linking failed", tail(p.err, 8), {}};
        error->log = (work / "build.log").string();
        return unbuilt_result(m, !o.no_plots, "compile error", error);
      }
    }
    write_file_atomically(work / "build.log", log);
    // What the child grader finds in its "build folder": the student's executables, and
    // the prepared build's reference programs, bench and reference-result cache.
    for (const auto& entry : fs::directory_iterator(o.build / "bin"))
      if (!fs::exists(work / "bin" / entry.path().filename()))
        fs::create_symlink(entry.path(), work / "bin" / entry.path().filename());
    fs::create_symlink(o.build / "reference-series", work / "reference-series");
    // The child is this grader again ("/proc/self/exe" in the forked child names it).
    std::vector<std::string> argv{"/proc/self/exe", "--source", o.source.string(), "--build", work.string(),
                                  "--color", "never", "check", m.id, "--no-build", "--out", (work / "out").string(),
                                  "--json", (work / "result.json").string()};
    if (o.no_plots) argv.push_back("--no-plots");
    const ProcessResult p = run_process({argv, {}, {0, 3600, 0, 4096}});
    write_file_atomically(work / "check.log", p.out + p.err);
    try {
      json doc = json::parse(read_text(work / "result.json"));
      if (doc.is_array()) doc = doc.at(0);
      return lab_result_from_json(doc);
    } catch (const std::exception& e) {
      return unbuilt_result(m, !o.no_plots, "failing", CompileError{"", 0, 0, fmt::format("the grader could not grade it: {}", e.what()),
                                                       tail(p.out + p.err, 8), (work / "check.log").string()});
    }
  }
};

// ---------------------------------------------------------------- progress

class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), start_(std::chrono::steady_clock::now()) {}

  void done(bool graded) {
    std::lock_guard lock(mutex_);
    ++finished_;
    if (!graded) ++kept_;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::size_t fresh = finished_ - kept_;
    const std::string left = fresh == 0 || finished_ == total_
                                 ? ""
                                 : fmt::format(" · about {:.0f} s left", seconds / static_cast<double>(fresh) *
                                                                              static_cast<double>(total_ - finished_));
    const std::string line = fmt::format("graded {}/{} ({} unchanged){}", finished_, total_, kept_, left);
    if (isatty(1)) {
      const int width = 24;
      const auto filled = static_cast<int>(width * finished_ / std::max<std::size_t>(total_, 1));
      fmt::print("\r[{}{}] {}\x1b[K", std::string(static_cast<std::size_t>(filled), '#'),
                 std::string(static_cast<std::size_t>(width - filled), ' '), line);
      if (finished_ == total_) fmt::print("\n");
    } else {
      fmt::print("{}\n", line);
    }
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
  std::size_t total_, finished_ = 0, kept_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// ---------------------------------------------------------------- outputs

// Every stored result under \p dirs' results/<id>/<NN>.json, by id then lab.
ClassResults read_results(const std::vector<fs::path>& dirs) {
  ClassResults results;
  for (const fs::path& dir : dirs) {
    if (!fs::is_directory(dir / "results"))
      throw UsageError(fmt::format("report --merge: {} holds no results/ folder (is it a report's --out?)", dir.string()));
    for (const auto& student : fs::directory_iterator(dir / "results"))
      for (const auto& file : fs::directory_iterator(student.path())) {
        if (file.path().extension() != ".json") continue;
        try {
          results[student.path().filename().string()][file.path().stem().string()] =
              lab_result_from_json(json::parse(read_text(file.path())));
        } catch (const std::exception& e) {
          throw InfrastructureError(fmt::format("{}: not a grader result ({})", file.path().string(), e.what()));
        }
      }
  }
  return results;
}

void write_gradebooks(const ClassResults& results,
                      const std::vector<Manifest>& labs, const fs::path& out) {
  std::vector<std::string> header{"student"};
  for (const Manifest& m : labs) {
    header.push_back("lab" + m.id);
    header.push_back("lab" + m.id + "_status");
  }
  header.push_back("total");
  header.push_back("max");
  std::string book = csv_line(header);
  std::string groups = csv_line({"student", "lab", "group", "points", "max", "passed", "tests"});
  for (const auto& [id, by_lab] : results) {
    std::vector<std::string> row{id};
    double total = 0, max = 0;
    for (const Manifest& m : labs) {
      const auto it = by_lab.find(m.id);
      row.push_back(it == by_lab.end() ? "" : fmt::format("{:.2f}", it->second.score));
      row.push_back(it == by_lab.end() ? "not graded" : it->second.status);
      if (it == by_lab.end()) continue;
      total += it->second.score;
      max += it->second.max;
      for (const GroupScore& g : it->second.groups)
        groups += csv_line({id, m.id, g.name, fmt::format("{:.2f}", g.score), fmt::format("{:g}", g.points),
                            std::to_string(g.passed), std::to_string(g.total)});
    }
    row.push_back(fmt::format("{:.2f}", total));
    row.push_back(fmt::format("{:g}", max));
    book += csv_line(row);
  }
  write_file_atomically(out / "gradebook.csv", book);
  write_file_atomically(out / "gradebook-groups.csv", groups);
}

int write_outputs(const ReportOptions& o, const std::vector<Manifest>& labs, const std::vector<fs::path>& from) {
  const auto results = read_results(from);
  write_gradebooks(results, labs, o.out);
  write_html_report(results, labs, o.out);
  fmt::print("report: {} student(s); gradebook {}, class report {}\n", results.size(),
             (o.out / "gradebook.csv").string(), (o.out / "index.html").string());
  return 0;
}

}  // namespace

std::pair<int, int> parse_shard(const std::string& text) {
  int index = 0, count = 0;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> index >> slash >> count) || slash != '/' || !in.eof() || count < 1 || index < 1 || index > count)
    throw UsageError(fmt::format("--shard {}: give I/N with 1 ≤ I ≤ N, e.g. --shard 2/4", text));
  return {index, count};
}

std::string submission_id(const fs::path& submission) {
  std::string name = submission.filename().empty() ? submission.parent_path().filename().string()
                                                   : submission.filename().string();
  for (const char* suffix : {".tar.gz", ".tgz", ".zip"})
    if (name.ends_with(suffix) && name.size() > std::string(suffix).size()) {
      name.resize(name.size() - std::string(suffix).size());
      break;
    }
  for (char& c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
  return name.empty() || name == "." || name == ".." ? "_" : name;
}

std::optional<fs::path> find_student_file(const fs::path& root, const Manifest& m, const std::string& file) {
  std::vector<fs::path> roots{root};
  std::vector<fs::path> children;
  for (const auto& entry : fs::directory_iterator(root)) children.push_back(entry.path());
  if (children.size() == 1 && fs::is_directory(children.front())) roots.push_back(children.front());
  for (const fs::path& r : roots)
    for (const fs::path& candidate : {r / file, r / "labs" / m.slug / file, r / m.slug / file})
      if (fs::is_regular_file(fs::symlink_status(candidate))) return candidate;
  return std::nullopt;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    if (i > 0) line += ',';
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      line += f;
    } else {
      line += '"';
      for (char c : f) line += c == '"' ? std::string("\"\"") : std::string(1, c);
      line += '"';
    }
  }
  return line + "\n";
}

int run_report(const ReportOptions& o) {
  std::vector<Manifest> labs;
  if (o.labs.empty()) labs = discover_labs(o.source);
  for (const std::string& id : o.labs) labs.push_back(find_lab(o.source, id));
  if (!o.merge.empty()) return write_outputs(o, labs, o.merge);
  if (o.submissions.empty()) throw UsageError("report: name the submissions (folders, .zip or .tar.gz files)");

  // The slice of the class this run grades: submissions in id order, every N-th.
  std::vector<fs::path> paths = o.submissions;
  std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) { return submission_id(a) < submission_id(b); });
  for (std::size_t i = 1; i < paths.size(); ++i)
    if (submission_id(paths[i]) == submission_id(paths[i - 1]))
      throw UsageError(fmt::format("report: {} and {} have the same student id", paths[i - 1].string(), paths[i].string()));
  std::vector<Submission> submissions;
  fs::create_directories(o.out);
  for (std::size_t i = 0; i < paths.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(o.shard_count)) == o.shard_index - 1)
      submissions.push_back(intake(fs::absolute(paths[i]), o.out));

  // Prepare: every lab's programs built once, the reference's results cached.
  Grader grader{o, {}};
  fmt::print("report: preparing {} (building every lab's programs once)\n", o.build.string());
  for (const Manifest& m : labs) {
    if (const auto error = build_targets(o.build, o.source, lab_targets(m, "student"), o.out / "prepare.log"))
      throw InfrastructureError(fmt::format("the prepared build does not build lab {}: {}:{}: {}", m.id, error->file,
                                            error->line, error->message));
    grader.recipes[m.id].push_back(derive_recipe(o.build, m, fmt::format("lab{}_tests_student", m.id)));
    if (!m.experiments.empty())
      grader.recipes[m.id].push_back(derive_recipe(o.build, m, fmt::format("lab{}_experiment_student", m.id)));
    if (!o.no_plots)
      for (const Experiment& e : m.experiments)
        reference_experiment(m, e, o.build / "bin", o.out / "reference", o.build / "reference-series");
  }

  std::vector<Task> tasks;
  for (const Submission& s : submissions)
    for (const Manifest& m : labs) tasks.push_back({&s, &m});
  fmt::print("report: grading {} submission(s) × {} lab(s) with {} job(s)\n", submissions.size(), labs.size(), o.jobs);
  Progress progress(tasks.size());
  std::atomic<std::size_t> next{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  auto worker = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      bool graded = true;
      try {
        graded = grader.grade(tasks[i]);
      } catch (const std::exception& e) {  // one submission's trouble never stops the run
        std::lock_guard lock(failures_mutex);
        failures.push_back(fmt::format("{} lab {}: {}", tasks[i].submission->id, tasks[i].lab->id, e.what()));
      }
      progress.done(graded);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, o.jobs); ++j) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  for (const std::string& f : failures) fmt::print(stderr, "report: could not grade {}\n", f);
  write_outputs(o, labs, {o.out});
  return failures.empty() ? 0 : 1;
}

}  // namespace gradlab::grader
