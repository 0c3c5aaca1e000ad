# ctest: `grader report` grades a fixture class, in one run and in two merged shards.
#
#   cmake -DGRADER=<grader> -DSOURCE=<repo> -DBUILD=<its build dir> -DWORK=<scratch dir>
#         -P report_check.cmake
#
# The class (lab 02 only, hidden tests included, without plots, to keep the test short),
# 12 submissions: the reference as loose files, the same zipped, the same inside a clone
# of the student edition, a near-copy of it, the untouched stubs (an empty folder), code
# that does not compile, code that crashes in one kernel, code that hangs in one test,
# partial work of one's own (alice), a renamed and re-formatted copy of it (bob), other
# partial work as a .tar.gz (dora), and a zip whose file is a symbolic link out of it
# (graded as an empty submission). Every submission must get the status and score it
# deserves, alice and bob must be listed as similar (and nobody with the stubs), and
# `--shard 1/2` + `--shard 2/2` + `--merge` must give the very same gradebook and
# similarity list as one run.
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
# A hang: an endless loop on the input of one test only (the CPU limit ends it).
string(REPLACE "${signature}" "${signature}\n  if (x.size() > 0 && x(0, 0) == -1000.0) for (volatile int spin = 0;; spin = spin + 1) {}"
       hang "${text}")
file(WRITE "${class}/hang/activations.cpp" "${hang}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${class}/zipped.zip" --format=zip activations.cpp
                WORKING_DIRECTORY "${class}/ref")

# Partial work written from the stub: \p kernel's body becomes \p body.
file(READ "${SOURCE}/labs/02_activations/activations.cpp" stub)
function(implement var kernel body)
  set(todo "  // TODO(lab 02): implement ${kernel}.\n  throw gradlab::NotImplemented(\"lab 02: ${kernel}\");")
  string(REPLACE "${todo}" "${body}" result "${${var}}")
  set(${var} "${result}" PARENT_SCOPE)
endfunction()
set(rows "  for (Index r = 0; r < x.rows(); ++r)\n    for (Index c = 0; c < x.cols(); ++c) {\n")
set(alice "${stub}")
implement(alice tanh_forward "${rows}      const Scalar v = std::tanh(x(r, c));\n      y(r, c) = v;\n    }")
implement(alice tanh_backward "${rows}      const Scalar t = y(r, c);\n      dx(r, c) += dy(r, c) * (1.0 - t * t);\n    }")
implement(alice relu_forward "${rows}      const Scalar v = x(r, c);\n      y(r, c) = v > 0.0 ? v : 0.0;\n    }")
implement(alice relu_backward "${rows}      if (x(r, c) > 0.0) dx(r, c) += dy(r, c);\n    }")
implement(alice leaky_relu_forward "${rows}      const Scalar v = x(r, c);\n      y(r, c) = v > 0.0 ? v : alpha * v;\n    }")
implement(alice leaky_relu_backward "${rows}      const Scalar slope = x(r, c) > 0.0 ? 1.0 : alpha;\n      dx(r, c) += slope * dy(r, c);\n    }")
file(WRITE "${class}/alice/activations.cpp" "${alice}")
# Bob's copy: other names, other comments, other layout.
set(bob "${alice}")
string(REPLACE "Index r = 0; r < x.rows(); ++r" "Index row=0; row<x.rows(); ++row" bob "${bob}")
string(REPLACE "Index c = 0; c < x.cols(); ++c" "Index col=0;col<x.cols();++col" bob "${bob}")
string(REPLACE "(r, c)" "( row , col )" bob "${bob}")
string(REPLACE "const Scalar v =" "const Scalar value  =  " bob "${bob}")
string(REPLACE "? v : " "? value : " bob "${bob}")
string(REPLACE "* v;" "* value;   // the leak" bob "${bob}")
string(REPLACE "v > 0.0" "value > 0.0" bob "${bob}")
string(REPLACE "      y( row , col ) = v;" "      y( row , col ) = value;" bob "${bob}")
string(REPLACE "slope" "gradient_factor" bob "${bob}")
file(WRITE "${class}/bob/activations.cpp" "// Bob's lab 02 (all my own work)\n${bob}")
# Dora's own partial work, handed in as a .tar.gz.
set(dora "${stub}")
implement(dora relu_forward "  y = x;\n  for (Index i = 0; i < y.size(); ++i)\n    if (!(y.data()[i] > 0)) y.data()[i] = 0;")
implement(dora tanh_forward "  const auto e2 = (-2.0 * x.array().abs()).exp();\n  y = ((1.0 - e2) / (1.0 + e2) * x.array().sign()).matrix();")
file(WRITE "${WORK}/dora/activations.cpp" "${dora}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar czf "${class}/dora.tar.gz" activations.cpp WORKING_DIRECTORY "${WORK}/dora")
# A hostile archive: its activations.cpp is a symbolic link out of the submission.
file(MAKE_DIRECTORY "${WORK}/evil")
file(CREATE_LINK "${reference}" "${WORK}/evil/activations.cpp" SYMBOLIC)
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${class}/evil.zip" --format=zip activations.cpp
                WORKING_DIRECTORY "${WORK}/evil")

