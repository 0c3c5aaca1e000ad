# cmake -DGRADER=<grader or empty> -DLAB_DIR=<labs/NN_topic> -DSOURCE_DIR=<repo> -DBUILD_DIR=<build>
#       -DIMAGE_DIR=<docs/images/NN_topic> -DFLAT_IMAGE_DIR=<docs/images/doxygen>
#       -DSNIPPET=<docs/generated/NN_topic_plots.md>
#       -DLINK_SNIPPET=<docs/generated/NN_topic_lab.md>
#       -DSTAMP=<docs/generated/NN_topic_plots.ok> -P LabPlots.cmake
#
# Runs `grader plots NN --reference --out IMAGE_DIR` (lab NN's reference experiment,
# drawn as IMAGE_DIR/<plot>.svg and .png), copies each plot to FLAT_IMAGE_DIR as
# labNN_<plot>.svg (Doxygen looks images up by file name alone, and every lab may
# have a plot called "loss"), and writes SNIPPET: the \image commands for the lab's
# notes page, which includes it with \includedoc. LINK_SNIPPET is the sentence that
# links the lab's README page, included by the same notes page.
#
# When the grader cannot draw a plot (no `plots` subcommand yet, gnuplot missing, the
# experiment failing or timing out) the docs still build: the plot becomes a
# placeholder image that says so (SNIPPET shows it in the HTML), and this script
# prints a warning.
#
# STAMP is written only when the grader succeeded and every plot was really drawn
# (or the lab draws none); it is removed first thing, so otherwise it stays missing.
# docs/CMakeLists.txt declares it as an OUTPUT of the command that runs this script,
# so while a placeholder stands the next build of the docs runs the grader again
# instead of saying "no work to do". (Without -DSTAMP nothing is retried.)

cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/LabToml.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/LabReadme.cmake")

get_filename_component(slug "${LAB_DIR}" NAME)
string(SUBSTRING "${slug}" 0 2 id)
gradlab_read_lab_toml("${LAB_DIR}" lab)
file(MAKE_DIRECTORY "${IMAGE_DIR}" "${FLAT_IMAGE_DIR}")
get_filename_component(snippet_dir "${SNIPPET}" DIRECTORY)
file(MAKE_DIRECTORY "${snippet_dir}")
# No stamp until every plot is drawn: a run that fails, or is killed half-way, is
# retried by the next build.
if(NOT "${STAMP}" STREQUAL "")
  file(REMOVE "${STAMP}")
endif()

if(EXISTS "${LAB_DIR}/README.md")
  gradlab_lab_readme_page("${LAB_DIR}/README.md" label title)
  file(WRITE "${LINK_SNIPPET}"
       "The task: \\ref ${label} \"${title}\" (`labs/${slug}/README.md`); "
       "run `./grade check ${id}` to check your work and draw your plots next to the reference.\n")
else()
  file(WRITE "${LINK_SNIPPET}"
       "The lab lives in `labs/${slug}/` (its README is not written yet); "
       "run `./grade check ${id}` to check your work.\n")
endif()

if(NOT lab_PLOTS)
  file(WRITE "${SNIPPET}" "Lab ${id} draws no plots.\n")
  if(NOT "${STAMP}" STREQUAL "")
    file(WRITE "${STAMP}" "lab ${id} draws no plots\n")
  endif()
  return()
endif()

# --- run the grader -----------------------------------------------------------
# Old plots go first, so a failing run cannot leave a stale plot in the docs.
foreach(plot IN LISTS lab_PLOTS)
  file(REMOVE "${IMAGE_DIR}/${plot}.svg" "${IMAGE_DIR}/${plot}.png"
              "${FLAT_IMAGE_DIR}/lab${id}_${plot}.svg" "${FLAT_IMAGE_DIR}/lab${id}_${plot}.png")
endforeach()
set(problem "")
if(GRADER STREQUAL "" OR NOT EXISTS "${GRADER}")
  set(problem "the grader is not built")
