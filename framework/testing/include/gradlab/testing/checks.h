/// \file
/// \brief Checks every lab's tests share: backward passes that add (+=) into gradients,
/// finite values, matrices equal within a tolerance, and error messages.
///
/// Each check returns a `::testing::AssertionResult`: use it as
/// `EXPECT_TRUE(accumulates(...))`, and GoogleTest prints the check's own explanation
/// when it fails.
#pragma once

#include "gradlab/testing/gradcheck.h"

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace gradlab::testing {

/// \brief Checks that the backward rules of \p f ADD into the inputs' gradients
/// (`dx += …`) instead of overwriting them (`dx = …`).
///
/// Runs `f(inputs).backward(G)` twice with the same random upstream gradient G (seed
/// 99): every input's gradient must then be twice what it was after the first pass
/// (within 1e-12 × max(1, its largest element)). Every input is marked as requiring a
/// gradient. Fails as well when every gradient is zero after the first pass (then the
/// check could not tell += from =).
///
/// Failure message, per input: "after two backward passes dx[i,j] = …, but twice the
/// first pass is …: a backward rule overwrites the gradient (dx = …) instead of adding
/// to it (dx += …)".
/// \param names optional input names for messages ("a", "b", …; default "input0", …)
::testing::AssertionResult accumulates(const TensorFunction& f, std::vector<Tensor> inputs,
                                       const std::vector<std::string>& names = {});

/// \brief Checks that a backward KERNEL adds into its output dx instead of overwriting it.
///
/// \p backward is called twice on a [rows, cols] dx: once starting from zeros (its
/// contribution g), once starting from a random non-zero dx₀ (seed 99). The second
/// result must be dx₀ + g (within 1e-12 × max(1, its largest element)). Fails as well
/// when g is all zeros (nothing was written, so += and = cannot be told apart).
///
/// Failure message: "the backward kernel does not add into dx: starting from a
/// non-zero dx, dx[i,j] = … but (old dx + its contribution) is …. Use dx += …, not
/// dx = …".
///
/// Example: `accumulates([&](MatrixRef dx) { kernels::relu_backward(x, y, dy, dx); }, 3, 4)`.
::testing::AssertionResult accumulates(const std::function<void(MatrixRef dx)>& backward, Index rows,
                                       Index cols);

/// \brief Checks that no element of \p m is NaN or ±inf.
///
/// Failure message: "element [i,j] of a [r, c] matrix is nan" (the first one found, and
/// how many there are in all).
::testing::AssertionResult all_finite(const Matrix& m);

/// \brief Checks that \p actual and \p expected have the same shape and agree element
/// by element within \p tolerance (absolute; 0 asks for equality). NaN never agrees.
///
/// Failure message: the shapes when they differ, else "element [i,j] is … but should
/// be … (tolerance …)" for the worst element, and how many elements are off.
::testing::AssertionResult near(const Matrix& actual, const Matrix& expected, Scalar tolerance);

/// \brief Checks that \p text contains every one of \p pieces.
///
/// Failure message: "the text does not mention 'piece'" for each missing piece, then
/// the text itself.
::testing::AssertionResult mentions(const std::string& text, std::initializer_list<std::string> pieces);

/// \brief Checks that \p action throws gradlab::Error and that its message mentions
/// every one of \p pieces (a good error message names what was wrong).
///
/// A gradlab::NotImplemented is not caught: it reaches GoogleTest, which reports the
/// kernel as not implemented yet rather than as a wrong error message.
///
/// Failure messages: "no gradlab::Error was thrown (expected one mentioning '…')", or
/// "the error message should mention '…': <the message>".
///
/// Example: `EXPECT_TRUE(throws_error_mentioning([&] { f(bad); }, {"[2, 3]", "[3, 2]"}))`.
::testing::AssertionResult throws_error_mentioning(const std::function<void()>& action,
                                                   std::initializer_list<std::string> pieces);

/// \brief \p m on one line, rows separated by ';' (e.g. "[1, 2; 3, 4]"), for failure messages.
std::string str(const Matrix& m);

}  // namespace gradlab::testing
