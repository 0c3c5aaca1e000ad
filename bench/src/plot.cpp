// The chart: GFLOP/s against n for the square sizes, one line per contender, with the
// measured peak as the roofline's flat roof. gnuplot writes SVG and PNG, and draws the
// same chart in the terminal (`set terminal dumb`).
#include "plot.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace gradlab::bench {
namespace {

std::string quote(const std::filesystem::path& p) {
  std::string s = p.string(), out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string script(const PlotData& data, const std::filesystem::path& data_file) {
  std::ostringstream s;
  s << "set title 'GEMM, double precision, " << data.threads << " thread(s)'\n"
    << "set xlabel 'n (C = A B, all n x n)'\nset ylabel 'GFLOP/s'\n"
    << "set logscale x 2\nset key bottom right\n";
  if (data.peak > 0) {
    s << "set yrange [0:" << data.peak * 1.08 << "]\n";
  } else {
    s << "set yrange [0:*]\n";
  }
  if (data.peak > 0) s << "set arrow from graph 0, first " << data.peak << " to graph 1, first " << data.peak << " nohead dt 2\n"
                       << "set label 'peak " << static_cast<int>(data.peak) << " GFLOP/s' at graph 0.02, first " << data.peak * 0.96 << " \n";
  s << "plot ";
  for (std::size_t i = 0; i < data.names.size(); ++i) {
    if (i > 0) s << ", ";
    s << quote(data_file) << " using 1:" << i + 2 << " with linespoints title '" << data.names[i] << "'";
  }
  s << "\n";
  return s.str();
}

bool run_gnuplot(const std::string& text, std::string* captured) {
  const std::string command = captured != nullptr ? "gnuplot 2>/dev/null" : "gnuplot >/dev/null 2>&1";
  if (captured == nullptr) {
    FILE* pipe = popen(command.c_str(), "w");
    if (pipe == nullptr) return false;
    std::fputs(text.c_str(), pipe);
    return pclose(pipe) == 0;
  }
  // Capture the dumb terminal's output through a temporary script file.
  char name[] = "/tmp/gradlab-bench-plot-XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) return false;
  {
    std::ofstream(name) << text;
  }
  FILE* pipe = popen(("gnuplot " + std::string(name) + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return false;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) *captured += buffer;
  const bool ok = pclose(pipe) == 0;
  std::remove(name);
  return ok;
}

}  // namespace

bool draw(const PlotData& data, const std::filesystem::path& dir, std::string* terminal) {
  if (data.n.empty()) return false;
  std::filesystem::path data_file;
  if (!dir.empty()) {
    std::filesystem::create_directories(dir);
    data_file = dir / "gemm_gflops.dat";
  } else {
    data_file = std::filesystem::temp_directory_path() / "gradlab-bench-gflops.dat";
  }
  {
    std::ofstream out(data_file);
    out << "# n";
    for (const auto& name : data.names) out << " '" << name << "'";
    out << "\n";
    for (std::size_t r = 0; r < data.n.size(); ++r) {
      out << data.n[r];
      for (const auto& column : data.gflops) out << ' ' << column[r];
      out << '\n';
    }
  }
  bool ok = true;
  const std::string body = script(data, data_file);
  if (!dir.empty()) {
    ok &= run_gnuplot("set terminal svg size 900,560 dynamic\nset output " + quote(dir / "gemm_gflops.svg") + "\n" + body, nullptr);
    ok &= run_gnuplot("set terminal pngcairo size 900,560\nset output " + quote(dir / "gemm_gflops.png") + "\n" + body, nullptr) ||
          run_gnuplot("set terminal png size 900,560\nset output " + quote(dir / "gemm_gflops.png") + "\n" + body, nullptr);
  }
  if (terminal != nullptr) ok &= run_gnuplot("set terminal dumb size 79,26\n" + body, terminal);
  if (dir.empty()) std::filesystem::remove(data_file);
  return ok;
}

}  // namespace gradlab::bench
