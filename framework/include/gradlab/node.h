/// \file
/// \brief One vertex of the autograd graph: a value, its gradient, and how to pass that gradient back.
#pragma once

#include "gradlab/core.h"

#include <functional>
#include <memory>
#include <vector>

namespace gradlab {

/// \brief A vertex of the computation graph.
///
/// Every Tensor points at a Node. An operation such as `c = a * b` makes a new node
/// for `c` whose `parents` are the nodes of `a` and `b` and whose `backward` closure
/// knows how to turn `c.grad` into contributions to `a.grad` and `b.grad`:
/// \f[ \frac{\partial L}{\partial a} \mathrel{+}= \frac{\partial L}{\partial c}\,\frac{\partial c}{\partial a}. \f]
/// Leaves (data and parameters) have no parents and no closure.
///
/// Ensures: a graph of any depth is destroyed without recursion (a 10,000-node
/// chain does not overflow the stack).
struct Node {
  Matrix value;                                ///< the forward result, [rows, cols]
  Matrix grad;                                 ///< dL/dvalue, same shape; empty until needed
  bool requires_grad = false;                  ///< whether dL/dvalue is wanted
  std::vector<std::shared_ptr<Node>> parents;  ///< the inputs of the operation that made this node
  /// \brief Adds this node's gradient into its parents' gradients (`+=`, never `=`).
  /// Empty for leaves.
  std::function<void(Node& self)> backward;
  const char* op = "leaf";  ///< the operation's name, for error messages and graph drawings

  Node() = default;
  /// \brief A leaf holding \p v.
  explicit Node(Matrix v, bool needs_grad = false) : value(std::move(v)), requires_grad(needs_grad) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  /// \brief The gradient, allocated as zeros of the value's shape on first use.
  Matrix& ensure_grad();
  /// \brief Sets the gradient to zeros of the value's shape, in place when it has that shape.
  void zero_grad();

  /// \brief `&ensure_grad()` when this node requires a gradient, else `nullptr`.
  ///
  /// Backward kernels take their input gradients as pointers: a null pointer means
  /// "this input needs no gradient, skip it".
  Matrix* grad_or_null() { return requires_grad ? &ensure_grad() : nullptr; }
};

/// \brief An uninitialised `[rows, cols]` matrix for an operation's result or a gradient.
///
/// A training loop builds the same graph at every step. When a graph is freed, its
/// nodes hand their matrices to a per-thread cache, and the next step's nodes of the
/// same size take them back from it: a caching allocator, as PyTorch has. Without it
/// every step asks the system for fresh memory, and the first touch of each fresh page
/// costs more than an element-wise operation's arithmetic on it. Small matrices are
/// not cached (malloc serves them well), the cache holds at most 256 MiB per thread, and
/// only memory that new_matrix() handed out goes back to it. Fill the result before
/// reading it.
Matrix new_matrix(Index rows, Index cols);

/// \brief Hands \p m's memory to the cache of new_matrix() (or frees it); \p m is left empty.
void recycle(Matrix& m);

}  // namespace gradlab
