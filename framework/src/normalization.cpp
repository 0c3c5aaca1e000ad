// Normalization layers: the glue around lab 08's kernels. layer_norm() and group_norm()
// check their input, compute with a forward kernel and record the backward kernel; the
// modules own γ, β (and BatchNorm's running statistics). gradlab::batch_norm() is
// written in the lab itself.
#include "gradlab/normalization.h"

#include "gradlab/autograd.h"

#include <cmath>
#include <string>

namespace gradlab {

namespace {

std::string number(Scalar v) { return std::isnan(v) ? std::string("nan") : std::to_string(v); }

void check_affine(const char* op, const Tensor& x, const Tensor& gamma, const Tensor& beta) {
  GRADLAB_CHECK(x.defined() && gamma.defined() && beta.defined(), std::string(op) + ": an input tensor is empty");
  GRADLAB_CHECK(gamma.rows() == 1 && gamma.cols() == x.cols() && beta.rows() == 1 && beta.cols() == x.cols(),
                std::string(op) + ": gamma " + gamma.shape() + " and beta " + beta.shape() + " must be [1, " +
                    std::to_string(x.cols()) + "] for the input " + x.shape());
}

void check_eps(const char* op, Scalar eps) {
  GRADLAB_CHECK(std::isfinite(eps) && eps > 0.0,
                std::string(op) + ": eps = " + number(eps) + " is out of range; it must be finite and > 0");
}

void check_features(const char* op, Index features) {
  GRADLAB_CHECK(features > 0, std::string(op) + ": features = " + std::to_string(features) + " must be positive");
}

}  // namespace

void check_batch_norm_input(const Tensor& x, Index features, bool training) {
  GRADLAB_CHECK(x.defined(), "batch_norm: the input tensor is empty");
  GRADLAB_CHECK(x.cols() == features, "batch_norm: input " + x.shape() + " has " + std::to_string(x.cols()) +
                                          " features, the layer expects " + std::to_string(features));
  GRADLAB_CHECK(!training || x.rows() > 1,
                "batch_norm: expected more than 1 value per feature when training, got input " + x.shape() +
                    " (a batch of one has no variance; use eval() or a batch of 2 or more)");
}

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Scalar eps) {
  check_affine("layer_norm", x, gamma, beta);
  check_eps("layer_norm", eps);
  Matrix y = new_matrix(x.rows(), x.cols());
  Matrix x_hat(x.rows(), x.cols()), inv_std(x.rows(), 1);
  kernels::layer_norm_forward(x.value(), gamma.value(), beta.value(), eps, y, x_hat, inv_std);
  return record_op(std::move(y), "layer_norm", {&x, &gamma, &beta},
                   [x_hat = std::move(x_hat), inv_std = std::move(inv_std)](Node& self) {
                     Node& px = *self.parents[0];
                     Node& pg = *self.parents[1];
                     Node& pb = *self.parents[2];
                     kernels::layer_norm_backward(x_hat, inv_std, pg.value, self.grad, px.ensure_grad(),
                                                  pg.ensure_grad(), pb.ensure_grad());
                   });
}

Tensor group_norm(const Tensor& x, Index groups, const Tensor& gamma, const Tensor& beta, Scalar eps) {
  check_affine("group_norm", x, gamma, beta);
  check_eps("group_norm", eps);
  GRADLAB_CHECK(groups >= 1 && x.cols() % groups == 0,
                "group_norm: groups = " + std::to_string(groups) + " must be >= 1 and divide the " +
                    std::to_string(x.cols()) + " features");
  Matrix y = new_matrix(x.rows(), x.cols());
  Matrix x_hat(x.rows(), x.cols()), inv_std(x.rows(), groups);
  kernels::group_norm_forward(x.value(), groups, gamma.value(), beta.value(), eps, y, x_hat, inv_std);
  return record_op(std::move(y), "group_norm", {&x, &gamma, &beta},
                   [x_hat = std::move(x_hat), inv_std = std::move(inv_std), groups](Node& self) {
                     Node& px = *self.parents[0];
                     Node& pg = *self.parents[1];
                     Node& pb = *self.parents[2];
                     kernels::group_norm_backward(x_hat, inv_std, groups, pg.value, self.grad, px.ensure_grad(),
                                                  pg.ensure_grad(), pb.ensure_grad());
                   });
}

BatchNorm1d::BatchNorm1d(Index features, const BatchNormOptions& options) : options_(options) {
  check_features("BatchNorm1d", features);
  check_eps("BatchNorm1d", options.eps);
  GRADLAB_CHECK(options.momentum >= 0.0 && options.momentum <= 1.0,
                "BatchNorm1d: momentum = " + number(options.momentum) + " is out of range; it must be in [0, 1]");
  weight_ = register_parameter("weight", Tensor(Matrix::Ones(1, features)));
  bias_ = register_parameter("bias", Tensor(Matrix::Zero(1, features)));
  running_mean_ = Matrix::Zero(1, features);
  running_var_ = Matrix::Ones(1, features);
}

Tensor BatchNorm1d::forward(const Tensor& x) {
  // batch_norm() checks x (check_batch_norm_input).
  return batch_norm(x, weight_, bias_, running_mean_, running_var_, is_training(), options_.momentum, options_.eps);
}

void BatchNorm1d::set_running_stats(Matrix mean, Matrix var) {
  GRADLAB_CHECK(mean.rows() == 1 && mean.cols() == features() && var.rows() == 1 && var.cols() == features(),
                "BatchNorm1d::set_running_stats: mean " + shape_string(mean) + " and var " + shape_string(var) +
                    " must be [1, " + std::to_string(features()) + "]");
  GRADLAB_CHECK((var.array() >= 0.0).all(), "BatchNorm1d::set_running_stats: a running variance is negative or NaN");
  running_mean_ = std::move(mean);
  running_var_ = std::move(var);
}

LayerNorm::LayerNorm(Index features, Scalar eps) : eps_(eps) {
  check_features("LayerNorm", features);
  check_eps("LayerNorm", eps);
  weight_ = register_parameter("weight", Tensor(Matrix::Ones(1, features)));
  bias_ = register_parameter("bias", Tensor(Matrix::Zero(1, features)));
}

Tensor LayerNorm::forward(const Tensor& x) { return layer_norm(x, weight_, bias_, eps_); }

GroupNorm::GroupNorm(Index groups, Index features, Scalar eps) : groups_(groups), eps_(eps) {
  check_features("GroupNorm", features);
  check_eps("GroupNorm", eps);
  GRADLAB_CHECK(groups >= 1 && features % groups == 0, "GroupNorm: groups = " + std::to_string(groups) +
                                                           " must be >= 1 and divide features = " +
                                                           std::to_string(features));
  weight_ = register_parameter("weight", Tensor(Matrix::Ones(1, features)));
  bias_ = register_parameter("bias", Tensor(Matrix::Zero(1, features)));
}

Tensor GroupNorm::forward(const Tensor& x) { return group_norm(x, groups_, weight_, bias_, eps_); }

}  // namespace gradlab
