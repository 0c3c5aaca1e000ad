# ctest: `grader release` makes a student edition that builds and grades from scratch.
#
#   cmake -DGRADER=<grader> -DSOURCE=<repo> -DBUILD=<its build dir> -DWORK=<scratch dir>
#         -P release_check.cmake
#
# Releases the repository with every lab revealed except 01 and 02, then checks the
# edition as a student would get it:
#   - no solution text of lab 01 or 02 anywhere in it (for every BEGIN/END SOLUTION
#     region of their solution files, the region's longest line is searched for), no
#     hidden tests, no mutants, no solutions/ folder of either;
#   - it configures and builds from an empty build directory (lab 02 links lab 01's
#     prebuilt reference kernels), and its own grader scores lab 02's untouched stubs
#     0 with every test NOT STARTED;
#   - with the reference files copied in as a student would, lab 02 scores full
#     marks, its plots drawn against the shipped reference results.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(edition "${WORK}/edition")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(rc ${rc} PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(GLOB lab_dirs LIST_DIRECTORIES true "${SOURCE}/labs/[0-9][0-9]_*")
set(reveal "")
foreach(dir IN LISTS lab_dirs)
  get_filename_component(slug "${dir}" NAME)
  string(SUBSTRING "${slug}" 0 2 id)
  if(NOT id STREQUAL "01" AND NOT id STREQUAL "02")
    list(APPEND reveal ${id})
  endif()
endforeach()
list(JOIN reveal "," reveal)
run("${GRADER}" --source "${SOURCE}" --build "${BUILD}" release --out "${edition}" --reveal "${reveal}")
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "grader release exited with ${rc}")
endif()

# ---- what must not be in it
foreach(slug 01_backprop 02_activations)
  if(EXISTS "${edition}/solutions/${slug}")
    message(FATAL_ERROR "the edition has solutions/${slug}, a lab it does not reveal")
  endif()
endforeach()
file(GLOB_RECURSE forbidden "${edition}/*mutants.cmake" "${edition}/*hidden_tests/*")
if(forbidden)
  message(FATAL_ERROR "the edition has mutants or hidden tests: ${forbidden}")
endif()
file(GLOB_RECURSE edition_files "${edition}/*")
list(FILTER edition_files EXCLUDE REGEX "\\.o$")
# (Semicolons separate CMake list items, so every ";" of the C++ is held as "<semicolon>"
# until a line is searched for.)
set(needles "")
file(GLOB hidden_solutions "${SOURCE}/solutions/01_backprop/*.cpp" "${SOURCE}/solutions/02_activations/*.cpp")
foreach(solution IN LISTS hidden_solutions)
  file(READ "${solution}" content)
  string(REPLACE ";" "<semicolon>" content "${content}")
  string(REPLACE "\n" ";" lines "${content}")
  set(inside FALSE)
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line MATCHES "^// BEGIN SOLUTION")
      set(inside TRUE)
      set(longest "")
    elseif(line MATCHES "^// END SOLUTION")
      set(inside FALSE)
      string(REPLACE "<semicolon>" ";" plain_longest "${longest}")
      string(LENGTH "${plain_longest}" n)
      if(n GREATER_EQUAL 16)
        list(APPEND needles "${longest}")
      endif()
    elseif(inside)
      string(REPLACE "<semicolon>" ";" plain "${line}")
      string(LENGTH "${plain}" n)
      string(REPLACE "<semicolon>" ";" plain_longest "${longest}")
      string(LENGTH "${plain_longest}" m)
      if(n GREATER m)
        set(longest "${line}")
      endif()
    endif()
  endforeach()
endforeach()
list(LENGTH needles n_needles)
if(n_needles LESS 10)
  message(FATAL_ERROR "only ${n_needles} solution regions found in labs 01 and 02: is the marker format still // BEGIN SOLUTION?")
endif()
foreach(file IN LISTS edition_files)
  file(READ "${file}" text)
  foreach(needle IN LISTS needles)
    string(REPLACE "<semicolon>" ";" needle "${needle}")
    string(FIND "${text}" "${needle}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} holds a line of an unrevealed solution: ${needle}")
    endif()
  endforeach()
endforeach()
message("no line of ${n_needles} solution regions of labs 01 and 02 is in the edition")

# ---- it builds and grades from scratch: stubs 0, the reference full marks
# -O1 and no -march=native: the build is part of the test's time.
run("${CMAKE_COMMAND}" -S "${edition}" -B "${edition}/build/default" -G Ninja -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DGRADLAB_NATIVE=OFF)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the edition failed:\n${out}")
endif()
run("${CMAKE_COMMAND}" --build "${edition}/build/default" --target grader)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the edition's grader failed:\n${out}")
endif()
set(edition_grader "${edition}/build/default/bin/grader" --source "${edition}" --build "${edition}/build/default")

run(${edition_grader} check 02 --json "${WORK}/stubs.json")
file(READ "${WORK}/stubs.json" result)
string(JSON status GET "${result}" status)
string(JSON score GET "${result}" score)
if(NOT rc EQUAL 1 OR NOT status STREQUAL "not started" OR NOT score EQUAL 0)
  message(FATAL_ERROR "the edition's stubs of lab 02: exit ${rc}, status ${status}, score ${score}; "
                      "expected 1, not started, 0\n${out}")
endif()

# COPY_FILE, not COPY: COPY keeps the old modification time, and the build would then
# take the copy for older than the stub's object and not compile it.
file(GLOB reference_files "${SOURCE}/solutions/02_activations/*.cpp")
foreach(file IN LISTS reference_files)
  get_filename_component(name "${file}" NAME)
  file(COPY_FILE "${file}" "${edition}/labs/02_activations/${name}")
endforeach()
run(${edition_grader} check 02 --json "${WORK}/reference.json")
message("${out}")
file(READ "${WORK}/reference.json" result)
string(JSON score GET "${result}" score)
string(JSON max GET "${result}" max)
if(NOT rc EQUAL 0 OR NOT score EQUAL max)
  message(FATAL_ERROR "lab 02's reference copied into the edition: exit ${rc}, ${score}/${max}; expected full marks")
endif()
string(JSON n_plots LENGTH "${result}" plots)
math(EXPR last "${n_plots} - 1")
foreach(i RANGE ${last})
  string(JSON dat GET "${result}" plots ${i} dat)
  file(READ "${dat}" data)
  if(NOT data MATCHES "\\(reference\\)")
    message(FATAL_ERROR "plot ${dat} has no reference curve: the shipped results were not used")
  endif()
endforeach()
message("the edition builds from scratch; lab 02: stubs 0, reference ${score}/${max} with ${n_plots} plots")
