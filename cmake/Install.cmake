# Installs the library: `cmake --install build/default --prefix P` (or with
# `--component gradlab_library`, which is everything this file installs) writes
#   P/lib/libgradlab.a                        the engine and every lab's reference kernels
#   P/include/gradlab/…                       the public headers (framework/include)
#   P/lib/cmake/gradlab/gradlabConfig.cmake   and its version file and exported targets
# so that another project can say
#   find_package(gradlab 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE gradlab::reference)
#
# The exported target carries Eigen3::Eigen, OpenMP::OpenMP_CXX (looked for again by
# gradlabConfig.cmake), EIGEN_DONT_PARALLELIZE, EIGEN_MAX_ALIGN_BYTES and C++20; never
# this build's own flags (gradlab_options: -march=native, sanitizers; gradlab_warnings),
# which stay $<BUILD_INTERFACE:…>. A library built with GRADLAB_NATIVE still runs only
# on CPUs like the one it was built on: install from a preset without it to ship it.
include(CMakePackageConfigHelpers)

set(GRADLAB_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/gradlab" CACHE STRING
    "Where gradlabConfig.cmake is installed, relative to the prefix")
set(GRADLAB_INSTALL_COMPONENT gradlab_library)

install(TARGETS gradlab_reference EXPORT gradlabTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT ${GRADLAB_INSTALL_COMPONENT})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/framework/include/gradlab"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT ${GRADLAB_INSTALL_COMPONENT}
        FILES_MATCHING PATTERN "*.h")
install(EXPORT gradlabTargets NAMESPACE gradlab:: FILE gradlabTargets.cmake
        DESTINATION "${GRADLAB_INSTALL_CMAKEDIR}" COMPONENT ${GRADLAB_INSTALL_COMPONENT})

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/gradlabConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/gradlabConfig.cmake" INSTALL_DESTINATION "${GRADLAB_INSTALL_CMAKEDIR}")
# Which versions answer a find_package(gradlab X.Y) request. From 1.0 on, the same
# major version (SameMajorVersion). Before 1.0 the API may change with any minor
# version (as semantic versioning allows for 0.y.z), so 0.1.z answers only 0.1
# requests: a project written against 0.1 is not handed a 0.2 that may break it.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(gradlab_compatibility SameMinorVersion)
else()
  set(gradlab_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${gradlab_compatibility})
install(FILES "${PROJECT_BINARY_DIR}/gradlabConfig.cmake" "${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake"
        DESTINATION "${GRADLAB_INSTALL_CMAKEDIR}" COMPONENT ${GRADLAB_INSTALL_COMPONENT})

# A library built with the sanitizers (the asan preset) needs their run-time libraries
# in every program that links it.
if(GRADLAB_SANITIZE)
  target_link_options(gradlab_reference INTERFACE $<INSTALL_INTERFACE:-fsanitize=address,undefined>)
endif()
