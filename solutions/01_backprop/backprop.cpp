// Lab 01 — backpropagation.
//
// Every elementary operation has a forward rule (given) and a backward rule (yours).
// A backward rule receives dy = ∂L/∂y and ADDS each input's share of the gradient:
//
//     ∂L/∂x  +=  ∂L/∂y · ∂y/∂x          (the chain rule, one edge of the graph)
//
// Always `+=`: when x feeds several operations, each one adds its contribution.
// Shapes: y and dy have the output's shape; dx has the input's own shape.
#include "gradlab/kernels/backprop.h"

#include "gradlab/kernels/matmul.h"

#include <unordered_set>

namespace gradlab::kernels {

// ============================================================== broadcasting

namespace {

// Whether x can be broadcast to y's shape: each dimension equal, or 1 in x.
void check_broadcast(ConstMatrixRef x, ConstMatrixRef y, const char* op) {
  GRADLAB_CHECK((x.rows() == y.rows() || x.rows() == 1) && (x.cols() == y.cols() || x.cols() == 1),
                std::string(op) + ": cannot broadcast " + shape_string(x.rows(), x.cols()) + " to " +
                    shape_string(y.rows(), y.cols()));
}

// y[i, j] = f(a[i or 0, j or 0], b[i or 0, j or 0]) in one pass over y: a dimension of
// size 1 is read again for every row or column instead of being copied out first (a
// copy would cost a full-size temporary and a second pass).
template <class F>
void broadcast_binary(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y, const char* op, F f) {
  check_broadcast(a, y, op);
  check_broadcast(b, y, op);
  if (y.size() == 0) return;
  const Index a_step = a.cols() == 1 ? 0 : 1;  // 0: the same element for every j
  const Index b_step = b.cols() == 1 ? 0 : 1;
  for (Index i = 0; i < y.rows(); ++i) {
    const Scalar* ar = a.row(a.rows() == 1 ? 0 : i).data();
    const Scalar* br = b.row(b.rows() == 1 ? 0 : i).data();
    Scalar* yr = y.row(i).data();
    if (a_step == 1 && b_step == 1) {  // the common case, kept simple so it vectorizes
      for (Index j = 0; j < y.cols(); ++j) yr[j] = f(ar[j], br[j]);
    } else {
      for (Index j = 0; j < y.cols(); ++j) yr[j] = f(ar[j * a_step], br[j * b_step]);
    }
  }
}

}  // namespace

// y[i, j] = x[i or 0, j or 0]: a dimension of size 1 is repeated.
void broadcast_to(ConstMatrixRef x, MatrixRef y) {
  check_broadcast(x, y, "broadcast_to");
  for (Index i = 0; i < y.rows(); ++i) {
    const Index xi = x.rows() == 1 ? 0 : i;
    if (x.cols() == y.cols()) {
      y.row(i) = x.row(xi);
    } else {
      y.row(i).setConstant(x(xi, 0));
    }
  }
}

// Broadcasting copied x[0, j] into every row i, so x[0, j] influenced every y[i, j]:
//     ∂L/∂x[0, j] = Σ_i ∂L/∂y[i, j]        (and likewise for a repeated column).
// g: [N, D];  dx: [N, D], [1, D], [N, 1] or [1, 1].
void reduce_broadcast(ConstMatrixRef g, Matrix& dx) {
  // BEGIN SOLUTION
  const bool sum_rows = dx.rows() == 1 && g.rows() != 1;
  const bool sum_cols = dx.cols() == 1 && g.cols() != 1;
  if (sum_rows && sum_cols) {
    dx(0, 0) += g.sum();
  } else if (sum_rows) {
    dx += g.colwise().sum();  // [N, D] -> [1, D]
  } else if (sum_cols) {
    dx += g.rowwise().sum();  // [N, D] -> [N, 1]
  } else {
    dx += g;
  }
  // END SOLUTION
}

// ============================================================== element-wise binary

// y = a + b.   ∂y/∂a = 1, ∂y/∂b = 1.
void add_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y) {
  broadcast_binary(a, b, y, "add", [](Scalar p, Scalar q) { return p + q; });
}

void add_backward(ConstMatrixRef dy, Matrix* da, Matrix* db) {
  // BEGIN SOLUTION
  if (da) reduce_broadcast(dy, *da);
  if (db) reduce_broadcast(dy, *db);
  // END SOLUTION
}

// y = a - b.   ∂y/∂a = 1, ∂y/∂b = -1.
void sub_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y) {
  broadcast_binary(a, b, y, "sub", [](Scalar p, Scalar q) { return p - q; });
}

void sub_backward(ConstMatrixRef dy, Matrix* da, Matrix* db) {
  // BEGIN SOLUTION
  if (da) reduce_broadcast(dy, *da);
  if (db) reduce_broadcast(-dy, *db);
  // END SOLUTION
}

