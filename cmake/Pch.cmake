# Precompiled headers for the labs' many small compilations.
#
# Parsing Eigen is most of the time it takes to compile a kernel or test file (a lab 02
# mutant: 4.8 of its 7.0 s are spent parsing, measured with -fsyntax-only), and the
# build compiles hundreds of such files: every lab's two variants, its tests and every
# mutant. One precompiled <Eigen/Dense> + gradlab/core.h, built once per set of compile
# flags and reused by every target compiled with those flags, halves each of them
# (measured on the same mutant: 8.9 s without, 3.9 s with).
#
#   gradlab_pch_labs     the flags of the labs' kernels and tests (the build type's -O)
#   gradlab_pch_mutants  the mutants' (-O1)
#
# gradlab_use_pch(target labs|mutants) makes a target reuse one of them. A precompiled
# header must be built with the flags of the files that use it, warnings included
# (-Wpedantic changes the predefined macros); GCC falls back to the header text, with
# -Winvalid-pch's warning, if it is not.
set(GRADLAB_PCH_HEADERS <Eigen/Dense> "${PROJECT_SOURCE_DIR}/framework/include/gradlab/core.h")

add_library(gradlab_pch_labs OBJECT "${PROJECT_SOURCE_DIR}/cmake/pch.cpp")
target_link_libraries(gradlab_pch_labs PRIVATE gradlab_engine gradlab_options gradlab_warnings)
target_precompile_headers(gradlab_pch_labs PRIVATE ${GRADLAB_PCH_HEADERS})

add_library(gradlab_pch_mutants OBJECT "${PROJECT_SOURCE_DIR}/cmake/pch.cpp")
target_link_libraries(gradlab_pch_mutants PRIVATE gradlab_engine gradlab_options)
target_compile_options(gradlab_pch_mutants PRIVATE -O1)
target_precompile_headers(gradlab_pch_mutants PRIVATE ${GRADLAB_PCH_HEADERS})

function(gradlab_use_pch target kind)
  target_precompile_headers(${target} REUSE_FROM gradlab_pch_${kind})
endfunction()
