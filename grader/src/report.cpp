#include "report.h"

#include "build.h"
#include "errors.h"
#include "experiment.h"
#include "gradescope.h"
#include "process.h"
#include "renderers.h"
#include "report_html.h"
#include "result.h"
#include "similarity.h"
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

// True when every member of the archive stays inside the folder it is unpacked into: no
// absolute name, no ".." component, no symbolic or hard link (which could point out).
bool safe_archive(const fs::path& archive) {
  const ProcessLimits limits{60, 180, 2048, 4096};
  const ProcessResult names = run_process({{"cmake", "-E", "tar", "tf", archive.string()}, {}, limits});
  const ProcessResult long_list = run_process({{"cmake", "-E", "tar", "tvf", archive.string()}, {}, limits});
  if (!names.ok() || !long_list.ok()) return false;
  for (const std::string& name : lines_of(names.out))
    if (name.starts_with("/") || name == ".." || name.starts_with("../") || name.find("/../") != std::string::npos ||
        name.ends_with("/.."))
      return false;
  for (const std::string& line : lines_of(long_list.out))
    if (!line.empty() && line[0] != '-' && line[0] != 'd') return false;  // a link, a device, a fifo
  return true;
}

// An archive is unpacked (by CMake's own tar, which reads .zip and .tar.gz alike) into
// out/submissions/<id>, afresh each run: an archive may change.
Submission intake(const fs::path& path, const fs::path& out) {
  Submission s{submission_id(path), path};
  if (fs::is_directory(path)) return s;
  const std::string name = path.filename().string();
  if (!name.ends_with(".zip") && !name.ends_with(".tar.gz") && !name.ends_with(".tgz"))
    throw UsageError(fmt::format("report: {} is neither a folder nor a .zip, .tar.gz or .tgz file", path.string()));
  s.root = out / "submissions" / s.id;
  fs::remove_all(s.root);
  fs::create_directories(s.root);
  // Unpacked like any other untrusted input: checked first, then limited.
  const bool unpacked = safe_archive(path) &&
                        run_process({{"cmake", "-E", "tar", "xf", path.string()}, s.root, {60, 180, 2048, 256}}).ok();
  if (!unpacked) {
    fmt::print(stderr, "report: {}: not a readable archive, or a member would land outside it: graded as empty\n",
               path.string());
    s.root.clear();  // every lab not started
  }
  return s;
}

// The files a submission handed in for each lab, kept in out/files/<id>/<NN>/: the
// similarity check reads them from there, in one run and in a merge of shards alike.
void keep_submitted_files(const Submission& s, const std::vector<Manifest>& labs, const fs::path& out) {
  constexpr std::uintmax_t kLargest = 1 << 20;  // a bigger "source file" is not compared
  for (const Manifest& m : labs) {
    const fs::path dir = out / "files" / s.id / m.id;
    fs::remove_all(dir);
    if (s.root.empty()) continue;
    for (const std::string& file : m.student_files) {
      const auto found = find_submitted(s.root, m, file);
      std::error_code ec;
      if (found && fs::is_regular_file(*found, ec) && fs::file_size(*found, ec) <= kLargest)
        write_file_atomically(dir / file, read_text(*found));
    }
  }
}

// ---------------------------------------------------------------- one grading


struct Task {
  const Submission* submission;
  const Manifest* lab;
};

// The result of a grading that produced none (the child grader itself failed).
LabResult ungraded_result(const Manifest& m, bool plots, const std::string& why, const std::string& context,
                          const fs::path& log) {
  LabResult r;
  r.lab = m.id;
  r.slug = m.slug;
  r.title = m.title;
  r.status = LabStatus::Failing;
  r.plots_checked = plots;
  r.max = m.test_points() + (plots ? m.match_points() : 0) + m.bench_points;
  r.compile_error = CompileError{"", 0, 0, why, context, log.string()};
  r.checked_at = now_iso8601();
  return r;
}

struct Grader {
  const ReportOptions& o;

  // The folders of the class inside the source tree (the only tree the sandbox mounts).
  std::vector<fs::path> private_folders() const {
    std::vector<fs::path> folders{o.out};
    folders.insert(folders.end(), o.submissions.begin(), o.submissions.end());
    std::erase_if(folders, [&](const fs::path& f) {
      const fs::path rel = fs::absolute(f).lexically_normal().lexically_relative(o.source);
      return rel.empty() || rel.native().starts_with("..") || !fs::is_directory(f);
    });
    return folders;
  }

  fs::path result_file(const Task& t) const { return o.out / "results" / t.submission->id / (t.lab->id + ".json"); }

  // The hashes of the files the submission has for the lab (the stub's where it has none).
  std::vector<FileStamp> stamps(const Task& t) const {
    std::vector<FileStamp> stamps;
    for (const std::string& file : t.lab->student_files) {
      const auto found = t.submission->root.empty() ? std::nullopt : find_submitted(t.submission->root, *t.lab, file);
      stamps.push_back({file, hash_file(found ? *found : t.lab->dir / file)});
    }
    return stamps;
  }

