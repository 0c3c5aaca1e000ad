/// \file
/// \brief The one helper every differentiable operation uses to join the graph.
#pragma once

#include "gradlab/tensor.h"

#include <functional>
#include <initializer_list>

namespace gradlab {

/// \brief The backward closure of an operation: adds `self.grad` into its parents' gradients.
using BackwardFn = std::function<void(Node& self)>;

/// \brief Wraps \p value, the result of operation \p op on \p inputs, as a Tensor.
///
/// When gradient mode is on and some input requires a gradient, the result records
/// the inputs as its parents (in order: `self.parents[i]` is `inputs[i]`) and
/// \p backward as its closure; otherwise it is a constant leaf and \p backward is dropped.
/// The closure must not capture tensors or nodes (use `self.parents`), so that graphs
/// are freed without recursion.
///
/// How an operation is written (forward kernel, then the recorded backward kernel):
/// \code
/// Tensor exp(const Tensor& x) {
///   Matrix y = new_matrix(x.rows(), x.cols());  // uninitialised, from the cache
///   kernels::exp_forward(x.value(), y);
///   return record_op(std::move(y), "exp", {&x}, [](Node& self) {
///     kernels::exp_backward(self.value, self.grad, self.parents[0]->ensure_grad());
///   });
/// }
/// \endcode
Tensor record_op(Matrix value, const char* op, std::initializer_list<const Tensor*> inputs,
                 BackwardFn backward);

}  // namespace gradlab
