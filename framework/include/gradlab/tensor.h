/// \file
/// \brief Tensor: a 2-D value that remembers how it was computed, so it can be differentiated.
#pragma once

#include "gradlab/core.h"
#include "gradlab/node.h"
#include "gradlab/random.h"

#include <initializer_list>
#include <memory>

namespace gradlab {

/// \brief A 2-D matrix value with a gradient and a place in the autograd graph.
///
/// A Tensor is a cheap handle: copies share the same Node, so a parameter held by a
/// module and by an optimizer is one parameter. Operations on tensors (see ops.h)
/// record the graph while gradient mode is on (see NoGradGuard); `backward()` then
/// fills the `grad()` of every tensor that requires one.
///
/// Shapes are always 2-D, `[rows, cols]`; a batch is `[N, D]`, one example per row.
/// \sa \ref notes_backprop
class Tensor {
 public:
  /// \brief An empty tensor (no node). Most operations reject it.
  Tensor() = default;
  /// \brief A leaf holding \p value.
  explicit Tensor(Matrix value, bool requires_grad = false);
  /// \brief A leaf from a nested list of rows, e.g. `Tensor({{1, 2}, {3, 4}})`.
  Tensor(std::initializer_list<std::initializer_list<Scalar>> rows, bool requires_grad = false);
  /// \brief Wraps an existing node (used by operations).
  explicit Tensor(std::shared_ptr<Node> node) : node_(std::move(node)) {}

  /// \brief A `[rows, cols]` leaf of zeros.
  static Tensor zeros(Index rows, Index cols, bool requires_grad = false);
  /// \brief A `[rows, cols]` leaf of ones.
  static Tensor ones(Index rows, Index cols, bool requires_grad = false);
  /// \brief A `[rows, cols]` leaf filled with \p value.
  static Tensor full(Index rows, Index cols, Scalar value, bool requires_grad = false);
  /// \brief A `[rows, cols]` leaf of independent draws from N(\p mean, \p stddev²).
  static Tensor normal(Index rows, Index cols, Scalar mean, Scalar stddev, Rng& rng = default_generator(),
                       bool requires_grad = false);
  /// \brief A `[rows, cols]` leaf of independent draws from U[\p low, \p high).
  static Tensor uniform(Index rows, Index cols, Scalar low, Scalar high, Rng& rng = default_generator(),
                        bool requires_grad = false);

  /// \brief Whether this handle points at a node.
  bool defined() const { return node_ != nullptr; }
  /// \brief The value. Throws when the tensor is empty.
  const Matrix& value() const;
  /// \brief The value, writable: optimizers update parameters in place through it.
  Matrix& value();
  /// \brief dL/dvalue; zeros of the value's shape if no gradient has arrived yet.
  const Matrix& grad() const;
  /// \brief The gradient, writable (for optimizers and gradient clipping).
  Matrix& grad();
  Index rows() const { return value().rows(); }  ///< number of rows
  Index cols() const { return value().cols(); }  ///< number of columns
  Index size() const { return value().size(); }  ///< rows × cols
  /// \brief The single element of a `[1, 1]` tensor; throws for any other shape.
  Scalar item() const;
  /// \brief The shape as a string, `[rows, cols]`.
  std::string shape() const { return shape_string(value()); }

  /// \brief Whether gradients flow into this tensor.
  bool requires_grad() const;
  /// \brief Marks a leaf as a parameter (true) or a constant (false).
  Tensor& set_requires_grad(bool on);

  /// \brief Back-propagates from a `[1, 1]` result, seeding dL/dL = 1.
  ///
  /// Gradients of leaves *accumulate* over calls until zero_grad(); gradients of
  /// interior nodes are recomputed on every call.
  void backward();
  /// \brief Back-propagates with the upstream gradient \p upstream (same shape as this tensor).
  void backward(ConstMatrixRef upstream);
  /// \brief Resets this tensor's gradient to zeros.
  void zero_grad();
  /// \brief A new leaf sharing nothing with the graph: same value, no gradient history.
  Tensor detach() const;

  /// \brief The underlying graph node (shared).
  const std::shared_ptr<Node>& node() const { return node_; }

 private:
  Node& checked_node() const;
  std::shared_ptr<Node> node_;
};

/// \brief While an object of this type lives, operations record no graph (evaluation mode).
///
/// \code
/// { NoGradGuard no_grad; Tensor y = model(x); }  // no graph, no memory kept for backward
/// \endcode
/// Guards nest; each restores the previous mode. The mode is per thread.
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

/// \brief Whether operations currently record the graph (false inside a NoGradGuard).
bool grad_enabled();

}  // namespace gradlab
