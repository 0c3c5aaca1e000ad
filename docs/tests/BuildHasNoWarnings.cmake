# ctest docs.build_has_no_warnings:
#   cmake -DBUILD_DIR=<build dir> -DWARNINGS=<doxygen warning log> -P BuildHasNoWarnings.cmake
# Builds the `docs` target (Doxygen runs with every warning an error) and fails on
# any warning, printing them.

cmake_minimum_required(VERSION 3.25)

execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target docs
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
set(log "")
if(EXISTS "${WARNINGS}")
  file(READ "${WARNINGS}" log)
  string(STRIP "${log}" log)
endif()
if(NOT rc EQUAL 0 OR NOT log STREQUAL "")
  message("${out}")
  if(NOT log STREQUAL "")
    message("Doxygen warnings (${WARNINGS}):\n${log}")
  endif()
  message(FATAL_ERROR "the docs did not build cleanly (build status ${rc})")
endif()
message("docs built with no Doxygen warnings")
