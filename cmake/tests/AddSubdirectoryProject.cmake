# cmake -DSOURCE_DIR=… -DWORK=… -DGENERATOR=… -DCXX_COMPILER=… -P AddSubdirectoryProject.cmake
#
# examples/add_subdirectory adds gradlab's source tree as a subdirectory. Configured
# with GoogleTest and the grader's dependencies hidden (so requiring any of them
# fails), its build plan (a dry run: nothing is compiled) must hold exactly the
# library's sources (the engine and every solutions/NN_*/*.cpp) and the example, and
# no -march=native.
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/Run.cmake")

file(REMOVE_RECURSE "${WORK}")
set(hidden "")
foreach(package GTest cxxopts fmt nlohmann_json tomlplusplus)
  list(APPEND hidden "-DCMAKE_DISABLE_FIND_PACKAGE_${package}=ON")
endforeach()
run("configuring examples/add_subdirectory" ${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/add_subdirectory"
    -B "${WORK}/build" -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Release
    "-DGRADLAB_SOURCE_DIR=${SOURCE_DIR}" ${hidden})

# The commands of a build from scratch, listed without running them.
file(STRINGS "${WORK}/build/CMakeCache.txt" make_program REGEX "^CMAKE_MAKE_PROGRAM:")
string(REGEX REPLACE "^[^=]*=" "" make_program "${make_program}")
if(GENERATOR MATCHES "Ninja")
  run("listing the build's commands" "${make_program}" -C "${WORK}/build" -t commands)
elseif(GENERATOR MATCHES "Makefiles")
  run("the dry run of the build" "${make_program}" -C "${WORK}/build" -n)
else()
  message(STATUS "generator ${GENERATOR}: the build plan is not checked")
  return()
endif()
set(plan "${run_output}")

# The sources the plan compiles (each compile command names its source after -c).
string(REGEX MATCHALL "-c [^ \n]+\\.cpp" compiled "${plan}")
list(TRANSFORM compiled REPLACE "^-c " "")
list(TRANSFORM compiled REPLACE "^.*/" "")
list(SORT compiled)

file(GLOB engine_sources "${SOURCE_DIR}/framework/src/*.cpp")
file(GLOB kernel_sources "${SOURCE_DIR}/solutions/[0-9][0-9]_*/*.cpp")
set(expected ${engine_sources} ${kernel_sources} main.cpp)
list(TRANSFORM expected REPLACE "^.*/" "")
list(SORT expected)
if(NOT compiled STREQUAL expected)
  message(FATAL_ERROR "the build compiles\n  ${compiled}\nbut the library and the example are\n  ${expected}\n"
                      "Build plan:\n${plan}")
endif()
# What it links and archives (the commands of Ninja's list only: Makefiles run theirs
# from link scripts): the example and the library only.
if(GENERATOR MATCHES "Ninja")
  string(REGEX MATCHALL " -o [^ \n]+" made "${plan}")
  list(FILTER made EXCLUDE REGEX "\\.o$")
  string(REGEX MATCHALL "ar [a-z]+ [^ \n]+\\.a" archives "${plan}")
  list(APPEND made ${archives})
  list(TRANSFORM made REPLACE "^.*[ /]" "")
  list(SORT made)
  if(NOT made STREQUAL "libgradlab.a;xor_mlp")
    message(FATAL_ERROR "the build makes '${made}', not just libgradlab.a and xor_mlp. Build plan:\n${plan}")
  endif()
endif()
string(FIND "${plan}" "-march=native" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "a subproject's build uses -march=native (GRADLAB_NATIVE must default to OFF):\n${plan}")
endif()
message(STATUS "the build of examples/add_subdirectory compiles ${compiled}")
