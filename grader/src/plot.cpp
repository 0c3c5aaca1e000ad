#include "plot.h"

#include "process.h"
#include "text.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// One curve in the plot: a block of the .dat file and one clause of `plot`.
struct Curve {
  std::string title;
  const Series* series;
  bool student;
  bool reference_only;
};

// gnuplot strings in single quotes: only the quote itself needs doubling.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string format_value(double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : "NaN"; }

// The series name of a curve ("sigmoid" of "sigmoid (yours)").
std::string series_of(const Curve& c) { return c.title.substr(0, c.title.find(" (")); }

// The letter that marks series number k in the text plot: the reference's points are
// upper case, yours lower case drawn on top, so a match shows as lower case alone.
char letter(int k, bool student) { return static_cast<char>((student ? 'a' : 'A') + k % 26); }

// The series of the plot, numbered in the order they first appear.
std::map<std::string, int> series_numbers(const std::vector<Curve>& curves) {
  std::map<std::string, int> number;
  for (const Curve& c : curves) number.try_emplace(series_of(c), static_cast<int>(number.size()));
  return number;
}

std::string plot_command(const Plot& plot, const std::string& dat, const std::vector<Curve>& curves) {
  // One hue per series: the reference as a broad pale band underneath, the student's
  // values as a thin line on top, so that a match shows as a line inside its band.
  static const char* hues[] = {"1f77b4", "d62728", "2ca02c", "9467bd", "ff7f0e", "17becf", "8c564b", "e377c2", "7f7f7f", "bcbd22"};
  std::string command = "plot ";
  const auto number = series_numbers(curves);
  // The reference alone (the docs, --reference): plain lines, no band to overlay.
  const bool alone = std::none_of(curves.begin(), curves.end(), [](const Curve& c) { return c.student; });
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const Curve& c = curves[i];
    const int k = number.at(series_of(c)) % 10;
    std::string style;
    if (alone && !c.reference_only)
      style = plot.style == "points" ? fmt::format("with points pt 7 ps 0.7 lc rgb '#{}'", hues[k])
                                     : fmt::format("with lines lw 2 lc rgb '#{}'", hues[k]);
    else if (c.reference_only)
      style = fmt::format("with points pt 6 ps 0.8 lc rgb '#{}'", hues[k]);
    else if (plot.style == "points")
      style = c.student ? fmt::format("with points pt 7 ps 0.5 lc rgb '#{}'", hues[k])
                        : fmt::format("with points pt 6 ps 1.4 lc rgb '#80{}'", hues[k]);
    else
      style = c.student ? fmt::format("with lines lw 1.5 lc rgb '#{}'", hues[k])
                        : fmt::format("with lines lw 6 lc rgb '#A0{}'", hues[k]);
    command += fmt::format("{}{} index {} using 1:2 {} title {} noenhanced", i ? ", \\\n     " : "",
                           i ? "''" : quoted(dat), i, style, quoted(c.title));
  }
  return command + "\n";
}

// The text plot: every series in points of its own letter and no key (it would hide
// curves in 80 columns); the legend is printed below the plot (text_legend).
std::string terminal_command(const std::string& dat, const std::vector<Curve>& curves) {
  // Reference-only curves (level lines, data points) first: the compared ones on top.
  std::vector<std::size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < curves.size(); ++i)
      if (curves[i].reference_only == (pass == 0)) order.push_back(i);
  std::string command = "plot ";
  const auto number = series_numbers(curves);
  for (std::size_t i : order) {
    const Curve& c = curves[i];
    command += fmt::format("{}{} index {} using 1:2 with points pt \"{}\" notitle",
                           i == order.front() ? "" : ", \\\n       ", quoted(dat), i,
                           letter(number.at(series_of(c)), c.student));
  }
  return command + "\n";
}