else()
  execute_process(COMMAND "${GRADER}" --help
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE help ERROR_VARIABLE help
                  RESULT_VARIABLE rc TIMEOUT 60)
  if(NOT help MATCHES "plots")
    set(problem "this grader has no `plots` subcommand yet")
  else()
    # Say where the sources and the build are (./grade does the same), and do not let
    # the grader build: the docs target already depends on the grader and on this
    # lab's reference experiment, and a build inside the build would fight over it.
    execute_process(COMMAND "${GRADER}" plots --help
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    OUTPUT_VARIABLE plots_help ERROR_VARIABLE plots_help TIMEOUT 60)
    set(flags "")
    if(plots_help MATCHES "--source")
      list(APPEND flags --source "${SOURCE_DIR}")
    endif()
    if(plots_help MATCHES "--build" AND NOT BUILD_DIR STREQUAL "")
      list(APPEND flags --build "${BUILD_DIR}")
    endif()
    if(plots_help MATCHES "--no-build")
      list(APPEND flags --no-build)
    endif()
    execute_process(COMMAND "${GRADER}" plots ${id} --reference --out "${IMAGE_DIR}" ${flags}
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    OUTPUT_VARIABLE out ERROR_VARIABLE out
                    RESULT_VARIABLE rc TIMEOUT 900)
    if(NOT rc EQUAL 0)
      string(STRIP "${out}" out)
      set(problem "`grader plots ${id} --reference` failed (${rc}): ${out}")
    endif()
  endif()
endif()

# --- one image per plot, real or placeholder ----------------------------------
set(snippet "")
set(placeholders "")
foreach(plot IN LISTS lab_PLOTS)
  set(title "${lab_PLOT_TITLE_${plot}}")
  set(source "${IMAGE_DIR}/${plot}.svg")
  set(flat "${FLAT_IMAGE_DIR}/lab${id}_${plot}.svg")
  if(EXISTS "${source}")
    configure_file("${source}" "${flat}" COPYONLY)
    if(EXISTS "${IMAGE_DIR}/${plot}.png")
      configure_file("${IMAGE_DIR}/${plot}.png" "${FLAT_IMAGE_DIR}/lab${id}_${plot}.png" COPYONLY)
    endif()
  else()
    list(APPEND placeholders "${plot}")
    set(reason "${problem}")
    if(reason STREQUAL "")
      set(reason "the grader wrote no ${plot}.svg")
    endif()
    string(REGEX REPLACE "[<>&\"`]" "'" reason "${reason}")
    string(SUBSTRING "${reason}" 0 110 reason)
    file(WRITE "${flat}"
"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"120\" viewBox=\"0 0 640 120\">
  <rect x=\"1\" y=\"1\" width=\"638\" height=\"118\" fill=\"#fafafa\" stroke=\"#c33\" stroke-dasharray=\"6 4\"/>
  <text x=\"20\" y=\"40\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#933\">Plot '${plot}' of lab ${id} was not drawn when these docs were built.</text>
  <text x=\"20\" y=\"68\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#555\">${reason}</text>
  <text x=\"20\" y=\"94\" font-family=\"monospace\" font-size=\"12\" fill=\"#555\">Draw it yourself: grader plots ${id} --reference --out DIR</text>
</svg>
")
  endif()
  string(APPEND snippet "\\image html lab${id}_${plot}.svg \"${title} (reference solution)\"\n\n")
endforeach()

file(WRITE "${SNIPPET}" "${snippet}")

set(retry "")
if(NOT "${STAMP}" STREQUAL "")
  set(retry " (the next build of the docs tries again)")
endif()
if(placeholders)
  list(JOIN placeholders ", " names)
  set(reason "${problem}")
  if(reason STREQUAL "")
    set(reason "the grader wrote no .svg for them")
  endif()
  message(WARNING "docs: lab ${id}: placeholder images for ${names}${retry}: ${reason}")
elseif(NOT problem STREQUAL "")
  # Every .svg is there, but the grader said it failed: keep the plots, retry anyway.
  message(WARNING "docs: lab ${id}: ${problem}${retry}")
elseif(NOT "${STAMP}" STREQUAL "")
  list(JOIN lab_PLOTS " " names)
  file(WRITE "${STAMP}" "lab ${id}: drew ${names}\n")
endif()
