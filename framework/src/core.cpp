#include "gradlab/core.h"

namespace gradlab {

std::string shape_string(Index rows, Index cols) {
  return "[" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
}

namespace detail {
void check_failed(const char* file, int line, const std::string& message) {
  throw Error(std::string(file) + ":" + std::to_string(line) + ": " + message);
}
}  // namespace detail

}  // namespace gradlab