// "  A/a sigmoid   B/b sigmoid_grad" wrapped at 78 columns, for below the text plot.
std::string text_legend(const std::vector<Curve>& curves, bool with_student) {
  const auto number = series_numbers(curves);
  std::vector<std::string> entries(number.size());
  for (const auto& [name, k] : number)
    entries[static_cast<std::size_t>(k)] = with_student ? fmt::format("{}/{} {}", letter(k, false), letter(k, true), name)
                                                        : fmt::format("{} {}", letter(k, false), name);
  std::string out = with_student ? "  upper case: the reference, lower case: yours (on top)\n" : "";
  std::string line;
  for (const std::string& e : entries) {
    if (!line.empty() && line.size() + e.size() + 3 > 78) {
      out += " " + line + "\n";
      line.clear();
    }
    line += "  " + e;
  }
  return out + " " + line + "\n";
}

// gnuplot's dumb output without its blank top lines and trailing spaces.
std::string trimmed_text_plot(const std::string& text) {
  std::string out;
  for (const std::string& line : lines_of(text)) {
    const std::size_t end = line.find_last_not_of(' ');
    if (end == std::string::npos && out.empty()) continue;
    out += line.substr(0, end == std::string::npos ? 0 : end + 1) + "\n";
  }
  return out;
}

std::string script_text(const Manifest& m, const Plot& plot, const std::string& stem, const std::vector<Curve>& curves) {
  std::ostringstream gp;
  gp << fmt::format("# Lab {} ({}), plot \"{}\": written by the grader.\n", m.id, m.title, plot.name);
  gp << fmt::format("# Render it with:  gnuplot {}.gp   (writes {}.svg and {}.png)\n", stem, stem, stem);
  gp << fmt::format("# As text:         gnuplot -e \"terminal='dumb'\" {}.gp\n", stem);
  gp << fmt::format("set title {} noenhanced\n", quoted(plot.title));
  if (!plot.x_label.empty()) gp << fmt::format("set xlabel {} noenhanced\n", quoted(plot.x_label));
  if (!plot.y_label.empty()) gp << fmt::format("set ylabel {} noenhanced\n", quoted(plot.y_label));
  if (plot.log_x) gp << "set logscale x\n";
  if (plot.log_y) gp << "set logscale y\n";
  gp << "set grid\nset datafile missing 'NaN'\n";
  // The key goes beside the plot in the files: inside, it hides whatever curve passes
  // under it (accuracies near 100 %, losses that start high).
  const std::string file_key = "set key outside right top";
  const std::string command = plot_command(plot, stem + ".dat", curves);
  gp << "if (!exists('terminal')) terminal = 'files'\n";
  gp << "if (terminal eq 'dumb') {\n  set terminal dumb size 79,22\n  set output\n  unset key\n";
  // Log axes as 1e-06, not 0.0000010 (dumb has no superscripts).
  if (plot.log_x) gp << "  set format x '%g'\n";
  if (plot.log_y) gp << "  set format y '%g'\n";
  gp << "  " << terminal_command(stem + ".dat", curves) << "} else {\n";
  gp << "  " << file_key << "\n";
  if (plot.log_x) gp << "  set format x '10^{%L}'\n";
  if (plot.log_y) gp << "  set format y '10^{%L}'\n";
  gp << "  set terminal svg size 800,500 dynamic enhanced font 'sans,12'\n";
  gp << fmt::format("  set output '{}.svg'\n  ", stem) << command;
  gp << "  set terminal pngcairo size 1000,625 enhanced font 'sans,12'\n";
  gp << fmt::format("  set output '{}.png'\n  replot\n  set output\n}}\n", stem);
  return gp.str();
}

