// Hostile addition to lab 03's reference: a system call made without libc (inline
// assembly: getpid, number 39 on x86-64). Expected: ForbiddenCall, "inline system call".
namespace gradlab::kernels {
long raw_getpid() {
  long result = 39;
#if defined(__x86_64__)
  asm volatile("syscall" : "+a"(result) : : "rcx", "r11", "memory");
#endif
  return result;
}
}  // namespace gradlab::kernels
