# Every dependency is a Debian package. A missing one stops configuration with the
# package to install, so a newcomer never has to decode a CMake error.

macro(gradlab_require package debian_package)
  find_package(${package} ${ARGN} QUIET)
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR
      "gradlab needs ${package}, which was not found.\n"
      "Install it with:  sudo apt-get install ${debian_package}\n"
      "(./grade and ./run-tests install every dependency for you when run as root.)")
  endif()
endmacro()

# The library (gradlab::reference) needs only Eigen and OpenMP, the two that
# gradlabConfig.cmake looks for again in a project that uses an installed gradlab; the
# others are needed by the parts that the GRADLAB_BUILD_* options switch on.
gradlab_require(Eigen3 libeigen3-dev 3.3 NO_MODULE)
gradlab_require(OpenMP "libgomp1 (part of g++)")
if(GRADLAB_BUILD_TESTS OR GRADLAB_BUILD_LABS)
  gradlab_require(GTest libgtest-dev)
endif()
if(GRADLAB_BUILD_LABS OR GRADLAB_BUILD_GRADER OR GRADLAB_BUILD_BENCH)
  gradlab_require(cxxopts libcxxopts-dev)
  gradlab_require(nlohmann_json nlohmann-json3-dev)
endif()
if(GRADLAB_BUILD_TESTS OR GRADLAB_BUILD_LABS OR GRADLAB_BUILD_GRADER OR GRADLAB_BUILD_BENCH)
  gradlab_require(fmt libfmt-dev)
endif()
if(GRADLAB_BUILD_GRADER OR GRADLAB_BUILD_BENCH)
  gradlab_require(tomlplusplus libtomlplusplus-dev)
endif()

# Programs used at run time or by optional targets: found, never required to build.
find_program(GRADLAB_GNUPLOT gnuplot)
find_program(GRADLAB_DOXYGEN doxygen)
