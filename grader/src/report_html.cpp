#include "report_html.h"

#include "text.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace gradlab::grader {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStyle = R"(<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .6em 0; } td, th { padding: .25em .7em; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.passing { color: #17702a; } .failing, .compile-error { color: #b3261e; } .not-started { color: #888; }
.correct-but-slow { color: #a15c00; }
.bar { display: inline-block; height: .8em; background: #4a78c2; vertical-align: middle; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; white-space: pre-wrap; }
img { max-width: 46%; margin: .3em; border: 1px solid #eee; }
.hint { background: #fff8e1; padding: .4em .7em; border-left: 3px solid #f0b400; }
body:has(.sides) { max-width: none; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }
.sides pre { white-space: pre; overflow-x: auto; font-size: 12px; line-height: 1.35; }
.sides mark { background: #ffe28a; display: inline-block; width: 100%; }
.ln { color: #999; user-select: none; }
</style>)";

std::string css_class(LabStatus status) {
  std::string c = to_string(status);
  std::replace(c.begin(), c.end(), ' ', '-');
  return c;
}

std::string page(const std::string& title, const std::string& body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>{1}</head>\n"
                     "<body>\n<h1>{0}</h1>\n{2}</body></html>\n",
                     html_escape(title), kStyle, body);
}

// A horizontal bar proportional to count / most.
std::string bar(std::size_t count, std::size_t most) {
  const double em = most == 0 ? 0 : 12.0 * static_cast<double>(count) / static_cast<double>(most);
  return fmt::format("<span class=\"bar\" style=\"width:{:.2f}em\"></span> {}", em, count);
}

// The most frequent \p items, most frequent first, at most \p n.
std::vector<std::pair<std::string, std::size_t>> most_common(const std::vector<std::string>& items, std::size_t n) {
  std::map<std::string, std::size_t> counts;
  for (const std::string& item : items) ++counts[item];
  std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (sorted.size() > n) sorted.resize(n);
  return sorted;
}

// The first line of a message (the rest stays on the student's page).
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string lab_section(const Manifest& m, const ClassResults& results) {
  std::vector<double> scores;
  std::map<std::string, std::pair<std::size_t, std::size_t>> tests;  // name → passed, ran
  std::vector<std::string> failures, compile_errors;
  double max = 0;
  for (const auto& [id, by_lab] : results) {
    const auto it = by_lab.find(m.id);
    if (it == by_lab.end()) continue;
    const LabResult& r = it->second;
    scores.push_back(r.score);
    max = std::max(max, r.max);
    if (r.compile_error) compile_errors.push_back(first_line(r.compile_error->message));
    for (const TestResult& t : r.tests) {
      auto& [passed, ran] = tests[t.name];
      ++ran;
      if (counts_as_passed(t.status)) ++passed;
      else if (t.status != TestStatus::NotStarted)  // an untouched stub is not a mistake worth counting
        failures.push_back(fmt::format("{}: {}", t.name, first_line(short_message(t))));
    }
  }
  std::string html = fmt::format("<h2 id=\"lab{0}\">Lab {0}: {1}</h2>\n", m.id, html_escape(m.title));
  if (scores.empty()) return html + "<p>No submission was graded for this lab.</p>\n";
  std::sort(scores.begin(), scores.end());
  double sum = 0;
  for (double s : scores) sum += s;
  html += fmt::format("<p>{} graded · mean {:.1f} · median {:.1f} · min {:.1f} · max {:.1f} (out of {:g})</p>\n",
                      scores.size(), sum / static_cast<double>(scores.size()), scores[scores.size() / 2],
                      scores.front(), scores.back(), max);
  // Score distribution in ten bins of max / 10 (full marks in the last).
  std::vector<std::size_t> bins(10, 0);
  for (double s : scores) ++bins[std::min<std::size_t>(9, static_cast<std::size_t>(max > 0 ? 10 * s / max : 0))];
  const std::size_t most = *std::max_element(bins.begin(), bins.end());
  html += "<table><tr><th>score</th><th>students</th></tr>\n";
  for (std::size_t b = 0; b < bins.size(); ++b)
    html += fmt::format("<tr><td>{:g}–{:g}</td><td>{}</td></tr>\n", max * static_cast<double>(b) / 10,
                        max * static_cast<double>(b + 1) / 10, bar(bins[b], most));
  // Hardest first: by pass rate, then by name.
  std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> by_rate(tests.begin(), tests.end());
  std::stable_sort(by_rate.begin(), by_rate.end(), [](const auto& a, const auto& b) {
    return a.second.first * b.second.second < b.second.first * a.second.second;
  });
  html += "</table>\n<details><summary>Pass rate of every test, hardest first</summary><table><tr><th>test</th><th>passed</th></tr>\n";
  for (const auto& [name, counts] : by_rate)
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{} / {} ({:.0f}%)</td></tr>\n", html_escape(name),
                        counts.first, counts.second, 100.0 * static_cast<double>(counts.first) / static_cast<double>(counts.second));
  html += "</table></details>\n";
  const auto list = [&](const char* title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    html += fmt::format("<h3>{}</h3><table><tr><th>count</th><th>message</th></tr>\n", title);
    for (const auto& [text, count] : most_common(items, 10))
      html += fmt::format("<tr><td class=\"num\">{}</td><td><code>{}</code></td></tr>\n", count, html_escape(text));
    html += "</table>\n";
  };
  list("Most common failures", failures);
  list("Compile errors", compile_errors);
  return html;
}

// A share in whole percent, rounded down (99.9% is not 100%).
double percent(double share) { return std::floor(100 * share + 1e-9); }

// The page of one similar pair's file, relative to out/.
std::string pair_page_name(const SimilarFiles& s) {
  std::string file = s.file;
  std::replace(file.begin(), file.end(), '/', '_');
  return fmt::format("similarity/lab{}-{}-{}-{}.html", s.lab, s.pair.a, s.pair.b, file);
}

// The "Similar submissions" section of the class page.
std::string similarity_section(const std::vector<SimilarFiles>& similar) {
  std::string html =
      "<h2 id=\"similarity\">Similar submissions</h2>\n<p>Pairs whose code is alike once the names they chose, "
      "comments and layout are set aside, and the given code left out (the share of the smaller file's own "
      "code that the other also has). A pair is something to look at side by side, not a verdict.</p>\n";
  if (similar.empty()) return html + "<p>No pair reaches the threshold.</p>\n";
  html += "<table><tr><th>lab</th><th>file</th><th>students</th><th>similarity</th><th></th></tr>\n";
  for (const SimilarFiles& s : similar)
    html += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{} · {}</td><td class=\"num\">{:.0f}%</td>"
                        "<td><a href=\"{}\">side by side</a>{}</td></tr>\n",
                        s.lab, html_escape(s.file), html_escape(s.pair.a), html_escape(s.pair.b),
                        percent(s.pair.similarity), html_escape(pair_page_name(s)),
                        s.pair.identical ? " (the same code up to names, comments and layout)" : "");
  return html + "</table>\n";
}

// One file with line numbers, the lines in \p marked highlighted.
std::string numbered(const std::string& text, const std::vector<int>& marked) {
  std::string html;
  int number = 0;
  for (const std::string& line : lines_of(text)) {
    ++number;
    const bool shared = std::binary_search(marked.begin(), marked.end(), number);
    html += fmt::format("{}<span class=\"ln\">{:4} </span>{}{}\n", shared ? "<mark>" : "", number, html_escape(line),
                        shared ? "</mark>" : "");
  }
  return html;
}

std::string pair_page(const SimilarFiles& s) {
  const std::string body = fmt::format(
      "<p><a href=\"../index.html#similarity\">class report</a> · lab {} · <code>{}</code> · similarity {:.0f}%{}</p>\n"
      "<p>Highlighted: lines inside a stretch of code both files share (after names, comments and layout are set "
      "aside; the given code never counts).</p>\n<div class=\"sides\"><div><h3>{}</h3><pre>{}</pre></div>"
      "<div><h3>{}</h3><pre>{}</pre></div></div>\n",
      s.lab, html_escape(s.file), percent(s.pair.similarity), s.pair.identical ? ", the same code up to names, comments and layout" : "",
      html_escape(s.pair.a), numbered(s.text_a, s.pair.lines_a), html_escape(s.pair.b), numbered(s.text_b, s.pair.lines_b));
  return page(fmt::format("Lab {}: {} and {}", s.lab, s.pair.a, s.pair.b), body);
}

std::string class_page(const ClassResults& results, const std::vector<Manifest>& labs,
                       const std::vector<SimilarFiles>& similar) {
  std::string body = fmt::format("<p>{} student(s), {} lab(s). Each student's name links to their feedback page.",
                                 results.size(), labs.size());
  if (!similar.empty())
    body += fmt::format(" <a href=\"#similarity\">{} pair(s) of similar submissions</a> are listed at the end.",
                        similar.size());
  body += "</p>\n";
  body += "<table><tr><th>student</th>";
  for (const Manifest& m : labs) body += fmt::format("<th><a href=\"#lab{0}\">lab {0}</a></th>", m.id);
  body += "<th>total</th></tr>\n";
  for (const auto& [id, by_lab] : results) {
    body += fmt::format("<tr><td><a href=\"students/{0}.html\">{0}</a></td>", html_escape(id));
    double total = 0, max = 0;
    for (const Manifest& m : labs) {
      const auto it = by_lab.find(m.id);
      if (it == by_lab.end()) {
        body += "<td>–</td>";
        continue;
      }
      total += it->second.score;
      max += it->second.max;
      body += fmt::format("<td class=\"num {}\" title=\"{}\">{:.1f}</td>", css_class(it->second.status),
                          html_escape(to_string(it->second.status)), it->second.score);
    }
    body += fmt::format("<td class=\"num\">{:.1f} / {:g}</td></tr>\n", total, max);
  }
  body += "</table>\n";
  for (const Manifest& m : labs) body += lab_section(m, results);
  body += similarity_section(similar);
  return page("gradlab class report", body);
}

std::string student_page(const std::string& id, const std::map<std::string, LabResult>& by_lab,
                         const std::vector<Manifest>& labs, const fs::path& out) {
  std::string body = "<p><a href=\"../index.html\">class report</a></p>\n";
  for (const Manifest& m : labs) {
    const auto it = by_lab.find(m.id);
    if (it == by_lab.end()) continue;
    const LabResult& r = it->second;
    body += fmt::format("<h2>Lab {}: {} — <span class=\"{}\">{}</span>, {:.1f} / {:g}</h2>\n", m.id, html_escape(m.title),
                        css_class(r.status), html_escape(to_string(r.status)), r.score, r.max);
    if (r.compile_error) {
      const CompileError& e = *r.compile_error;
      body += fmt::format("<p>It did not compile: <code>{}:{}</code></p><pre>{}\n{}</pre>\n", html_escape(e.file), e.line,
                          html_escape(e.message), html_escape(e.context));
    }
    if (r.status == LabStatus::NotStarted) {
      body += "<p>Not started: every test still reaches a function that throws NotImplemented.</p>\n";
      continue;
    }
    if (!r.groups.empty()) {
      body += "<table><tr><th>test group</th><th>tests passed</th><th>points</th></tr>\n";
      for (const GroupScore& g : r.groups)
        body += fmt::format("<tr><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{:.1f} / {:g}</td></tr>\n",
                            html_escape(g.name), g.passed, g.total, g.score, g.points);
      body += "</table>\n";
    }
    for (const GroupScore& g : r.groups) {
      if (g.passed == g.total) continue;
      body += fmt::format("<h3>{}</h3>\n", html_escape(g.name));
      for (const TestGroup& group : m.tests)
        if (group.name == g.name && !group.hints.empty())
          body += fmt::format("<p class=\"hint\">Hint: {}</p>\n", html_escape(group.hints.front()));
      body += "<ul>\n";
      for (const TestResult& t : r.tests)
        if (t.group == g.name && !counts_as_passed(t.status))
          body += fmt::format("<li><code>{}</code> {}<pre>{}</pre></li>\n", html_escape(t.name),
                              html_escape(to_string(t.status)), html_escape(short_message(t)));
      body += "</ul>\n";
    }
    std::string plots;
    for (const PlotResult& p : r.plots) {
      if (p.png.empty() || !fs::is_regular_file(p.png)) continue;
      const fs::path copy = out / "students" / id / fmt::format("lab{}_{}.png", m.id, p.name);
      fs::create_directories(copy.parent_path());
      fs::copy_file(p.png, copy, fs::copy_options::overwrite_existing);
      plots += fmt::format("<img src=\"{}/{}\" alt=\"{}\" title=\"{}\">", html_escape(id), copy.filename().string(),
                           html_escape(p.name), html_escape(p.name));
    }
    if (!plots.empty()) body += "<h3>Your results against the reference</h3>\n<p>" + plots + "</p>\n";
  }
  return page("Feedback for " + id, body);
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void write_html_report(const ClassResults& results, const std::vector<Manifest>& labs,
                       const std::vector<SimilarFiles>& similar, const fs::path& out) {
  write_file_atomically(out / "index.html", class_page(results, labs, similar));
  for (const SimilarFiles& s : similar) write_file_atomically(out / pair_page_name(s), pair_page(s));
  for (const auto& [id, by_lab] : results)
    write_file_atomically(out / "students" / (id + ".html"), student_page(id, by_lab, labs, out));
}

}  // namespace gradlab::grader
