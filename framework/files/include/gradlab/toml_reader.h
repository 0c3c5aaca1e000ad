/// \file
/// \brief Reading a TOML table key by key, with errors that name the file, the line,
/// the table and the key, and with unknown keys as errors: the one reader of the
/// grader's and the bench's manifests (`lab.toml`). Header-only: it needs toml++,
/// which only those two link.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradlab {

/// \brief A mistake in a TOML file: "FILE:LINE:COLUMN: problem (in [table])".
class TomlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// \brief One table of a TOML file, read key by key.
///
/// Every getter validates its key (type, range) and marks it as known; after the
/// reads, reject_unknown_keys() turns whatever is left (a typo, a retired key) into
/// an error, so that a misspelt setting is never silently left at its default.
class TomlTable {
 public:
  /// \brief Parses \p file; throws TomlError with the line and column of a syntax error.
  static toml::table parse(const std::filesystem::path& file) {
    try {
      return toml::parse_file(file.string());
    } catch (const toml::parse_error& error) {
      const auto& begin = error.source().begin;
      throw TomlError(file.string() + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                      ": malformed TOML: " + std::string(error.description()));
    }
  }

  /// \brief Reads \p table of \p file; \p where names it in errors ("[limits]", "" for the top).
  TomlTable(std::filesystem::path file, const toml::table& table, std::string where)
      : file_(std::move(file)), table_(&table), where_(std::move(where)) {}

  /// \brief Throws TomlError at \p node (or at the table when null) saying \p problem.
  [[noreturn]] void fail(const toml::node* node, const std::string& problem) const {
    const auto& source = node != nullptr ? node->source() : table_->source();
    // Appended piece by piece (GCC 12 warns falsely about `"…" + std::string` here).
    std::string message = file_.string();
    if (source.begin.line > 0) {
      message += ':';
      message += std::to_string(source.begin.line);
      message += ':';
      message += std::to_string(source.begin.column);
    }
    message += ": ";
    message += problem;
    if (!where_.empty()) {
      message += " (in ";
      message += where_;
      message += ')';
    }
    throw TomlError(message);
  }

  /// \brief A string; \p fallback when absent (absent without a fallback is an error).
  std::string string(const std::string& key, std::optional<std::string> fallback = std::nullopt) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      fail(nullptr, "missing key '" + key + "'");
    }
    if (!node->is_string()) fail(node, "'" + key + "' must be a string");
    return std::string(*node->value<std::string_view>());
  }

  /// \brief A number in [\p lo, \p hi]; \p fallback when absent.
  double number(const std::string& key, double fallback, double lo, double hi) const {
    const toml::node* node = find(key);
    if (node == nullptr) return fallback;
    if (!node->is_number()) fail(node, "'" + key + "' must be a number");
    const double value = *node->value<double>();
    if (!(value >= lo && value <= hi)) fail(node, "'" + key + "' = " + text(value) + " is out of range: it must be in [" + text(lo) + ", " + text(hi) + "]");
    return value;
  }

  /// \brief A whole number in [\p lo, \p hi]; \p fallback when absent.
  long long integer(const std::string& key, long long fallback, long long lo, long long hi) const {
    const toml::node* node = find(key);
    if (node == nullptr) return fallback;
    if (!node->is_integer()) fail(node, "'" + key + "' must be a whole number");
    return checked_integer(*node, key, lo, hi);
  }

  /// \brief true or false; \p fallback when absent.
  bool boolean(const std::string& key, bool fallback) const {
    const toml::node* node = find(key);
    if (node == nullptr) return fallback;
    if (!node->is_boolean()) fail(node, "'" + key + "' must be true or false");
    return *node->value<bool>();
  }

  /// \brief A list of strings; empty when absent and not \p required.
  std::vector<std::string> strings(const std::string& key, bool required) const {
    std::vector<std::string> values;
    for (const toml::node* item : array(key, required, "a list of strings")) {
      if (!item->is_string()) fail(item, "'" + key + "' must be a list of strings");
      values.emplace_back(*item->value<std::string_view>());
    }
    return values;
  }

  /// \brief A list of whole numbers, each in [\p lo, \p hi]; empty when absent.
  std::vector<long long> integers(const std::string& key, long long lo, long long hi) const {
    std::vector<long long> values;
    for (const toml::node* item : array(key, false, "a list of whole numbers")) {
      if (!item->is_integer()) fail(item, "'" + key + "' must be a list of whole numbers");
      values.push_back(checked_integer(*item, key, lo, hi));
    }
    return values;
  }

  /// \brief The sub-table \p key ([where.key]), or nullopt when absent.
  std::optional<TomlTable> table(const std::string& key) const {
    const toml::node* node = find(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_table()) fail(node, "'" + key + "' must be a table");
    const std::string inner = where_.empty() ? "[" + key + "]" : where_.substr(0, where_.size() - 1) + "." + key + "]";
    return TomlTable(file_, *node->as_table(), inner);
  }

  /// \brief The tables of the array \p key: [[key]] entries or a list of inline tables.
  std::vector<TomlTable> tables(const std::string& key) const {
    std::vector<TomlTable> out;
    const std::vector<const toml::node*> items = array(key, false, "an array of tables: write [[" + key + "]]");
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i]->is_table()) fail(items[i], "'" + key + "' must be an array of tables: write [[" + key + "]]");
      const std::string prefix = where_.empty() ? "" : where_ + " ";
      out.emplace_back(file_, *items[i]->as_table(), prefix + "[[" + key + "]] #" + std::to_string(i + 1));
    }
    return out;
  }

  /// \brief Marks \p key as known without reading it (someone else reads it).
  void allow(const std::string& key) const { used_.insert(key); }

  /// \brief A key that older files used: an error that says what replaced it.
  void retired(const std::string& key, const std::string& instead) const {
    if (const toml::node* node = table_->get(key)) fail(node, "'" + key + "' is no longer used: " + instead);
  }

  /// \brief Every key not read (nor allowed) so far is an error naming it.
  void reject_unknown_keys() const {
    for (const auto& [key, node] : *table_)
      if (!used_.contains(std::string(key.str()))) fail(&node, "unknown key '" + std::string(key.str()) + "'");
  }

 private:
  const toml::node* find(const std::string& key) const {
    const toml::node* node = table_->get(key);
    if (node != nullptr) used_.insert(key);
    return node;
  }

  std::vector<const toml::node*> array(const std::string& key, bool required, const std::string& what) const {
    std::vector<const toml::node*> items;
    const toml::node* node = find(key);
    if (node == nullptr) {
      if (required) fail(nullptr, "missing key '" + key + "' (" + what + ")");
      return items;
    }
    const toml::array* list = node->as_array();
    if (list == nullptr) fail(node, "'" + key + "' must be " + what);
    for (const toml::node& item : *list) items.push_back(&item);
    return items;
  }

  long long checked_integer(const toml::node& node, const std::string& key, long long lo, long long hi) const {
    const long long value = *node.value<long long>();
    if (value < lo || value > hi)
      fail(&node, "'" + key + "' = " + std::to_string(value) + " is out of range: it must be in [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return value;
  }

  static std::string text(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }

  std::filesystem::path file_;
  const toml::table* table_;
  std::string where_;
  mutable std::set<std::string> used_;
};

}  // namespace gradlab
