# Sourced by ./grade and ./run-tests: make sure the Debian packages are present, then
# configure the default preset once. Not meant to be run on its own.

GRADLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRADLAB_BUILD="$GRADLAB_ROOT/build/default"
GRADLAB_PACKAGES=(cmake ninja-build g++ libeigen3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcxxopts-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev gnuplot-nox doxygen graphviz
  libjs-mathjax bubblewrap)

gradlab_bootstrap() {
  local missing=()
  for p in "${GRADLAB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
      echo "gradlab: installing ${missing[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        echo "gradlab: apt-get failed; install these packages and try again: ${missing[*]}" >&2
        exit 2
      }
    else
      echo "gradlab needs these Debian packages. Install them with:" >&2
      echo "  sudo apt-get install ${missing[*]}" >&2
      exit 2
    fi
  fi
  if [ ! -f "$GRADLAB_BUILD/CMakeCache.txt" ]; then
    (cd "$GRADLAB_ROOT" && cmake --preset default >&2) || {
      echo "gradlab: CMake configuration failed (see above)" >&2
      exit 2
    }
  fi
}