function(report)
  # --allow-unisolated: on a machine where bubblewrap cannot run this still grades (the
  # sandbox has its own tests, grader.GraderSandbox.*); where it runs, it changes nothing.
  execute_process(COMMAND "${GRADER}" --source "${SOURCE}" --build "${BUILD}" --color never report --labs 02 --no-plots
                          --jobs 2 --allow-unisolated ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
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
file(READ "${WORK}/one/similarity.csv" similar)
file(READ "${WORK}/merged/similarity.csv" merged_similar)
if(NOT similar STREQUAL merged_similar)
  message(FATAL_ERROR "one run and two merged shards find different similar pairs:\n${similar}\nagainst\n${merged_similar}")
endif()
if(NOT similar MATCHES "\n02,activations.cpp,alice,bob,[0-9.]+," OR similar MATCHES "stubs|evil|dora")
  message(FATAL_ERROR "alice and bob (a renamed copy) must be similar, and no pair may involve the stubs, "
                      "the empty submission or dora's own work:\n${similar}")
endif()

foreach(expected "clone,100.00,passing" "compile_error,0.00,compile error" "near_copy,100.00,passing"
                 "ref,100.00,passing" "stubs,0.00,not started" "zipped,100.00,passing"
                 "evil,0.00,not started")
  string(FIND "${one}" "${expected}," at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the gradebook has no line starting '${expected}':\n${one}")
  endif()
endforeach()
foreach(partial crash hang alice bob dora)
  if(NOT one MATCHES "\n${partial},[0-9.]+,failing," OR one MATCHES "\n${partial},100.00" OR one MATCHES "\n${partial},0.00")
    message(FATAL_ERROR "${partial} is not 'failing' with partial marks:\n${one}")
  endif()
endforeach()
string(REGEX MATCH "\nalice,([0-9.]+)," _ "${one}")
set(alice_score "${CMAKE_MATCH_1}")
if(NOT one MATCHES "\nbob,${alice_score},")
  message(FATAL_ERROR "bob's copy of alice's work scores differently:\n${one}")
endif()
file(READ "${WORK}/one/results/hang/02.json" hang_result)
if(NOT hang_result MATCHES "\"TIMED OUT\"")
  message(FATAL_ERROR "the hanging test is not 'timed out':\n${hang_result}")
endif()
foreach(page index.html students/ref.html students/crash.html students/ref/junit.xml students/ref/results.json
             similarity/lab02-alice-bob-activations.cpp.html)
  if(NOT EXISTS "${WORK}/one/${page}")
    message(FATAL_ERROR "the report has no ${page}")
  endif()
endforeach()

# Resumable: a second run keeps every result (nothing changed) and writes the same book.
report(${submissions} --out "${WORK}/one")
file(READ "${WORK}/one/gradebook.csv" again)
if(NOT again STREQUAL one OR NOT out MATCHES "graded 12/12 \\(12 unchanged\\)")
  message(FATAL_ERROR "a second run over unchanged submissions regraded or changed the gradebook")
endif()
message("grader report: 12 submissions graded as expected; one run == two merged shards; a rerun regrades nothing")
