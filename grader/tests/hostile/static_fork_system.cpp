// Hostile addition to lab 03's reference: starts processes (fork, system).
// Expected: ForbiddenCall naming fork or system.
#include <cstdlib>
#include <unistd.h>
namespace gradlab::kernels {
int start_helper() { return fork() == 0 ? std::system("true") : 0; }
}  // namespace gradlab::kernels
