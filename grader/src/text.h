// Small text helpers shared by the grader's modules: one copy of each.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::grader {

/// \brief The lines of \p text, without their '\n' (and a '\r' before it); empty lines kept.
std::vector<std::string> lines_of(const std::string& text);

/// \brief \p text without the spaces, tabs and line ends around it.
std::string trim(const std::string& text);

/// \brief The last \p n lines of \p text, each ending in '\n'.
std::string tail(const std::string& text, std::size_t n);

/// \brief \p text broken at spaces into lines of at most \p width characters (a word
/// longer than that stays whole); every line after the first starts with \p indent.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent);

/// \brief Names grouped under what they share (an error, a reason), in order of first
/// appearance: one line per reason instead of one per name.
using Grouped = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// \brief Adds \p name under \p key in \p groups (a new key goes last).
void add_to_group(Grouped& groups, const std::string& key, const std::string& name);

/// \brief \p path as a student would type it: relative to \p root when inside it.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace gradlab::grader
