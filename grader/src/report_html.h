// The HTML pages of `grader report`: the class report (index.html) and one feedback
// page per student (students/<id>.html), static files that open offline.
#pragma once

#include "manifest.h"
#include "result.h"
#include "similarity.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief Results by student id, then by lab id.
using ClassResults = std::map<std::string, std::map<std::string, LabResult>>;

/// \brief A pair of submissions whose file for a lab is suspiciously alike.
struct SimilarFiles {
  std::string lab;   ///< the lab's id
  std::string file;  ///< the student file compared, as lab.toml names it
  std::string text_a, text_b;
  SimilarPair pair;
};

/// \brief Writes out/index.html, out/students/<id>.html (with each student's plots
/// copied to out/students/<id>/) from \p results, and a side-by-side page per similar
/// pair in out/similarity/.
void write_html_report(const ClassResults& results, const std::vector<Manifest>& labs,
                       const std::vector<SimilarFiles>& similar, const std::filesystem::path& out);

/// \brief \p text with &, <, > and " escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace gradlab::grader
