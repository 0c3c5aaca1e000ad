// Regularization and gradient control: the glue around lab 07's kernels. Each penalty
// operation checks its λ, computes the value with a forward kernel and records the
// backward kernel; the clipping functions check their arguments and hand the gradients
// to the kernels. gradlab::dropout(), EarlyStopping::step()/restore_best() and
// GradientAccumulator::backward()/step() are written in the lab itself.
#include "gradlab/regularization.h"

#include "gradlab/autograd.h"
#include "gradlab/ops.h"

#include <cmath>
#include <string>

namespace gradlab {

namespace {

void check_lambda(const char* op, const char* name, Scalar lambda) {
  GRADLAB_CHECK(std::isfinite(lambda) && lambda >= 0.0,
                std::string(op) + ": " + name + " = " + number_string(lambda) + " is out of range; it must be finite and >= 0");
}

// A penalty of one weight matrix as a [1, 1] operation: value from `forward`, gradient
// dw += backward(w, dout) with dout the upstream [1, 1] gradient.
template <class Forward, class Backward>
Tensor penalty_op(const Tensor& w, const char* op, Forward forward, Backward backward) {
  GRADLAB_CHECK(w.defined(), std::string(op) + ": the weight tensor is empty");
  Matrix value(1, 1);
  value(0, 0) = forward(w.value());
  return record_op(std::move(value), op, {&w}, [backward](Node& self) {
    Node& pw = *self.parents[0];
    backward(pw.value, self.grad(0, 0), pw.ensure_grad());
  });
}

// The sum of `one(p)` over the parameters, [1, 1] (0 for none).
template <class One>
Tensor sum_over(const std::vector<Tensor>& params, One one) {
  if (params.empty()) return Tensor(Matrix::Zero(1, 1));
  Tensor total = one(params[0]);
  for (std::size_t i = 1; i < params.size(); ++i) total = total + one(params[i]);
  return total;
}

// Whether a gradient has arrived for `p` (PyTorch: p.grad is not None).
bool has_grad(const Tensor& p) { return p.defined() && p.node()->grad.size() == p.size(); }

}  // namespace

// ---------------------------------------------------------------- penalties

Tensor l1_penalty(const Tensor& w, Scalar lambda) {
  check_lambda("l1_penalty", "lambda", lambda);
  return penalty_op(
      w, "l1_penalty", [lambda](ConstMatrixRef v) { return kernels::l1_penalty_forward(v, lambda); },
      [lambda](ConstMatrixRef v, Scalar dout, MatrixRef dv) { kernels::l1_penalty_backward(v, lambda, dout, dv); });
}

Tensor l2_penalty(const Tensor& w, Scalar lambda) {
  check_lambda("l2_penalty", "lambda", lambda);
  return penalty_op(
      w, "l2_penalty", [lambda](ConstMatrixRef v) { return kernels::l2_penalty_forward(v, lambda); },
      [lambda](ConstMatrixRef v, Scalar dout, MatrixRef dv) { kernels::l2_penalty_backward(v, lambda, dout, dv); });
}

Tensor elastic_net_penalty(const Tensor& w, Scalar l1, Scalar l2) {
  check_lambda("elastic_net_penalty", "l1", l1);
  check_lambda("elastic_net_penalty", "l2", l2);
  return penalty_op(
      w, "elastic_net_penalty", [l1, l2](ConstMatrixRef v) { return kernels::elastic_net_forward(v, l1, l2); },
      [l1, l2](ConstMatrixRef v, Scalar dout, MatrixRef dv) { kernels::elastic_net_backward(v, l1, l2, dout, dv); });
}

Tensor l1_penalty(const std::vector<Tensor>& params, Scalar lambda) {
  check_lambda("l1_penalty", "lambda", lambda);
  return sum_over(params, [lambda](const Tensor& p) { return l1_penalty(p, lambda); });
}

Tensor l2_penalty(const std::vector<Tensor>& params, Scalar lambda) {
  check_lambda("l2_penalty", "lambda", lambda);
  return sum_over(params, [lambda](const Tensor& p) { return l2_penalty(p, lambda); });
}

Tensor elastic_net_penalty(const std::vector<Tensor>& params, Scalar l1, Scalar l2) {
  check_lambda("elastic_net_penalty", "l1", l1);
  check_lambda("elastic_net_penalty", "l2", l2);
  return sum_over(params, [l1, l2](const Tensor& p) { return elastic_net_penalty(p, l1, l2); });
}

// ---------------------------------------------------------------- dropout

void check_dropout_p(Scalar p) {
  GRADLAB_CHECK(p >= 0.0 && p < 1.0, "dropout: p = " + number_string(p) +
                                         " is out of range; the drop probability must be in [0, 1) "
                                         "(p = 1 would drop every unit and divide by 1 - p = 0)");
}

Dropout::Dropout(Scalar p, Rng& rng) : p_(p), rng_(rng.next()) { check_dropout_p(p); }

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p_, is_training(), rng_); }

