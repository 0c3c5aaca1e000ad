// Hostile submission (lab 03): the whole file is one #include of the reference,
// through a relative path from the submission's folder (@RELATIVE_SOURCE@ is filled
// in by hostile_static_test.cpp). Expected: ForbiddenCall, "forbidden #include".
#include "@RELATIVE_SOURCE@/solutions/03_losses/losses.cpp"