// y = a ⊙ b.   ∂y/∂a = b, ∂y/∂b = a (element by element, after broadcasting).
void mul_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y) {
  broadcast_binary(a, b, y, "mul", [](Scalar p, Scalar q) { return p * q; });
}

void mul_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db) {
  // BEGIN SOLUTION
  Matrix a_full(dy.rows(), dy.cols());
  Matrix b_full(dy.rows(), dy.cols());
  broadcast_to(a, a_full);
  broadcast_to(b, b_full);
  if (da) reduce_broadcast(dy.cwiseProduct(b_full), *da);
  if (db) reduce_broadcast(dy.cwiseProduct(a_full), *db);
  // END SOLUTION
}

// y = a / b.   ∂y/∂a = 1/b,  ∂y/∂b = -a/b².
void div_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y) {
  broadcast_binary(a, b, y, "div", [](Scalar p, Scalar q) { return p / q; });
}

void div_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db) {
  // BEGIN SOLUTION
  Matrix a_full(dy.rows(), dy.cols());
  Matrix b_full(dy.rows(), dy.cols());
  broadcast_to(a, a_full);
  broadcast_to(b, b_full);
  if (da) reduce_broadcast(dy.array() / b_full.array(), *da);
  if (db) reduce_broadcast(-dy.array() * a_full.array() / b_full.array().square(), *db);
  // END SOLUTION
}

// ============================================================== matrix product, transpose

// y = a b,  a: [N, K], b: [K, M], y: [N, M].
// y[i, j] = Σ_k a[i, k] b[k, j], so ∂L/∂a[i, k] = Σ_j ∂L/∂y[i, j] b[k, j]:
//     ∂L/∂a = ∂L/∂y bᵀ   [N, M]·[M, K] = [N, K]
//     ∂L/∂b = aᵀ ∂L/∂y   [K, N]·[N, M] = [K, M]
// (check the shapes: it is the only arrangement that fits).
void matmul_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y) {
  gemm(Trans::No, Trans::No, a.rows(), b.cols(), a.cols(), 1.0, a.data(), a.outerStride(),
       b.data(), b.outerStride(), 0.0, y.data(), y.outerStride());
}

void matmul_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db) {
  // BEGIN SOLUTION
  // gemm with beta = 1 accumulates: C <- alpha op(A) op(B) + 1 * C.
  if (da) {  // da += dy bᵀ
    gemm(Trans::No, Trans::Yes, dy.rows(), b.rows(), dy.cols(), 1.0, dy.data(), dy.outerStride(),
         b.data(), b.outerStride(), 1.0, da->data(), da->cols());
  }
  if (db) {  // db += aᵀ dy
    gemm(Trans::Yes, Trans::No, a.cols(), dy.cols(), a.rows(), 1.0, a.data(), a.outerStride(),
         dy.data(), dy.outerStride(), 1.0, db->data(), db->cols());
  }
  // END SOLUTION
}

// y = xᵀ: y[j, i] = x[i, j], so ∂L/∂x[i, j] = ∂L/∂y[j, i].
void transpose_forward(ConstMatrixRef x, MatrixRef y) { y = x.transpose(); }

void transpose_backward(ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += dy.transpose();
  // END SOLUTION
}

// ============================================================== unary

// y = -x.   ∂y/∂x = -1.
void neg_forward(ConstMatrixRef x, MatrixRef y) { y = -x; }

void neg_backward(ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx -= dy;
  // END SOLUTION
}

// y = x + s.   ∂y/∂x = 1.
void add_scalar_forward(ConstMatrixRef x, Scalar s, MatrixRef y) { y = x.array() + s; }

void add_scalar_backward(ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += dy;
  // END SOLUTION
}

// y = s x.   ∂y/∂x = s.
void mul_scalar_forward(ConstMatrixRef x, Scalar s, MatrixRef y) { y = s * x; }

void mul_scalar_backward(Scalar s, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += s * dy;
  // END SOLUTION
}

// y = eˣ.   ∂y/∂x = eˣ = y: the saved output is the derivative.
void exp_forward(ConstMatrixRef x, MatrixRef y) { y = x.array().exp(); }

void exp_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += dy.cwiseProduct(y);
  // END SOLUTION
}

// y = ln x.   ∂y/∂x = 1/x.
void log_forward(ConstMatrixRef x, MatrixRef y) { y = x.array().log(); }

void log_backward(ConstMatrixRef x, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += (dy.array() / x.array()).matrix();
  // END SOLUTION
}

// y = xᵖ.   ∂y/∂x = p xᵖ⁻¹.
void pow_forward(ConstMatrixRef x, Scalar p, MatrixRef y) { y = x.array().pow(p); }

