# ctest: a plot the docs could not draw is retried by the next build.
#
#   cmake -DSOURCE_DIR=<repo> -DWORK=<scratch dir> -P PlotsRetried.cmake
#
# Runs LabPlots.cmake for lab 02 with a stand-in grader that fails (as a timed-out
# experiment does): the notes get placeholders and no stamp, so Ninja runs the
# command again next time. Then with a stand-in that draws every plot: the real
# images replace the placeholders and the stamp is written.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(lab_dir "${SOURCE_DIR}/labs/02_activations")
include("${SOURCE_DIR}/docs/cmake/LabToml.cmake")
gradlab_read_lab_toml("${lab_dir}" lab)

function(run_lab_plots grader)
  execute_process(COMMAND "${CMAKE_COMMAND}" -DGRADER=${grader} -DLAB_DIR=${lab_dir} -DSOURCE_DIR=${SOURCE_DIR}
                          -DBUILD_DIR=${WORK}/build -DIMAGE_DIR=${WORK}/images -DFLAT_IMAGE_DIR=${WORK}/flat
                          -DSNIPPET=${WORK}/plots.md -DLINK_SNIPPET=${WORK}/lab.md -DSTAMP=${WORK}/plots.ok
                          -P "${SOURCE_DIR}/docs/cmake/LabPlots.cmake"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "LabPlots.cmake failed (${rc}):\n${out}")
  endif()
endfunction()

# A grader that has the `plots` command but fails, like an experiment that timed out.
file(WRITE "${WORK}/failing-grader" "#!/bin/sh\ncase \"$*\" in *--help*) echo 'plots --source --build --no-build'; exit 0;; esac\necho 'the experiment did not finish' >&2\nexit 1\n")
# A grader that draws every plot: writes OUT/<plot>.svg for each plot of lab.toml.
set(draw "")
foreach(plot IN LISTS lab_PLOTS)
  string(APPEND draw "echo '<svg xmlns=\"http://www.w3.org/2000/svg\"/>' > \"$out/${plot}.svg\"\n")
endforeach()
file(WRITE "${WORK}/drawing-grader" "#!/bin/sh\ncase \"$*\" in *--help*) echo 'plots --source --build --no-build'; exit 0;; esac\nout=''\nwhile [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=\"$2\"; shift; done\nmkdir -p \"$out\"\n${draw}exit 0\n")
file(CHMOD "${WORK}/failing-grader" "${WORK}/drawing-grader" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)

run_lab_plots("${WORK}/failing-grader")
if(EXISTS "${WORK}/plots.ok")
  message(FATAL_ERROR "the stamp was written although the grader failed: the next build would not retry")
endif()
list(GET lab_PLOTS 0 first)
file(READ "${WORK}/flat/lab02_${first}.svg" placeholder)
if(NOT placeholder MATCHES "was not drawn")
  message(FATAL_ERROR "no placeholder for ${first} after a failing grader")
endif()

run_lab_plots("${WORK}/drawing-grader")
if(NOT EXISTS "${WORK}/plots.ok")
  message(FATAL_ERROR "every plot was drawn but the stamp is missing: the docs would rebuild the plots every time")
endif()
file(READ "${WORK}/flat/lab02_${first}.svg" drawn)
if(drawn MATCHES "was not drawn")
  message(FATAL_ERROR "the placeholder for ${first} stayed after a successful run")
endif()
message("a failed plot run leaves no stamp (retried next build); a complete one writes it")
