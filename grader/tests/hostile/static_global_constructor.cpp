// Hostile addition to lab 03's reference: code that runs before main (a global object
// with a constructor). It calls only allowed functions, so only the global-constructor
// rule stops it. Expected: ForbiddenCall, "global constructor".
#include <cmath>
namespace {
struct EarlyTable {
  double values[64];
  EarlyTable() {
    for (int i = 0; i < 64; ++i) values[i] = std::exp(0.01 * i);
  }
};
EarlyTable early_table;
}  // namespace
namespace gradlab::kernels {
double early_value(int i) { return early_table.values[i & 63]; }
}  // namespace gradlab::kernels