// A heat map (style "heatmap"): the plot's first series holds a K × K matrix as
// points x = K·row + column, y = value (a confusion matrix). Drawn as an image with each
// cell's value written in it, row 0 at the top; one matrix only: the student's when
// there is one, else the reference's (the deviation still compares the two).
std::string heatmap_script(const Manifest& m, const Plot& plot, const std::string& stem, const Curve& c, long k) {
  std::ostringstream gp;
  gp << fmt::format("# Lab {} ({}), plot \"{}\": written by the grader.\n", m.id, m.title, plot.name);
  gp << fmt::format("# Render it with:  gnuplot {}.gp   (writes {}.svg and {}.png)\n", stem, stem, stem);
  gp << fmt::format("set title {} noenhanced\n", quoted(plot.title + (c.student ? " (yours)" : "")));
  if (!plot.x_label.empty()) gp << fmt::format("set xlabel {} noenhanced\n", quoted(plot.x_label));
  if (!plot.y_label.empty()) gp << fmt::format("set ylabel {} noenhanced\n", quoted(plot.y_label));
  gp << fmt::format("set xrange [-0.5:{}.5]\nset yrange [{}.5:-0.5]\nset xtics 1\nset ytics 1\n", k - 1, k - 1);
  gp << "set palette defined (0 '#ffffff', 1 '#9ecae1', 2 '#08519c')\nunset key\nset size ratio -1\n";
  const std::string labels = fmt::format("{} using 1:2:($3 == 0 ? '' : sprintf('%g', $3)) with labels", quoted(stem + ".dat"));
  gp << "if (!exists('terminal')) terminal = 'files'\n";
  gp << "if (terminal eq 'dumb') {\n  set terminal dumb size 79,30\n  set output\n  plot " << labels << "\n} else {\n";
  gp << fmt::format("  set terminal svg size 700,600 dynamic enhanced font 'sans,12'\n  set output '{}.svg'\n", stem);
  gp << fmt::format("  plot {} using 1:2:3 with image, '' using 1:2:($3 == 0 ? '' : sprintf('%g', $3)) with labels\n",
                    quoted(stem + ".dat"));
  gp << fmt::format("  set terminal pngcairo size 875,750 enhanced font 'sans,12'\n  set output '{}.png'\n  replot\n  set output\n}}\n", stem);
  return gp.str();
}

}  // namespace

std::vector<SeriesDeviation> series_deviations(const Plot& plot, const ExperimentRun& student,
                                               const ExperimentRun& reference) {
  std::vector<SeriesDeviation> out;
  for (const std::string& name : plot.series) {
    SeriesDeviation d{name, std::nullopt, ""};
    const Series* s = student.ok ? student.find(name) : nullptr;
    const Series* r = reference.ok ? reference.find(name) : nullptr;
    if (!reference.ok) d.note = "the reference experiment did not run: " + reference.problem;
    else if (!student.ok) d.note = "your experiment did not run: " + student.problem;
    else if (r == nullptr) d.note = "missing from the reference's output";
    else if (s == nullptr) d.note = "not in your experiment's output";
    if (s == nullptr || r == nullptr) {
      out.push_back(std::move(d));
      continue;
    }
    std::map<double, double> student_at;
    for (std::size_t i = 0; i < s->x.size(); ++i) student_at.emplace(s->x[i], s->y[i]);
    double worst = 0;
    for (std::size_t i = 0; i < r->x.size(); ++i) {
      const auto it = student_at.find(r->x[i]);
      const double ref = r->y[i];
      double deviation = INFINITY;
      if (it != student_at.end()) {
        const double mine = it->second;
        if (std::isnan(ref) && std::isnan(mine)) deviation = 0;
        else if (std::isfinite(ref) && std::isfinite(mine)) deviation = std::abs(mine - ref) / std::max(std::abs(ref), 1e-8);
        else if (ref == mine) deviation = 0;  // the same infinity
      }
      worst = std::max(worst, deviation);
    }
    d.deviation = worst;
    out.push_back(std::move(d));
  }
  return out;
}

