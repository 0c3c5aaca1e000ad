// Hostile addition to lab 03's reference: a function the loader runs before main
// (__attribute__((constructor)), listed in .init_array). Expected: ForbiddenCall,
// "global constructor".
#include <cmath>
namespace gradlab::kernels {
double early_value = 0;
__attribute__((constructor)) void run_before_main() { early_value = std::exp(1.0); }
}  // namespace gradlab::kernels
