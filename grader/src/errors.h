// The two kinds of error that stop the grader with exit code 2. A student's wrong,
// crashing or non-compiling code is never one of them: that is a result (exit code 1).
#pragma once

#include <stdexcept>
#include <string>

namespace gradlab::grader {

/// \brief The command line asks for something that does not exist (an unknown lab id,
/// a missing option value).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// \brief The grader cannot do its job: a malformed lab.toml, an unconfigured build
/// directory, a failed fork. The message names the file and the problem.
struct InfrastructureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gradlab::grader
