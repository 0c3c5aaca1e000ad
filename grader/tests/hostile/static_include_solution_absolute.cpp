// Hostile submission (lab 03): the reference included by its absolute path
// (@SOURCE@ is filled in by hostile_static_test.cpp). Expected: ForbiddenCall.
#include "@SOURCE@/solutions/03_losses/losses.cpp"
