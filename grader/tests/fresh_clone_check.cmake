# ctest: `grader check 01` from an empty build directory draws both variants.
#
#   cmake -DGRADER=<grader> -DSOURCE=<repo> -DWORK=<scratch dir> -P fresh_clone_check.cmake
#
# Copies the repository (as a fresh clone would have it: no build/, no results/),
# configures an empty build directory and runs `grader check 01 --no-plots` on the
# untouched stub (not started). Then it puts the reference solution in lab 01's student
# file with a modification time older than the stub's object (as `cp -p` or an archive
# would) and runs `grader check 01`: the file must be recompiled all the same (Ninja
# alone compares times and would keep the stub's object), every plot must hold the
# reference's curves and the student's, and the lab must score full marks: the grader
# has to build the reference experiment itself (it once built only the student's
# targets, and every plot said "nothing to draw").
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(tree "${WORK}/gradlab")
file(COPY "${SOURCE}/" DESTINATION "${tree}"
     PATTERN ".git" EXCLUDE PATTERN "build" EXCLUDE PATTERN "results" EXCLUDE)

# -O1: the build is part of the test's time; the experiment is small enough.
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${tree}" -B "${WORK}/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
                        -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DGRADLAB_NATIVE=OFF
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the fresh build failed:\n${out}")
endif()
execute_process(COMMAND "${GRADER}" --source "${tree}" --build "${WORK}/build" check 01 --no-plots
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 1 OR NOT out MATCHES "not started")
  message(FATAL_ERROR "grader check 01 on the untouched stub: exit ${rc}, expected 1 and 'not started':\n${out}")
endif()
file(COPY_FILE "${SOURCE}/solutions/01_backprop/backprop.cpp" "${tree}/labs/01_backprop/backprop.cpp")
execute_process(COMMAND touch -d "2001-01-01 00:00" "${tree}/labs/01_backprop/backprop.cpp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not set an old modification time on the copied file")
endif()
execute_process(COMMAND "${GRADER}" --source "${tree}" --build "${WORK}/build" check 01 --json "${WORK}/check.json"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "grader check 01 from an empty build directory exited with ${rc}, expected 0 (full marks)")
endif()
file(READ "${WORK}/check.json" result)
string(JSON n_plots LENGTH "${result}" plots)
if(n_plots EQUAL 0)
  message(FATAL_ERROR "grader check 01 reported no plots")
endif()
math(EXPR last "${n_plots} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${result}" plots ${i} name)
  string(JSON dat GET "${result}" plots ${i} dat)
  file(READ "${dat}" data)
  if(NOT data MATCHES "\\(reference\\)" OR NOT data MATCHES "\\(yours\\)")
    message(FATAL_ERROR "plot ${name} does not hold both variants (${dat})")
  endif()
endforeach()
message("grader check 01 from an empty build directory: ${n_plots} plots, each with both variants")
