#include "gradlab/tensor.h"

#include "gradlab/kernels/backprop.h"

namespace gradlab {

namespace {
thread_local bool g_grad_enabled = true;  // per-thread recording mode, see NoGradGuard
}  // namespace

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }

Tensor::Tensor(Matrix value, bool requires_grad)
    : node_(std::make_shared<Node>(std::move(value), requires_grad)) {}

Tensor::Tensor(std::initializer_list<std::initializer_list<Scalar>> rows, bool requires_grad) {
  const auto n = static_cast<Index>(rows.size());
  const auto d = n == 0 ? Index{0} : static_cast<Index>(rows.begin()->size());
  Matrix m(n, d);
  Index i = 0;
  for (const auto& row : rows) {
    GRADLAB_CHECK(static_cast<Index>(row.size()) == d,
                  "Tensor: row " + std::to_string(i) + " has " + std::to_string(row.size()) +
                      " values but row 0 has " + std::to_string(d));
    Index j = 0;
    for (Scalar v : row) m(i, j++) = v;
    ++i;
  }
  node_ = std::make_shared<Node>(std::move(m), requires_grad);
}

Tensor Tensor::zeros(Index rows, Index cols, bool requires_grad) {
  return full(rows, cols, 0.0, requires_grad);
}
Tensor Tensor::ones(Index rows, Index cols, bool requires_grad) {
  return full(rows, cols, 1.0, requires_grad);
}
Tensor Tensor::full(Index rows, Index cols, Scalar value, bool requires_grad) {
  GRADLAB_CHECK(rows >= 0 && cols >= 0, "Tensor: negative shape " + shape_string(rows, cols));
  return Tensor(Matrix::Constant(rows, cols, value), requires_grad);
}
Tensor Tensor::normal(Index rows, Index cols, Scalar mean, Scalar stddev, Rng& rng,
                      bool requires_grad) {
  GRADLAB_CHECK(stddev >= 0, "Tensor::normal: stddev must be >= 0, got " + std::to_string(stddev));
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal(mean, stddev);
  return Tensor(std::move(m), requires_grad);
}
Tensor Tensor::uniform(Index rows, Index cols, Scalar low, Scalar high, Rng& rng,
                       bool requires_grad) {
  GRADLAB_CHECK(low <= high, "Tensor::uniform: need low <= high, got [" + std::to_string(low) +
                                 ", " + std::to_string(high) + ")");
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(low, high);
  return Tensor(std::move(m), requires_grad);
}

Node& Tensor::checked_node() const {
  GRADLAB_CHECK(node_ != nullptr, "use of an empty Tensor (default-constructed, never assigned)");
  return *node_;
}

const Matrix& Tensor::value() const { return checked_node().value; }
Matrix& Tensor::value() { return checked_node().value; }
const Matrix& Tensor::grad() const { return checked_node().ensure_grad(); }
Matrix& Tensor::grad() { return checked_node().ensure_grad(); }

Scalar Tensor::item() const {
  GRADLAB_CHECK(rows() == 1 && cols() == 1,
                "Tensor::item needs a [1, 1] tensor, got " + shape());
  return value()(0, 0);
}

bool Tensor::requires_grad() const { return checked_node().requires_grad; }

Tensor& Tensor::set_requires_grad(bool on) {
  Node& node = checked_node();
  GRADLAB_CHECK(!node.backward || on,
                "set_requires_grad(false) on the result of an operation; use detach() instead");
  node.requires_grad = on;
  return *this;
}

void Tensor::backward() {
  GRADLAB_CHECK(rows() == 1 && cols() == 1,
                "backward() without an upstream gradient needs a [1, 1] result (a loss), got " +
                    shape() + "; pass the upstream gradient instead");
  backward(Matrix::Ones(1, 1));
}

void Tensor::backward(ConstMatrixRef upstream) {
  Node& root = checked_node();
  GRADLAB_CHECK(root.requires_grad,
                "backward() on a tensor that does not require a gradient: no parameter "
                "was involved, or it was computed inside a NoGradGuard");
  GRADLAB_CHECK(upstream.rows() == rows() && upstream.cols() == cols(),
                "backward(upstream): upstream is " + shape_string(upstream.rows(), upstream.cols()) +
                    " but the tensor is " + shape());
  const std::vector<Node*> order = kernels::topological_order(root);
  // Interior gradients describe this pass only; leaf gradients accumulate across passes.
  for (Node* node : order) {
    if (node->backward) node->zero_grad();
  }
  root.ensure_grad() += upstream;
  kernels::run_backward(order);
}

void Tensor::zero_grad() { checked_node().zero_grad(); }

Tensor Tensor::detach() const { return Tensor(value(), false); }

}  // namespace gradlab
