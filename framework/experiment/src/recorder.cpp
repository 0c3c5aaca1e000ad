#include "gradlab/experiment/recorder.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace gradlab::experiment {

Recorder::Recorder(std::string lab, std::string name) : lab_(std::move(lab)), name_(std::move(name)) {}

void Recorder::add(const std::string& series, double x, double y) {
  Series& s = series_[series];
  s.x.push_back(x);
  s.y.push_back(y);
}

void Recorder::scalar(const std::string& name, double value) { scalars_[name] = value; }

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

  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    GRADLAB_CHECK(out.good(), "cannot write the experiment's results to " + tmp);
    out << doc.dump(1) << '\n';
    GRADLAB_CHECK(out.good(), "writing " + tmp + " failed (disk full?)");
  }
  std::filesystem::rename(tmp, target);
}

std::string output_path(int argc, char** argv, const std::string& fallback) {
  std::string out = fallback;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else {
      throw Error("unknown argument '" + arg + "'. Usage: " + argv[0] + " [--out FILE.json]");
    }
  }
  return out;
}

}  // namespace gradlab::experiment
