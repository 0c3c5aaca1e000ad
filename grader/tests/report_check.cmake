# ctest: `grader report` grades a fixture class, in one run and in two merged shards.
#
#   cmake -DGRADER=<grader> -DSOURCE=<repo> -DBUILD=<its build dir> -DWORK=<scratch dir>
#         -P report_check.cmake
#
# The class (lab 02 only, hidden tests included, without plots, to keep the test short): the reference as
# loose files, the same zipped, the same inside a clone of the student edition, a
# near-copy, the untouched stubs (an empty folder), code that does not compile, code
# that crashes in one kernel, and a zip whose file is a symbolic link out of it (graded
# as an empty submission). Every submission must get the status and score it
# deserves, and `--shard 1/2` + `--shard 2/2` + `--merge` must give the very same
# gradebook as one run.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
set(class "${WORK}/class")
set(reference "${SOURCE}/solutions/02_activations/activations.cpp")
file(READ "${reference}" text)

file(MAKE_DIRECTORY "${class}/stubs")
file(COPY "${reference}" DESTINATION "${class}/ref")
file(COPY "${reference}" DESTINATION "${class}/clone/labs/02_activations")
string(REPLACE "stable_sigmoid" "stable_logistic" copy "${text}")
file(WRITE "${class}/near_copy/activations.cpp" "// my own work\n${copy}")
# (Built from the function signatures, which the stubs show too: this file may quote no
# line of a solution region, or `grader release` refuses to ship it.)
file(WRITE "${class}/compile_error/activations.cpp" "${text}\nvoid unfinished( {\n")
set(signature "void sigmoid_forward(ConstMatrixRef x, MatrixRef y) {")
string(REPLACE "${signature}" "${signature}\n  { volatile int* p = nullptr; *p = 1; }" crash "${text}")
file(WRITE "${class}/crash/activations.cpp" "${crash}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${class}/zipped.zip" --format=zip activations.cpp
                WORKING_DIRECTORY "${class}/ref")
# A hostile archive: its activations.cpp is a symbolic link out of the submission.
file(MAKE_DIRECTORY "${WORK}/evil")
file(CREATE_LINK "${reference}" "${WORK}/evil/activations.cpp" SYMBOLIC)
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${class}/evil.zip" --format=zip activations.cpp
                WORKING_DIRECTORY "${WORK}/evil")

function(report)
  execute_process(COMMAND "${GRADER}" --source "${SOURCE}" --build "${BUILD}" --color never report --labs 02 --no-plots
                          --jobs 2 ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "grader report ${ARGN} exited with ${rc}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(GLOB submissions "${class}/*")
report(${submissions} --out "${WORK}/one")
report(${submissions} --out "${WORK}/shard1" --shard 1/2)
report(${submissions} --out "${WORK}/shard2" --shard 2/2)
report(--merge "${WORK}/shard1" "${WORK}/shard2" --out "${WORK}/merged")

file(READ "${WORK}/one/gradebook.csv" one)
file(READ "${WORK}/merged/gradebook.csv" merged)
if(NOT one STREQUAL merged)
  message(FATAL_ERROR "one run and two merged shards disagree:\n${one}\nagainst\n${merged}")
endif()
file(READ "${WORK}/one/gradebook-groups.csv" one_groups)
file(READ "${WORK}/merged/gradebook-groups.csv" merged_groups)
if(NOT one_groups STREQUAL merged_groups)
  message(FATAL_ERROR "the per-group gradebooks of one run and of two merged shards disagree")
endif()

foreach(expected "clone,100.00,passing" "compile_error,0.00,compile error" "near_copy,100.00,passing"
                 "ref,100.00,passing" "stubs,0.00,not started" "zipped,100.00,passing"
                 "evil,0.00,not started")
  string(FIND "${one}" "${expected}," at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the gradebook has no line starting '${expected}':\n${one}")
  endif()
endforeach()
if(NOT one MATCHES "\ncrash,[0-9.]+,failing," OR one MATCHES "\ncrash,100.00")
  message(FATAL_ERROR "the crashing submission is not 'failing' with partial marks:\n${one}")
endif()
foreach(page index.html students/ref.html students/crash.html students/ref/junit.xml students/ref/results.json)
  if(NOT EXISTS "${WORK}/one/${page}")
    message(FATAL_ERROR "the report has no ${page}")
  endif()
endforeach()

# Resumable: a second run keeps every result (nothing changed) and writes the same book.
report(${submissions} --out "${WORK}/one")
file(READ "${WORK}/one/gradebook.csv" again)
if(NOT again STREQUAL one OR NOT out MATCHES "graded 8/8 \\(8 unchanged\\)")
  message(FATAL_ERROR "a second run over unchanged submissions regraded or changed the gradebook")
endif()
message("grader report: 8 submissions graded as expected; one run == two merged shards; a rerun regrades nothing")
