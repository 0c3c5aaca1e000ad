#include "gradlab/datasets/csv.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace gradlab::datasets {

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, delimiter)) fields.push_back(trim(field));
  if (!line.empty() && line.back() == delimiter) fields.emplace_back();  // a trailing empty field
  return fields;
}

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& problem) {
  throw Error(path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + problem);
}

}  // namespace

Index CsvTable::column(const std::string& name) const {
  for (std::size_t j = 0; j < columns.size(); ++j) {
    if (columns[j] == name) return static_cast<Index>(j);
  }
  std::string names;
  for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c;
  throw Error("CSV table: no column named '" + name + "' (columns: " + names + ")");
}

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, 0, "cannot open the file");
  CsvTable table;
  std::vector<std::vector<Scalar>> rows;
  std::size_t width = 0;
  bool have_width = false;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    const std::vector<std::string> fields = split(line, options.delimiter);
    if (!have_width) {
      width = fields.size();
      have_width = true;
      if (options.header) {
        table.columns = fields;
        continue;
      }
      for (std::size_t j = 0; j < width; ++j) table.columns.push_back(std::to_string(j));
    }
    if (fields.size() != width) {
      fail(path, number, "has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(width) +
                             " (as on the first line)");
    }
    std::vector<Scalar> row(width);
    for (std::size_t j = 0; j < width; ++j) {
      std::size_t used = 0;
      bool ok = !fields[j].empty();
      if (ok) {
        try {
          row[j] = std::stod(fields[j], &used);
        } catch (const std::exception&) {
          ok = false;
        }
      }
      if (!ok || used != fields[j].size()) {
        fail(path, number, "field '" + fields[j] + "' in column " + std::to_string(j + 1) + " ('" +
                               table.columns[j] + "') is not a number");
      }
    }
    rows.push_back(std::move(row));
  }
  if (!have_width) fail(path, 0, "the file is empty (no header and no data)");
  table.values.resize(static_cast<Index>(rows.size()), static_cast<Index>(width));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < width; ++j) table.values(static_cast<Index>(i), static_cast<Index>(j)) = rows[i][j];
  }
  return table;
}

Classification to_classification(const CsvTable& table, const std::string& label_column) {
  const Index label_at = table.column(label_column);
  Classification d;
  d.x.resize(table.values.rows(), table.values.cols() - 1);
  for (Index i = 0; i < table.values.rows(); ++i) {
    const Scalar v = table.values(i, label_at);
    GRADLAB_CHECK(v >= 0 && std::floor(v) == v && v < 1e15,
                  "to_classification: label " + std::to_string(v) + " in row " + std::to_string(i) +
                      " (column '" + label_column + "') is not a whole number >= 0");
    const auto label = static_cast<Index>(v);
    d.labels.push_back(label);
    d.classes = std::max(d.classes, label + 1);
    for (Index j = 0, out = 0; j < table.values.cols(); ++j) {
      if (j != label_at) d.x(i, out++) = table.values(i, j);
    }
  }
  return d;
}

}  // namespace gradlab::datasets
