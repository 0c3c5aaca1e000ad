// Reading lab 10's manifest: the [bench] section of labs/10_matmul/lab.toml.
#include "gradlab/bench/bench.h"

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>

namespace gradlab::bench {
namespace {

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& key, const std::string& what) {
  throw Error(file.string() + ": [bench] " + key + ": " + what);
}

template <typename T>
T get(const toml::table& table, const std::string& key, T fallback, const std::filesystem::path& file,
      const std::string& where) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return fallback;
  if (auto v = node->value<T>()) return *v;
  bad(file, where + key, "has the wrong type");
}

// A key this reader does not know is a typo until proven otherwise: an error naming
// it, never a silently ignored setting (a misspelt score key once scored 0).
void reject_unknown_keys(const toml::table& table, std::initializer_list<const char*> known,
                         const std::filesystem::path& file, const std::string& where) {
  for (const auto& [key, node] : table) {
    const bool listed = std::any_of(known.begin(), known.end(), [&](const char* k) { return key.str() == k; });
    if (!listed) {
      std::string names;
      for (const char* k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      bad(file, where + std::string(key.str()), "unknown key (known: " + names + ")");
    }
  }
}

}  // namespace

void load_manifest(const std::filesystem::path& lab_toml, Options& options) {
  toml::table root;
  try {
    root = toml::parse_file(lab_toml.string());
  } catch (const toml::parse_error& e) {
    throw Error(lab_toml.string() + ": " + std::string(e.description()));
  }
  const toml::table* bench = root["bench"].as_table();
  if (bench == nullptr) throw Error(lab_toml.string() + ": no [bench] section");
  // wall_seconds is the grader's: its limit for the whole bench process.
  reject_unknown_keys(*bench, {"threads", "samples", "min_sample_ms", "max_seconds_per_shape", "wall_seconds",
                               "sizes", "shapes", "score", "targets"},
                      lab_toml, "");

  options.threads = static_cast<int>(get<int64_t>(*bench, "threads", options.threads, lab_toml, ""));
  options.samples = static_cast<int>(get<int64_t>(*bench, "samples", options.samples, lab_toml, ""));
  options.min_sample_seconds =
      get<double>(*bench, "min_sample_ms", options.min_sample_seconds * 1e3, lab_toml, "") / 1e3;
  options.max_seconds_per_shape =
      get<double>(*bench, "max_seconds_per_shape", options.max_seconds_per_shape, lab_toml, "");
  if (options.threads < 1 || options.samples < 1 || options.min_sample_seconds <= 0.0 ||
      options.max_seconds_per_shape <= 0.0) {
    bad(lab_toml, "threads/samples/min_sample_ms/max_seconds_per_shape", "must all be positive");
  }

  std::vector<Shape> shapes;
  if (const toml::array* sizes = bench->get_as<toml::array>("sizes")) {
    for (const auto& node : *sizes) {
      const auto n = node.value<int64_t>();
      if (!n || *n < 1) bad(lab_toml, "sizes", "must be positive integers");
      shapes.push_back({std::to_string(*n), *n, *n, *n, false, false});
    }
  }
  if (const toml::array* list = bench->get_as<toml::array>("shapes")) {
    for (const auto& node : *list) {
      const toml::table* t = node.as_table();
      if (t == nullptr) bad(lab_toml, "shapes", "every entry must be a table {label, m, n, k, ...}");
      reject_unknown_keys(*t, {"label", "m", "n", "k", "trans_a", "trans_b"}, lab_toml, "shapes.");
      Shape s;
      s.label = get<std::string>(*t, "label", "", lab_toml, "shapes.");
      s.m = get<int64_t>(*t, "m", 0, lab_toml, "shapes.");
      s.n = get<int64_t>(*t, "n", 0, lab_toml, "shapes.");
      s.k = get<int64_t>(*t, "k", 0, lab_toml, "shapes.");
      s.trans_a = get<bool>(*t, "trans_a", false, lab_toml, "shapes.");
      s.trans_b = get<bool>(*t, "trans_b", false, lab_toml, "shapes.");
      if (s.label.empty() || s.m < 1 || s.n < 1 || s.k < 1) {
        bad(lab_toml, "shapes", "each needs a label and m, n, k >= 1");
      }
      shapes.push_back(s);
    }
  }
  if (shapes.empty()) bad(lab_toml, "sizes", "no sizes or shapes to time");
  options.shapes = shapes;

  if (const toml::table* score = bench->get_as<toml::table>("score")) {
    reject_unknown_keys(*score, {"points", "full_at", "zero_at"}, lab_toml, "score.");
    options.score.points = get<double>(*score, "points", options.score.points, lab_toml, "score.");
    options.score.full_at = get<double>(*score, "full_at", options.score.full_at, lab_toml, "score.");
    options.score.zero_at = get<double>(*score, "zero_at", options.score.zero_at, lab_toml, "score.");
    if (!(options.score.points >= 0.0) || !(options.score.full_at > 0.0) ||
        !(options.score.zero_at >= 0.0 && options.score.zero_at < options.score.full_at)) {
      bad(lab_toml, "score", "needs points >= 0 and 0 <= zero_at < full_at");
    }
  }

  if (const toml::table* targets = bench->get_as<toml::table>("targets")) {
    reject_unknown_keys(*targets, {"peak_sizes", "percent_of_peak", "over_eigen", "scaling_size", "scaling_threads",
                                   "scaling", "odd_percent_of_peak", "explained_in"},
                        lab_toml, "targets.");
    Targets& t = options.targets;
    t.present = true;
    if (const toml::array* sizes = targets->get_as<toml::array>("peak_sizes")) {
      for (const auto& node : *sizes) {
        const auto n = node.value<int64_t>();
        if (!n || *n < 1) bad(lab_toml, "targets.peak_sizes", "must be positive integers");
        t.peak_sizes.push_back(*n);
      }
    }
    t.percent_of_peak = get<double>(*targets, "percent_of_peak", t.percent_of_peak, lab_toml, "targets.");
    t.over_eigen = get<double>(*targets, "over_eigen", t.over_eigen, lab_toml, "targets.");
    t.scaling_size = get<int64_t>(*targets, "scaling_size", t.scaling_size, lab_toml, "targets.");
    t.scaling_threads = static_cast<int>(get<int64_t>(*targets, "scaling_threads", t.scaling_threads, lab_toml, "targets."));
    t.scaling = get<double>(*targets, "scaling", t.scaling, lab_toml, "targets.");
    t.odd_percent_of_peak = get<double>(*targets, "odd_percent_of_peak", t.odd_percent_of_peak, lab_toml, "targets.");
    t.explained_in = get<std::string>(*targets, "explained_in", "", lab_toml, "targets.");
    if (t.scaling_size < 1) bad(lab_toml, "targets.scaling_size", "must be positive");
    if (t.scaling_threads < 1) bad(lab_toml, "targets.scaling_threads", "must be positive");
  }
}

}  // namespace gradlab::bench