// ---------------------------------------------------------------- clipping

Scalar clip_grad_norm_(const std::vector<Tensor>& params, Scalar max_norm, const ClipGradNormOptions& options) {
  GRADLAB_CHECK(std::isfinite(max_norm) && max_norm >= 0.0,
                "clip_grad_norm_: max_norm = " + number_string(max_norm) + " is out of range; it must be finite and >= 0");
  GRADLAB_CHECK(options.norm_type > 0.0, "clip_grad_norm_: norm_type = " + number_string(options.norm_type) +
                                             " is out of range; it must be > 0 (or infinity)");
  std::vector<MatrixRef> grads;
  for (const Tensor& p : params) {
    if (!has_grad(p)) continue;
    Tensor handle = p;  // a handle sharing p: its grad() is writable
    grads.emplace_back(handle.grad());
  }
  if (options.error_if_nonfinite) {
    // Measure first, on a copy, so that the gradients are left as they were when it throws.
    std::vector<Matrix> copies;
    copies.reserve(grads.size());
    for (const auto& g : grads) copies.emplace_back(g);
    std::vector<MatrixRef> copy_refs(copies.begin(), copies.end());
    const Scalar norm = kernels::clip_grad_norm(copy_refs, std::numeric_limits<Scalar>::infinity(), options.norm_type);
    GRADLAB_CHECK(std::isfinite(norm), "clip_grad_norm_: the total norm of the gradients is " + number_string(norm) +
                                           " (a gradient holds NaN or inf); the gradients were left unchanged");
  }
  return kernels::clip_grad_norm(grads, max_norm, options.norm_type);
}

void clip_grad_value_(const std::vector<Tensor>& params, Scalar clip_value) {
  GRADLAB_CHECK(clip_value >= 0.0, "clip_grad_value_: clip_value = " + number_string(clip_value) +
                                       " is out of range; it must be >= 0");
  for (const Tensor& p : params) {
    if (!has_grad(p)) continue;
    Tensor handle = p;
    kernels::clip_grad_value(handle.grad(), clip_value);
  }
}

// ---------------------------------------------------------------- early stopping

EarlyStopping::EarlyStopping(std::vector<Tensor> params, const EarlyStoppingOptions& options)
    : params_(std::move(params)), options_(options) {
  GRADLAB_CHECK(options.patience >= 1, "EarlyStopping: patience = " + std::to_string(options.patience) +
                                           " is out of range; it must be >= 1");
  GRADLAB_CHECK(std::isfinite(options.min_delta) && options.min_delta >= 0.0,
                "EarlyStopping: min_delta = " + number_string(options.min_delta) +
                    " is out of range; it must be finite and >= 0 (the mode gives the direction)");
  for (std::size_t i = 0; i < params_.size(); ++i) {
    GRADLAB_CHECK(params_[i].defined(), "EarlyStopping: parameter " + std::to_string(i) + " is empty");
  }
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  best_ = options.mode == EarlyStoppingMode::Min ? inf : -inf;
}

// ---------------------------------------------------------------- accumulation

GradientAccumulator::GradientAccumulator(Optimizer& optimizer, Index steps) : optimizer_(optimizer), steps_(steps) {
  GRADLAB_CHECK(steps >= 1, "GradientAccumulator: steps = " + std::to_string(steps) +
                                " is out of range; it must be >= 1 (1: a step after every mini-batch)");
}

}  // namespace gradlab
