#include "gradlab/core.h"

#include <omp.h>

#include <sstream>

namespace gradlab {

std::string shape_string(Index rows, Index cols) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + std::string.
  std::string shape;
  shape.append("[").append(std::to_string(rows)).append(", ").append(std::to_string(cols)).append("]");
  return shape;
}

void set_num_threads(int threads) {
  GRADLAB_CHECK(threads >= 1, "set_num_threads: need at least 1 thread, got " + std::to_string(threads));
  omp_set_num_threads(threads);
}

int num_threads() { return omp_get_max_threads(); }

std::string number_string(Scalar v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

void check_option(bool ok, const char* what, const char* name, const char* range, Scalar value) {
  if (!ok) throw Error(std::string(what) + ": " + name + " must be " + range + ", got " + number_string(value));
}

namespace detail {
void check_failed(const char* file, int line, const std::string& message) {
  throw Error(std::string(file) + ":" + std::to_string(line) + ": " + message);
}
}  // namespace detail

}  // namespace gradlab