void pow_backward(ConstMatrixRef x, Scalar p, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += (dy.array() * p * x.array().pow(p - 1.0)).matrix();
  // END SOLUTION
}

// y = √x.   ∂y/∂x = 1 / (2√x) = 1 / (2y).
void sqrt_forward(ConstMatrixRef x, MatrixRef y) { y = x.array().sqrt(); }

void sqrt_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += (dy.array() / (2.0 * y.array())).matrix();
  // END SOLUTION
}

// y = |x|.   ∂y/∂x = sign(x), taken as 0 at x = 0.
void abs_forward(ConstMatrixRef x, MatrixRef y) { y = x.cwiseAbs(); }

void abs_backward(ConstMatrixRef x, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += dy.cwiseProduct(x.cwiseSign());
  // END SOLUTION
}

// y = max(x, s).   ∂y/∂x = 1 where x > s, else 0.
void maximum_forward(ConstMatrixRef x, Scalar s, MatrixRef y) { y = x.cwiseMax(s); }

void maximum_backward(ConstMatrixRef x, Scalar s, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += (x.array() > s).select(dy, 0.0).matrix();
  // END SOLUTION
}

// y = min(x, s).   ∂y/∂x = 1 where x < s, else 0.
void minimum_forward(ConstMatrixRef x, Scalar s, MatrixRef y) { y = x.cwiseMin(s); }

void minimum_backward(ConstMatrixRef x, Scalar s, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  dx += (x.array() < s).select(dy, 0.0).matrix();
  // END SOLUTION
}

// ============================================================== reductions, row selection

// y = Σ x over the dimensions where y has size 1: [1, 1], [1, D] or [N, 1].
void sum_forward(ConstMatrixRef x, MatrixRef y) {
  if (y.rows() == 1 && y.cols() == 1) {
    y(0, 0) = x.sum();
  } else if (y.rows() == 1) {
    y = x.colwise().sum();  // [N, D] -> [1, D]
  } else {
    y = x.rowwise().sum();  // [N, D] -> [N, 1]
  }
}

// Each x[i, j] appears once in the sum y[·], with coefficient 1, so
//     ∂L/∂x[i, j] = ∂L/∂y[·]: the upstream gradient is broadcast back.
void sum_backward(ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  Matrix g(dx.rows(), dx.cols());
  broadcast_to(dy, g);
  dx += g;
  // END SOLUTION
}

// y = (1/n) Σ x, n = the number of elements averaged into each y.
void mean_forward(ConstMatrixRef x, MatrixRef y) {
  sum_forward(x, y);
  y /= static_cast<Scalar>(x.size() / y.size());
}

// ∂y/∂x[i, j] = 1/n: the sum's gradient divided by n.
void mean_backward(ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  const auto n = static_cast<Scalar>(dx.size() / dy.size());
  Matrix g(dx.rows(), dx.cols());
  broadcast_to(dy, g);
  dx += g / n;
  // END SOLUTION
}

// y[i, :] = x[indices[i], :].
void select_rows_forward(ConstMatrixRef x, const std::vector<Index>& indices, MatrixRef y) {
  for (std::size_t i = 0; i < indices.size(); ++i) y.row(static_cast<Index>(i)) = x.row(indices[i]);
}

// Row indices[i] of x was copied to row i of y, so it receives that row's gradient;
// a row copied twice receives both (+=).
void select_rows_backward(const std::vector<Index>& indices, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  for (std::size_t i = 0; i < indices.size(); ++i) dx.row(indices[i]) += dy.row(static_cast<Index>(i));
  // END SOLUTION
}

// ============================================================== the backward pass

// Depth-first search with an explicit stack (a 10,000-node chain would overflow the
// call stack if we recursed). A node is appended to `order` only after all of its
// parents have been appended ("post-order"), so every node comes after its inputs.
std::vector<Node*> topological_order(Node& root) {
  std::vector<Node*> order;
  // BEGIN SOLUTION
  std::unordered_set<Node*> visited;  // nodes already pushed once
  // Each stack entry: a node and the index of the next parent to explore.
  std::vector<std::pair<Node*, std::size_t>> stack{{&root, 0}};
  visited.insert(&root);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->parents.size()) {
      Node* p = node->parents[next++].get();
      if (visited.insert(p).second) {  // first time we meet p
        stack.emplace_back(p, 0);
      }
    } else {
      order.push_back(node);  // all parents are already in `order`
      stack.pop_back();
    }
  }
  // END SOLUTION
  return order;
}

// Walk from the root (last) to the leaves (first). When we reach a node, every node
// that consumed it has already run, so its gradient is complete and can be passed on.
void run_backward(const std::vector<Node*>& order) {
  // BEGIN SOLUTION
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node& node = **it;
    if (node.backward) node.backward(node);
  }
  // END SOLUTION
}

}  // namespace gradlab::kernels
