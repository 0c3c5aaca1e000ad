// The HTML pages of `grader report`: the class report (index.html) and one feedback
// page per student (students/<id>.html), static files that open offline.
#pragma once

#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief Results by student id, then by lab id.
using ClassResults = std::map<std::string, std::map<std::string, LabResult>>;

/// \brief Writes out/index.html and out/students/<id>.html (with each student's plots
/// copied to out/students/<id>/) from \p results.
void write_html_report(const ClassResults& results, const std::vector<Manifest>& labs,
                       const std::filesystem::path& out);

/// \brief \p text with &, <, > and " escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace gradlab::grader
