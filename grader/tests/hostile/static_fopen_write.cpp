// Hostile addition to lab 03's reference: writes a file (fopen for writing).
// Expected: ForbiddenCall naming fopen.
#include <cstdio>
namespace gradlab::kernels {
void leave_a_note() {
  if (std::FILE* f = std::fopen("/tmp/gradlab-hostile-note", "w")) std::fclose(f);
}
}  // namespace gradlab::kernels
