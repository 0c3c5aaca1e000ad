# Prebuilt reference kernels: how a student edition links the labs it does not reveal.
#
# `grader release` leaves out solutions/NN_topic/ for every lab it does not reveal and
# ships that lab's reference kernels as compiled object files instead:
#
#   prebuilt/<level>/NN_topic/<file>.cpp.o
#
# compiled by GCC for Linux on x86-64 at one or more instruction-set levels: x86-64
# (the baseline every x86-64 processor runs) for every lab, plus x86-64-v3 (AVX2, FMA)
# and x86-64-v4 (AVX-512) for a lab with a timed part ([bench] in lab.toml), whose
# reference must be as fast as the machine allows. Objects rather than an archive:
# linked as objects they behave exactly like the reference built from source (no
# archive ordering, and nothing is pulled in to fill a function a student deleted).
#
# gradlab_import_prebuilt_kernels(id slug) makes lab<id>_reference an IMPORTED OBJECT
# library from the best level this build can run, and sets GRADLAB_PREBUILT_FILES_<id>
# to the kernel files (activations.cpp, …) it holds.

# The highest level the compile flags of this build enable (-march=native with
# GRADLAB_NATIVE): what the prebuilt objects may use.
function(gradlab_build_isa_level out)
  set(flags ${CMAKE_CXX_FLAGS})
  if(GRADLAB_NATIVE)
    list(APPEND flags -march=native)
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} ${flags} -dM -E -x c++ /dev/null
                  OUTPUT_VARIABLE macros RESULT_VARIABLE failed ERROR_QUIET)
  if(failed)
    set(level x86-64)
  elseif(macros MATCHES "__AVX512F__")
    set(level x86-64-v4)
  elseif(macros MATCHES "__AVX2__" AND macros MATCHES "__FMA__")
    set(level x86-64-v3)
  else()
    set(level x86-64)
  endif()
  set(${out} ${level} PARENT_SCOPE)
endfunction()

function(gradlab_import_prebuilt_kernels id slug)
  set(root "${PROJECT_SOURCE_DIR}/prebuilt")
  if(NOT IS_DIRECTORY "${root}/x86-64/${slug}")
    message(FATAL_ERROR "lab ${id}: labs/${slug} has neither its reference (solutions/${slug}/) nor "
                        "prebuilt reference kernels (prebuilt/x86-64/${slug}/). Restore the folder from "
                        "the repository or the student edition you were given.")
  endif()
  if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$"
     OR NOT CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    message(FATAL_ERROR "This student edition ships the reference kernels of lab ${id} (and the other labs "
                        "it does not reveal) compiled for Linux on x86-64 with GCC's C++ library. This "
                        "machine is ${CMAKE_SYSTEM_NAME} on ${CMAKE_SYSTEM_PROCESSOR} with "
                        "${CMAKE_CXX_COMPILER_ID}: build it on an x86-64 Linux machine (a Debian virtual "
                        "machine or container will do), or ask your instructor for an edition for yours.")
  endif()
  gradlab_build_isa_level(machine)
  set(level x86-64)
  foreach(candidate x86-64-v3 x86-64-v4)
    if(IS_DIRECTORY "${root}/${candidate}/${slug}" AND
       (candidate STREQUAL machine OR (candidate STREQUAL "x86-64-v3" AND machine STREQUAL "x86-64-v4")))
      set(level ${candidate})
    endif()
  endforeach()
  file(GLOB objects CONFIGURE_DEPENDS "${root}/${level}/${slug}/*.cpp.o")
  if(NOT objects)
    message(FATAL_ERROR "lab ${id}: prebuilt/${level}/${slug}/ holds no object files")
  endif()
  add_library(lab${id}_reference OBJECT IMPORTED GLOBAL)
  set_target_properties(lab${id}_reference PROPERTIES IMPORTED_OBJECTS "${objects}")
  set(files "")
  foreach(object IN LISTS objects)
    get_filename_component(name "${object}" NAME)
    string(REGEX REPLACE "\\.o$" "" name "${name}")
    list(APPEND files "${name}")
  endforeach()
  set(GRADLAB_PREBUILT_FILES_${id} "${files}" PARENT_SCOPE)
  message(STATUS "gradlab: lab ${id} links its prebuilt reference kernels (${level})")
endfunction()
