# cmake -DDOXYGEN=<doxygen> -DDOXYFILE=<Doxyfile> -DWARNINGS=<log> -DHTML_DIR=<html>
#       -DMATHJAX_DIR=<MathJax 2> -DSTAMP=<stamp> -P RunDoxygen.cmake
#
# Runs Doxygen, fails (and prints every warning) if it warned, copies the parts of
# MathJax 2 the pages load into HTML_DIR/mathjax, and touches STAMP on success.

cmake_minimum_required(VERSION 3.25)

file(REMOVE "${WARNINGS}" "${STAMP}")
execute_process(COMMAND "${DOXYGEN}" "${DOXYFILE}" RESULT_VARIABLE rc)

set(log "")
if(EXISTS "${WARNINGS}")
  file(READ "${WARNINGS}" log)
  string(STRIP "${log}" log)
endif()
if(NOT log STREQUAL "")
  string(REGEX MATCHALL "(^|\n)[^\n]*(warning|error):" found "${log}")
  list(LENGTH found count)
  message(FATAL_ERROR "Doxygen reported ${count} warning(s); the docs must build without any.\n"
                      "${log}\n"
                      "(Every public entity needs a /// comment; see the log above, also in ${WARNINGS}.)")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Doxygen failed (exit status ${rc}).")
endif()

# MathJax 2, offline: the loader, the TeX input, the SVG output with its TeX font
# (SVG output needs no web fonts, which browsers refuse to load from file:// pages),
# the extensions and the English menu strings. About 3 MB.
if(NOT EXISTS "${MATHJAX_DIR}/MathJax.js")
  message(FATAL_ERROR "MathJax 2 not found in ${MATHJAX_DIR}: install libjs-mathjax "
                      "(sudo apt-get install libjs-mathjax) or set GRADLAB_MATHJAX_DIR.")
endif()
set(mathjax "${HTML_DIR}/mathjax")
if(NOT EXISTS "${mathjax}/.copied")
  file(REMOVE_RECURSE "${mathjax}")
  file(COPY "${MATHJAX_DIR}/MathJax.js" DESTINATION "${mathjax}")
  foreach(dir extensions jax/element jax/input/TeX localization/en)
    get_filename_component(parent "${dir}" DIRECTORY)
    file(COPY "${MATHJAX_DIR}/${dir}" DESTINATION "${mathjax}/${parent}" FOLLOW_SYMLINK_CHAIN)
  endforeach()
  file(COPY "${MATHJAX_DIR}/jax/output/SVG/jax.js" "${MATHJAX_DIR}/jax/output/SVG/config.js"
            "${MATHJAX_DIR}/jax/output/SVG/autoload"
       DESTINATION "${mathjax}/jax/output/SVG" FOLLOW_SYMLINK_CHAIN)
  file(COPY "${MATHJAX_DIR}/jax/output/SVG/fonts/TeX"
       DESTINATION "${mathjax}/jax/output/SVG/fonts" FOLLOW_SYMLINK_CHAIN)
  file(TOUCH "${mathjax}/.copied")
endif()

file(TOUCH "${STAMP}")
