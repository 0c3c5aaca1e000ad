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

gradlab_require(Eigen3 libeigen3-dev 3.3 NO_MODULE)
gradlab_require(GTest libgtest-dev)
gradlab_require(cxxopts libcxxopts-dev)
gradlab_require(fmt libfmt-dev)
gradlab_require(nlohmann_json nlohmann-json3-dev)
gradlab_require(tomlplusplus libtomlplusplus-dev)
gradlab_require(OpenMP "libgomp1 (part of g++)")

# Programs used at run time or by optional targets: found, never required to build.
find_program(GRADLAB_GNUPLOT gnuplot)
find_program(GRADLAB_DOXYGEN doxygen)
