#include "gradlab/experiment/recorder.h"

#include "gradlab/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace gradlab::experiment {

Recorder::Recorder(std::string lab, std::string name) : lab_(std::move(lab)), name_(std::move(name)) {}

bool Recorder::part(const std::string& name, const std::function<void()>& body) {
  parts_.push_back(name);
  if (only_ && *only_ != name) return false;
  touched_series_.clear();
  touched_scalars_.clear();
  std::string error;
  try {
    body();
    return true;
  } catch (const std::exception& e) {  // NotImplemented, a shape error, bad_alloc: the part is lost, not the run
    error = e.what();
  }
  for (const std::string& s : touched_series_) series_.erase(s);
  for (const std::string& s : touched_scalars_) scalars_.erase(s);
  failures_.push_back({name, error});
  return false;
}

void Recorder::add(const std::string& series, double x, double y) {
  Series& s = series_[series];
  s.x.push_back(x);
  s.y.push_back(y);
  touched_series_.insert(series);
}

void Recorder::scalar(const std::string& name, double value) {
  scalars_[name] = value;
  touched_scalars_.insert(name);
}

const Series& Recorder::series(const std::string& name) const {
  static const Series empty;
  auto it = series_.find(name);
  return it == series_.end() ? empty : it->second;
}

namespace {
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json to_json(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(number_or_null(v));
  return out;
}
}  // namespace

void Recorder::write(const std::string& path) const {
  nlohmann::json doc;
  doc["lab"] = lab_;
  doc["experiment"] = name_;
  doc["series"] = nlohmann::json::object();
  for (const auto& [name, s] : series_) doc["series"][name] = {{"x", to_json(s.x)}, {"y", to_json(s.y)}};
  doc["scalars"] = nlohmann::json::object();
  for (const auto& [name, v] : scalars_) doc["scalars"][name] = number_or_null(v);
  doc["failed_parts"] = nlohmann::json::array();
  for (const FailedPart& f : failures_) doc["failed_parts"].push_back({{"part", f.part}, {"error", f.error}});

  gradlab::write_file_atomically(path, doc.dump(1) + "\n");
}

int run_main(int argc, char** argv, const std::string& lab, const std::string& experiment,
             const std::function<void(Recorder&)>& body) {
  const std::string usage = std::string("usage: ") + argv[0] + " [--out FILE.json] [--part NAME | --list-parts]";
  std::string out = "lab" + lab + "_" + experiment + ".json";
  std::optional<std::string> only;
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--part" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--list-parts") {
      list = true;
    } else {
      std::cerr << "unknown argument '" << arg << "'. " << usage << "\n";
      return 2;
    }
  }
  Recorder rec(lab, experiment);
  if (list) rec.only_part(std::string());  // collect the names, run nothing
  else rec.only_part(only);
  try {
    body(rec);
    if (list) {
      for (const std::string& name : rec.parts()) std::cout << name << "\n";
      return 0;
    }
    if (only && std::find(rec.parts().begin(), rec.parts().end(), *only) == rec.parts().end()) {
      std::cerr << "lab " << lab << " experiment " << experiment << ": there is no part '" << *only << "'\n";
      return 2;
    }
    rec.write(out);
  } catch (const std::exception& e) {
    std::cerr << "lab " << lab << " experiment " << experiment << " failed: " << e.what() << "\n";
    return 1;
  }
  for (const FailedPart& f : rec.failures()) std::cerr << "part " << f.part << " failed: " << f.error << "\n";
  std::cout << "lab " << lab << " experiment " << experiment << ": wrote " << out;
  if (!rec.failures().empty()) std::cout << " (" << rec.failures().size() << " of " << rec.parts().size() << " parts failed)";
  std::cout << "\n";
  return 0;
}

}  // namespace gradlab::experiment