PlotResult draw_plot(const Manifest& m, const Plot& plot, const ExperimentRun* student,
                     const ExperimentRun& reference, const fs::path& dir, std::string& terminal) {
  PlotResult result;
  result.name = plot.name;
  result.match_points = plot.match_points;
  terminal.clear();
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path dat = dir / (plot.name + ".dat");
  const fs::path script = dir / (plot.name + ".gp");
  result.dat = fs::absolute(dat).string();
  result.script = fs::absolute(script).string();

  // The curves: each series for the reference then the student, then reference-only ones.
  std::vector<Curve> curves;
  for (const std::string& name : plot.series) {
    if (reference.ok)
      if (const Series* r = reference.find(name))
        curves.push_back({student ? name + " (reference)" : name, r, false, false});
    if (student != nullptr && student->ok)
      if (const Series* s = student->find(name)) curves.push_back({name + " (yours)", s, true, false});
  }
  for (const std::string& name : plot.reference_only)
    if (reference.ok)
      if (const Series* r = reference.find(name)) curves.push_back({name, r, false, true});
  std::erase_if(curves, [](const Curve& c) { return c.series->x.empty(); });

  std::ostringstream data;
  if (plot.style == "heatmap" && !curves.empty()) {
    // The student's matrix when there is one (it follows the reference's in curves).
    const Curve& c = curves.size() > 1 && curves[1].student ? curves[1] : curves[0];
    const long k = std::lround(std::sqrt(static_cast<double>(c.series->x.size())));
    data << fmt::format("# {}: column row value\n", c.title);
    for (std::size_t i = 0; i < c.series->x.size(); ++i) {
      const long cell = std::lround(c.series->x[i]);
      data << cell % k << ' ' << cell / k << ' ' << format_value(c.series->y[i]) << '\n';
    }
    write_file_atomically(dat, data.str());
    write_file_atomically(script, heatmap_script(m, plot, plot.name, c, k));
  }
  for (std::size_t i = 0; i < curves.size() && plot.style != "heatmap"; ++i) {
    data << (i ? "\n\n" : "") << fmt::format("# index {}: {}\n", i, curves[i].title);
    for (std::size_t k = 0; k < curves[i].series->x.size(); ++k)
      data << format_value(curves[i].series->x[k]) << ' ' << format_value(curves[i].series->y[k]) << '\n';
  }
  if (plot.style != "heatmap" || curves.empty()) {
    write_file_atomically(dat, data.str());
    write_file_atomically(script, script_text(m, plot, plot.name, curves));
  }
  if (curves.empty()) {
    result.note = "nothing to draw: neither experiment produced these series";
    return result;
  }
  if (!gnuplot_available()) {
    result.note = fmt::format("gnuplot is not installed: install it (sudo apt-get install gnuplot-nox), then run "
                              "`cd {} && gnuplot {}.gp`", dir.string(), plot.name);
    return result;
  }
  ProcessRequest request;
  request.argv = {"gnuplot", script.filename().string()};
  request.cwd = dir;
  request.limits = {60, 60, 0, 1024};
  const ProcessResult files = run_process(request);
  if (files.ok() && fs::is_regular_file(dir / (plot.name + ".svg"))) {
    result.svg = fs::absolute(dir / (plot.name + ".svg")).string();
    if (fs::is_regular_file(dir / (plot.name + ".png"))) result.png = fs::absolute(dir / (plot.name + ".png")).string();
  } else {
    result.note = fmt::format("gnuplot failed on {}: {}", script.string(), files.err.substr(0, 300));
  }
  request.argv = {"gnuplot", "-e", "terminal='dumb'", script.filename().string()};
  const ProcessResult text = run_process(request);
  if (text.ok())
    terminal = trimmed_text_plot(text.out) + (plot.style == "heatmap" ? std::string() : text_legend(curves, student != nullptr));
  return result;
}

bool gnuplot_available() {
  static const bool available = [] {
    ProcessRequest request;
    request.argv = {"gnuplot", "--version"};
    request.limits = {10, 10, 0, 64};
    return run_process(request).ok();
  }();
  return available;
}

}  // namespace gradlab::grader
