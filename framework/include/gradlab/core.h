/// \file
/// \brief The basic vocabulary of gradlab: the scalar type, matrices, errors and checks.
#pragma once

#include <Eigen/Core>

#include <stdexcept>
#include <string>

/// \brief Everything in gradlab lives in this namespace.
namespace gradlab {

/// \brief The one floating-point type of the whole framework.
///
/// Everything is `double`, so that gradient checks against finite differences agree
/// to about 1e-8 and tolerances never flake.
using Scalar = double;

/// \brief Signed index type for rows, columns and sizes (Eigen's).
using Index = Eigen::Index;

/// \brief A dense, dynamically sized, row-major matrix: the value of every tensor.
///
/// A batch of N examples with D features is an N × D matrix: one example per row.
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// \brief A writable view of a Matrix (or of a block of one) that kernels write into.
using MatrixRef = Eigen::Ref<Matrix>;

/// \brief A read-only view of a Matrix, a block or an expression, for kernel inputs.
using ConstMatrixRef = Eigen::Ref<const Matrix>;

/// \brief Base class of every error gradlab reports; the message says what and where.
class Error : public std::runtime_error {
 public:
  /// \brief An error with the given message.
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// \brief Thrown by the part of a lab that the student has not written yet.
///
/// The grader recognises it and reports the test as NOT STARTED rather than failed.
/// Its message is `"not implemented: lab NN: function"`.
class NotImplemented : public Error {
 public:
  /// \brief \p what names the lab and the function, as in `"lab 01: add_backward"`.
  explicit NotImplemented(const std::string& what) : Error("not implemented: " + what) {}
};

/// \brief Sets how many threads the matrix product may use (at least 1); the default is
/// one per core. Everything else in gradlab runs on the calling thread.
void set_num_threads(int threads);

/// \brief The number of threads the matrix product may use.
int num_threads();

/// \brief \p v as a short decimal for messages: `0.1`, `1e-05`, `nan`, `inf`.
std::string number_string(Scalar v);

/// \brief The one message shape of every option check: throws gradlab::Error
/// `"<what>: <name> must be <range>, got <value>"` unless \p ok.
void check_option(bool ok, const char* what, const char* name, const char* range, Scalar value);

/// \brief Formats a shape as `[rows, cols]`, the way every error message shows shapes.
std::string shape_string(Index rows, Index cols);

/// \brief The shape of \p m as `[rows, cols]`.
inline std::string shape_string(const Matrix& m) { return shape_string(m.rows(), m.cols()); }

namespace detail {
/// \brief Throws gradlab::Error with `file:line: message`. Used by GRADLAB_CHECK.
[[noreturn]] void check_failed(const char* file, int line, const std::string& message);
}  // namespace detail

}  // namespace gradlab

/// \brief Throws gradlab::Error naming the source location when \p cond is false.
///
/// \p message is any expression convertible to std::string; it is evaluated only on
/// failure, so it may build an expensive string.
#define GRADLAB_CHECK(cond, message)                                   \
  do {                                                                 \
    if (!(cond)) ::gradlab::detail::check_failed(__FILE__, __LINE__, (message)); \
  } while (false)