  // True when the stored result was made from the same files (so it is kept).
  bool up_to_date(const Task& t) const {
    if (o.regrade) return false;
    try {
      const LabResult old = lab_result_from_json(json::parse(read_text(result_file(t))));
      const std::vector<FileStamp> now = stamps(t);
      if (old.files.size() != now.size()) return false;
      for (std::size_t i = 0; i < now.size(); ++i)
        if (old.files[i].path != now[i].path || old.files[i].hash != now[i].hash) return false;
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // Grades one submission's lab in a child `grader autograde` (the Gradescope runner's
  // grading: a working build derived from the prepared one, hidden groups included);
  // returns false when the stored result was kept.
  bool grade(const Task& t) const {
    if (up_to_date(t)) return false;
    const Manifest& m = *t.lab;
    const fs::path work = o.out / "work" / t.submission->id / m.slug;
    fs::remove_all(work);
    fs::create_directories(work / "empty");
    const fs::path submission = t.submission->root.empty() ? work / "empty" : t.submission->root;
    // The child is this grader again ("/proc/self/exe" in the forked child names it).
    std::vector<std::string> argv{"/proc/self/exe", "--source", o.source.string(), "--build", o.build.string(),
                                  "--color", "never", "autograde", "--labs", m.id, "--submission", submission.string(),
                                  "--work", (work / "copy").string(), "--results", (work / "gradescope.json").string(),
                                  "--json", (work / "result.json").string()};
    if (o.no_plots) argv.push_back("--no-plots");
    // Inside the sandbox the instructor's tree is visible: the report's own folder and
    // every submission kept in it are hidden, so that no submission reads another.
    for (const fs::path& folder : private_folders()) argv.insert(argv.end(), {"--private", folder.string()});
    if (o.allow_unisolated) argv.push_back("--allow-unisolated");
    const ProcessResult p = run_process({argv, {}, {0, 3 * 3600, 0, 4096}});
    write_file_atomically(work / "grade.log", p.out + p.err);
    LabResult result;
    try {
      result = lab_result_from_json(json::parse(read_text(work / "result.json")).at(0));
    } catch (const std::exception& e) {
      result = ungraded_result(m, !o.no_plots, fmt::format("the grader could not grade it ({})", e.what()),
                               tail(p.out + p.err, 8), work / "grade.log");
    }
    result.files = stamps(t);
    write_file_atomically(result_file(t), to_json(result).dump(2) + "\n");
    return true;
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
      row.push_back(it == by_lab.end() ? "not graded" : to_string(it->second.status));
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

// The pairs of submissions whose files for a lab are suspiciously alike, from the
// files kept under \p from's files/ folders; the lab's stub is the given code.
std::vector<SimilarFiles> find_similar(const ReportOptions& o, const std::vector<Manifest>& labs,
                                       const std::vector<fs::path>& from) {
  std::vector<SimilarFiles> similar;
  for (const Manifest& m : labs)
    for (const std::string& file : m.student_files) {
      std::map<std::string, std::string> texts;  // student → text
      for (const fs::path& dir : from) {
        if (!fs::is_directory(dir / "files")) continue;
        for (const auto& student : fs::directory_iterator(dir / "files"))
          if (fs::is_regular_file(student.path() / m.id / file))
            texts[student.path().filename().string()] = read_text(student.path() / m.id / file);
      }
      std::vector<SubmittedFile> files;
      for (const auto& [student, text] : texts) files.push_back({student, text});
      const std::string given = fs::is_regular_file(m.dir / file) ? read_text(m.dir / file) : "";
      for (SimilarPair& pair : similar_pairs(files, given, {.threshold = o.similarity_threshold}))
        similar.push_back({m.id, file, texts[pair.a], texts[pair.b], std::move(pair)});
    }
  std::string csv = csv_line({"lab", "file", "student_a", "student_b", "similarity", "identical"});
  for (const SimilarFiles& s : similar)
    csv += csv_line({s.lab, s.file, s.pair.a, s.pair.b, fmt::format("{:.3f}", s.pair.similarity),
                     s.pair.identical ? "yes" : "no"});
  write_file_atomically(o.out / "similarity.csv", csv);
  return similar;
}

int write_outputs(const ReportOptions& o, const std::vector<Manifest>& labs, const std::vector<fs::path>& from) {
  const auto results = read_results(from);
  write_gradebooks(results, labs, o.out);
  write_html_report(results, labs, find_similar(o, labs, from), o.out);
  // Per student, the same results for other tools: JUnit XML and Gradescope's results.json.
  for (const auto& [id, by_lab] : results) {
    std::vector<LabResult> all;
    for (const auto& [lab, r] : by_lab) all.push_back(r);
    write_file_atomically(o.out / "students" / id / "junit.xml", junit_xml(all));
    write_file_atomically(o.out / "students" / id / "results.json", gradescope_results(all, {}).dump(2) + "\n");
  }
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
  for (const Submission& s : submissions) keep_submitted_files(s, labs, o.out);

  // Prepare: every lab's programs built once, the reference's results cached.
  Grader grader{o};
  fmt::print("report: preparing {} (building every lab's programs once)\n", o.build.string());
  for (const Manifest& m : labs) {
    if (const auto error = build_targets(o.build, o.source, autograder_targets(m, o.source), o.out / "prepare.log"))
      throw InfrastructureError(fmt::format("the prepared build does not build lab {}: {}:{}: {}", m.id, error->file,
                                            error->line, error->message));
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
