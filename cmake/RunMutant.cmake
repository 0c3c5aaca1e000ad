# Runs a mutant's test executable (cmake -DMUTANT=exe -P RunMutant.cmake) and succeeds
# when the lab's tests catch the mutant: any non-zero exit, a failed assertion as well as
# a crash (an Eigen shape assertion aborts, e.g. on a transposed gradient of a
# non-square matrix). ctest's WILL_FAIL alone would count a crash as a failure.
if(NOT EXISTS "${MUTANT}")
  message(FATAL_ERROR "${MUTANT} was not built: build the project first")
endif()
execute_process(COMMAND "${MUTANT}" --gtest_brief=1 RESULT_VARIABLE rc)
if("${rc}" STREQUAL "0")
  message(FATAL_ERROR "${MUTANT}: every test passes on this buggy variant: no test catches it")
endif()
message(STATUS "caught (exit: ${rc})")
