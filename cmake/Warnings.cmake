# Warnings and sanitizers as INTERFACE targets: a target opts in by linking them.
add_library(gradlab_warnings INTERFACE)
target_compile_options(gradlab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow)

add_library(gradlab_options INTERFACE)
target_compile_features(gradlab_options INTERFACE cxx_std_20)
if(GRADLAB_NATIVE)
  target_compile_options(gradlab_options INTERFACE -march=native)
  # GCC 12's own AVX-512 headers trip its uninitialized-variable analysis when Eigen
  # uses them (GCC bug 105593, fixed in GCC 13): silence that false positive only.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(gradlab_options INTERFACE -Wno-uninitialized -Wno-maybe-uninitialized)
  endif()
endif()
if(GRADLAB_SANITIZE)
  target_compile_options(gradlab_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(gradlab_options INTERFACE -fsanitize=address,undefined)
endif()
