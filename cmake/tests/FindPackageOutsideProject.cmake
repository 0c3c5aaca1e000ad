# cmake -DSOURCE_DIR=… -DBUILD_DIR=… -DCOMPONENT=… -DWORK=… -DGENERATOR=… -DCXX_COMPILER=…
#       -P FindPackageOutsideProject.cmake
#
# 1. `cmake --install BUILD_DIR --component COMPONENT` into WORK/prefix;
# 2. the installed files are there, and the exported target carries none of this
#    build's own flags or internal targets;
# 3. the version file accepts 0.1 and refuses 0.2 and 1.0;
# 4. examples/find_package is configured with CMAKE_PREFIX_PATH=WORK/prefix (and
#    without -march=native), built and run: its MLP's loss must fall;
# 5. the README's snippet is the example's CMakeLists.txt.
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/Run.cmake")

file(REMOVE_RECURSE "${WORK}")
set(prefix "${WORK}/prefix")

# 1.
run("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" --component "${COMPONENT}")

# 2.
file(GLOB_RECURSE config "${prefix}/*/gradlabConfig.cmake")
file(GLOB_RECURSE library "${prefix}/*/libgradlab.a")
foreach(expected config library)
  if(NOT ${expected})
    message(FATAL_ERROR "cmake --install wrote no ${expected} under ${prefix}")
  endif()
endforeach()
if(NOT EXISTS "${prefix}/include/gradlab/gradlab.h" OR NOT EXISTS "${prefix}/include/gradlab/kernels/matmul.h")
  message(FATAL_ERROR "the public headers are not installed under ${prefix}/include/gradlab")
endif()
get_filename_component(config_dir "${config}" DIRECTORY)
file(GLOB targets_files "${config_dir}/gradlabTargets*.cmake")
foreach(file IN LISTS targets_files)
  file(READ "${file}" text)
  foreach(leak march gradlab_options gradlab_warnings gradlab_engine Werror)
    string(FIND "${text}" "${leak}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "the exported targets (${file}) mention '${leak}': a build-tree setting leaks to users")
    endif()
  endforeach()
endforeach()

# 3. The version file alone (in script mode it skips the pointer-size check).
foreach(pair "0.1=TRUE" "0.1.0=TRUE" "0.2=FALSE" "1.0=FALSE")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 PACKAGE_FIND_VERSION)
  list(GET pair 1 expected)
  string(REPLACE "." ";" parts "${PACKAGE_FIND_VERSION}.0.0")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  list(GET parts 2 PACKAGE_FIND_VERSION_PATCH)
  set(PACKAGE_FIND_VERSION_COUNT 2)
  unset(PACKAGE_VERSION_COMPATIBLE)
  include("${config_dir}/gradlabConfigVersion.cmake")
  if(NOT "${PACKAGE_VERSION_COMPATIBLE}" STREQUAL "${expected}")
    message(FATAL_ERROR "gradlab ${PACKAGE_VERSION} answers a request for ${PACKAGE_FIND_VERSION} with "
                        "'${PACKAGE_VERSION_COMPATIBLE}', expected ${expected}")
  endif()
endforeach()

# 4. Release without -march=native: a user's flags, not this build's.
run("configuring examples/find_package" ${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/find_package" -B "${WORK}/build"
    -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run("building examples/find_package" ${CMAKE_COMMAND} --build "${WORK}/build")
run("running the example" "${WORK}/build/xor_mlp")
message(STATUS "${run_output}")
if(NOT run_output MATCHES "^gradlab example: XOR loss [0-9.]+ -> [0-9.]+ after 300 Adam steps\n$")
  message(FATAL_ERROR "unexpected output of the example:\n${run_output}")
endif()

# 5. Every line of the example's CMakeLists.txt that is not a comment is in the README.
file(READ "${SOURCE_DIR}/README.md" readme)
file(STRINGS "${SOURCE_DIR}/examples/find_package/CMakeLists.txt" lines)
foreach(line IN LISTS lines)
  if(line MATCHES "^[a-z_]+\\(" AND NOT line MATCHES "^cmake_minimum_required")
    string(FIND "${readme}" "${line}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "README.md does not show this line of examples/find_package/CMakeLists.txt:\n  ${line}")
    endif()
  endif()
endforeach()
