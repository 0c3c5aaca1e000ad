#include "text.h"

#include <algorithm>

#include <sstream>

namespace fs = std::filesystem;

namespace gradlab::grader {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string tail(const std::string& text, std::size_t n) {
  const auto lines = lines_of(text);
  std::string out;
  for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out, line;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find(' ', begin);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(begin, end - begin);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + indent;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    begin = end + 1;
  }
  return out + line;
}

std::string display_path(const fs::path& path, const fs::path& root) {
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(path, ec);
  if (ec) return path.string();
  const fs::path relative = absolute.lexically_relative(fs::weakly_canonical(root, ec));
  if (ec || relative.empty() || relative.begin()->string() == "..") return path.string();
  return relative.string();
}

void add_to_group(Grouped& groups, const std::string& key, const std::string& name) {
  auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
  if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
  it->second.push_back(name);
}

}  // namespace gradlab::grader
