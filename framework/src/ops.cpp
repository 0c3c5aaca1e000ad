// The elementary differentiable operations. Each one
//   1. checks its inputs' shapes (an error names the op and both shapes),
//   2. computes its value with a forward kernel,
//   3. records the backward kernel in a closure, when gradients are wanted.
// The math itself lives in the kernels (lab 01); this file is only the glue.
#include "gradlab/ops.h"

#include "gradlab/autograd.h"
#include "gradlab/kernels/backprop.h"
#include "gradlab/kernels/matmul.h"

#include <utility>

namespace gradlab {

Tensor record_op(Matrix value, const char* op, std::initializer_list<const Tensor*> inputs,
                 BackwardFn backward) {
  auto node = std::make_shared<Node>(std::move(value));
  node->op = op;
  bool needs_grad = false;
  for (const Tensor* input : inputs) needs_grad = needs_grad || input->requires_grad();
  if (needs_grad && grad_enabled()) {
    node->requires_grad = true;
    for (const Tensor* input : inputs) node->parents.push_back(input->node());
    node->backward = std::move(backward);
  }
  return Tensor(std::move(node));
}

namespace {

// The broadcast shape of a and b: in each dimension the sizes must be equal or one
// of them must be 1 (which is then repeated).
std::pair<Index, Index> broadcast_shape(const Tensor& a, const Tensor& b, const char* op) {
  auto combine = [&](Index m, Index n) {
    GRADLAB_CHECK(m == n || m == 1 || n == 1,
                  std::string(op) + ": shapes " + a.shape() + " and " + b.shape() +
                      " cannot be broadcast together (each dimension must match or be 1)");
    return m == 1 ? n : m;
  };
  return {combine(a.rows(), b.rows()), combine(a.cols(), b.cols())};
}

Node& parent(Node& self, std::size_t i) { return *self.parents[i]; }

// Shapes of a reduction's result.
std::pair<Index, Index> reduced_shape(const Tensor& x, Axis axis) {
  return axis == Axis::Rows ? std::pair{Index{1}, x.cols()} : std::pair{x.rows(), Index{1}};
}

}  // namespace

// ---------------------------------------------------------------- element-wise binary

Tensor add(const Tensor& a, const Tensor& b) {
  auto [n, d] = broadcast_shape(a, b, "add");
  Matrix y = new_matrix(n, d);
  kernels::add_forward(a.value(), b.value(), y);
  return record_op(std::move(y), "add", {&a, &b}, [](Node& self) {
    kernels::add_backward(self.grad, parent(self, 0).grad_or_null(), parent(self, 1).grad_or_null());
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  auto [n, d] = broadcast_shape(a, b, "sub");
  Matrix y = new_matrix(n, d);
  kernels::sub_forward(a.value(), b.value(), y);
  return record_op(std::move(y), "sub", {&a, &b}, [](Node& self) {
    kernels::sub_backward(self.grad, parent(self, 0).grad_or_null(), parent(self, 1).grad_or_null());
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  auto [n, d] = broadcast_shape(a, b, "mul");
  Matrix y = new_matrix(n, d);
  kernels::mul_forward(a.value(), b.value(), y);
  return record_op(std::move(y), "mul", {&a, &b}, [](Node& self) {
    Node& pa = parent(self, 0);
    Node& pb = parent(self, 1);
    kernels::mul_backward(pa.value, pb.value, self.grad, pa.grad_or_null(), pb.grad_or_null());
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  auto [n, d] = broadcast_shape(a, b, "div");
  Matrix y = new_matrix(n, d);
  kernels::div_forward(a.value(), b.value(), y);
  return record_op(std::move(y), "div", {&a, &b}, [](Node& self) {
    Node& pa = parent(self, 0);
    Node& pb = parent(self, 1);
    kernels::div_backward(pa.value, pb.value, self.grad, pa.grad_or_null(), pb.grad_or_null());
  });
}

// ---------------------------------------------------------------- matrix product, transpose

Tensor matmul(const Tensor& a, const Tensor& b) {
  GRADLAB_CHECK(a.cols() == b.rows(), "matmul: " + a.shape() + " x " + b.shape() +
                                          " needs the left operand's columns (" +
                                          std::to_string(a.cols()) + ") to equal the right's rows (" +
                                          std::to_string(b.rows()) + ")");
  Matrix y = new_matrix(a.rows(), b.cols());
  kernels::matmul_forward(a.value(), b.value(), y);
  return record_op(std::move(y), "matmul", {&a, &b}, [](Node& self) {
    Node& pa = parent(self, 0);
    Node& pb = parent(self, 1);
    kernels::matmul_backward(pa.value, pb.value, self.grad, pa.grad_or_null(), pb.grad_or_null());
  });
}

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  GRADLAB_CHECK(x.cols() == w.rows() && b.rows() == 1 && b.cols() == w.cols(),
                "linear: x " + x.shape() + ", W " + w.shape() + " and b " + b.shape() +
                    " do not fit: need x [N, K], W [K, M] and b [1, M]");
  Matrix y = new_matrix(x.rows(), w.cols());
  kernels::broadcast_to(b.value(), y);  // y = b in every row ...
  kernels::gemm(kernels::Trans::No, kernels::Trans::No, x.rows(), w.cols(), x.cols(), 1.0,  // ... += x W
                x.value().data(), x.cols(), w.value().data(), w.cols(), 1.0, y.data(), y.cols());
  return record_op(std::move(y), "linear", {&x, &w, &b}, [](Node& self) {
    Node& px = parent(self, 0);
    Node& pw = parent(self, 1);
    kernels::matmul_backward(px.value, pw.value, self.grad, px.grad_or_null(), pw.grad_or_null());
    if (Matrix* db = parent(self, 2).grad_or_null()) kernels::reduce_broadcast(self.grad, *db);
  });
}

Tensor transpose(const Tensor& x) {
  Matrix y = new_matrix(x.cols(), x.rows());
  kernels::transpose_forward(x.value(), y);
  return record_op(std::move(y), "transpose", {&x}, [](Node& self) {
    kernels::transpose_backward(self.grad, parent(self, 0).ensure_grad());
  });
}

// ---------------------------------------------------------------- unary

Tensor neg(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::neg_forward(x.value(), y);
  return record_op(std::move(y), "neg", {&x}, [](Node& self) {
    kernels::neg_backward(self.grad, parent(self, 0).ensure_grad());
  });
}

Tensor add_scalar(const Tensor& x, Scalar s) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::add_scalar_forward(x.value(), s, y);
  return record_op(std::move(y), "add_scalar", {&x}, [](Node& self) {
    kernels::add_scalar_backward(self.grad, parent(self, 0).ensure_grad());
  });
}

Tensor mul_scalar(const Tensor& x, Scalar s) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::mul_scalar_forward(x.value(), s, y);
  return record_op(std::move(y), "mul_scalar", {&x}, [s](Node& self) {
    kernels::mul_scalar_backward(s, self.grad, parent(self, 0).ensure_grad());
  });
}

Tensor exp(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::exp_forward(x.value(), y);
  return record_op(std::move(y), "exp", {&x}, [](Node& self) {
    kernels::exp_backward(self.value, self.grad, parent(self, 0).ensure_grad());
  });
}

Tensor log(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::log_forward(x.value(), y);
  return record_op(std::move(y), "log", {&x}, [](Node& self) {
    Node& px = parent(self, 0);
    kernels::log_backward(px.value, self.grad, px.ensure_grad());
  });
}

Tensor pow(const Tensor& x, Scalar p) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::pow_forward(x.value(), p, y);
  return record_op(std::move(y), "pow", {&x}, [p](Node& self) {
    Node& px = parent(self, 0);
    kernels::pow_backward(px.value, p, self.grad, px.ensure_grad());
  });
}

Tensor sqrt(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::sqrt_forward(x.value(), y);
  return record_op(std::move(y), "sqrt", {&x}, [](Node& self) {
    kernels::sqrt_backward(self.value, self.grad, parent(self, 0).ensure_grad());
  });
}

Tensor abs(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::abs_forward(x.value(), y);
  return record_op(std::move(y), "abs", {&x}, [](Node& self) {
    Node& px = parent(self, 0);
    kernels::abs_backward(px.value, self.grad, px.ensure_grad());
  });
}

Tensor maximum(const Tensor& x, Scalar s) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::maximum_forward(x.value(), s, y);
  return record_op(std::move(y), "maximum", {&x}, [s](Node& self) {
    Node& px = parent(self, 0);
    kernels::maximum_backward(px.value, s, self.grad, px.ensure_grad());
  });
}

Tensor minimum(const Tensor& x, Scalar s) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::minimum_forward(x.value(), s, y);
  return record_op(std::move(y), "minimum", {&x}, [s](Node& self) {
    Node& px = parent(self, 0);
    kernels::minimum_backward(px.value, s, self.grad, px.ensure_grad());
  });
}

// ---------------------------------------------------------------- reductions

namespace {
Tensor reduce(const Tensor& x, Index rows, Index cols, bool average, const char* op) {
  GRADLAB_CHECK(!average || (x.rows() > 0 && x.cols() > 0),
                std::string(op) + ": the mean of an empty tensor " + x.shape() + " is undefined");
  Matrix y = new_matrix(rows, cols);
  if (average) {
    kernels::mean_forward(x.value(), y);
  } else {
    kernels::sum_forward(x.value(), y);
  }
  return record_op(std::move(y), op, {&x}, [average](Node& self) {
    Node& px = parent(self, 0);
    if (average) {
      kernels::mean_backward(self.grad, px.ensure_grad());
    } else {
      kernels::sum_backward(self.grad, px.ensure_grad());
    }
  });
}
}  // namespace

Tensor sum(const Tensor& x) { return reduce(x, 1, 1, false, "sum"); }
Tensor mean(const Tensor& x) { return reduce(x, 1, 1, true, "mean"); }
Tensor sum(const Tensor& x, Axis axis) {
  auto [r, c] = reduced_shape(x, axis);
  return reduce(x, r, c, false, "sum");
}
Tensor mean(const Tensor& x, Axis axis) {
  auto [r, c] = reduced_shape(x, axis);
  return reduce(x, r, c, true, "mean");
}

Tensor select_rows(const Tensor& x, const std::vector<Index>& indices) {
  for (std::size_t i = 0; i < indices.size(); ++i) {
    GRADLAB_CHECK(indices[i] >= 0 && indices[i] < x.rows(),
                  "select_rows: index " + std::to_string(indices[i]) + " (position " +
                      std::to_string(i) + ") is out of range for a tensor with " +
                      std::to_string(x.rows()) + " rows");
  }
  Matrix y = new_matrix(static_cast<Index>(indices.size()), x.cols());
  kernels::select_rows_forward(x.value(), indices, y);
  return record_op(std::move(y), "select_rows", {&x}, [indices](Node& self) {
    kernels::select_rows_backward(indices, self.grad, parent(self, 0).ensure_grad());
  });
}

}  // namespace gradlab
