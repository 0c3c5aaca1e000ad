// Deep networks: the glue around lab 09's kernels. residual() checks shapes, computes
// with kernels::residual_forward and records kernels::residual_backward; Residual runs
// its branch F and calls residual(); GradientMonitor keeps per-layer statistics.
#include "gradlab/deep.h"

#include "gradlab/autograd.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace gradlab {

namespace {

constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

void check_defined(const Tensor& x, const Tensor& fx) {
  GRADLAB_CHECK(x.defined() && fx.defined(), "residual: an input tensor is empty");
  GRADLAB_CHECK(x.rows() == fx.rows(), "residual: the input " + x.shape() + " and the branch's output " + fx.shape() +
                                           " have different batch sizes");
}

}  // namespace

Tensor residual(const Tensor& x, const Tensor& fx) {
  check_defined(x, fx);
  GRADLAB_CHECK(x.cols() == fx.cols(), "residual: the input " + x.shape() + " and the branch's output " + fx.shape() +
                                           " differ in width; give a projection");
  Matrix y = new_matrix(x.rows(), x.cols());
  const Matrix none;
  kernels::residual_forward(x.value(), fx.value(), none, y);
  return record_op(std::move(y), "residual", {&x, &fx}, [](Node& self) {
    Node& px = *self.parents[0];
    Node& pf = *self.parents[1];
    Matrix identity;  // an empty projection: the identity skip
    kernels::residual_backward(px.value, identity, self.grad, px.ensure_grad(), pf.ensure_grad(), identity);
  });
}

Tensor residual(const Tensor& x, const Tensor& fx, const Tensor& proj) {
  check_defined(x, fx);
  GRADLAB_CHECK(proj.defined() && proj.rows() == x.cols() && proj.cols() == fx.cols(),
                "residual: the projection " + (proj.defined() ? proj.shape() : std::string("(empty)")) +
                    " must be [" + std::to_string(x.cols()) + ", " + std::to_string(fx.cols()) + "] for the input " +
                    x.shape() + " and the branch's output " + fx.shape());
  Matrix y = new_matrix(fx.rows(), fx.cols());
  kernels::residual_forward(x.value(), fx.value(), proj.value(), y);
  return record_op(std::move(y), "residual", {&x, &fx, &proj}, [](Node& self) {
    Node& px = *self.parents[0];
    Node& pf = *self.parents[1];
    Node& pp = *self.parents[2];
    kernels::residual_backward(px.value, pp.value, self.grad, px.ensure_grad(), pf.ensure_grad(), pp.ensure_grad());
  });
}

Residual::Residual(std::shared_ptr<Module> branch) : branch_(std::move(branch)) {
  GRADLAB_CHECK(branch_ != nullptr, "Residual: the branch module is null");
  register_module("branch", branch_);
}

Residual::Residual(std::shared_ptr<Module> branch, Matrix projection) : branch_(std::move(branch)) {
  GRADLAB_CHECK(branch_ != nullptr, "Residual: the branch module is null");
  GRADLAB_CHECK(projection.size() > 0, "Residual: the projection is empty");
  register_module("branch", branch_);
  projection_ = register_parameter("projection", Tensor(std::move(projection), true));
}

namespace {
Matrix uniform_projection(Index in, Index out, Rng& rng) {
  GRADLAB_CHECK(in > 0 && out > 0, "Residual: the projection's shape [" + std::to_string(in) + ", " +
                                       std::to_string(out) + "] must be positive");
  const Scalar bound = 1.0 / std::sqrt(static_cast<Scalar>(in));
  Matrix p(in, out);
  for (Index i = 0; i < in; ++i)
    for (Index j = 0; j < out; ++j) p(i, j) = rng.uniform(-bound, bound);
  return p;
}
}  // namespace

Residual::Residual(std::shared_ptr<Module> branch, Index in_features, Index out_features, Rng& rng)
    : Residual(std::move(branch), uniform_projection(in_features, out_features, rng)) {}

Tensor Residual::forward(const Tensor& x) {
  Tensor fx = branch_->forward(x);
  return has_projection() ? residual(x, fx, projection_) : residual(x, fx);
}

GradientMonitor::GradientMonitor(Scalar saturation_margin) : margin_(saturation_margin) {
  GRADLAB_CHECK(std::isfinite(saturation_margin) && saturation_margin > 0.0 && saturation_margin < 0.5,
                "GradientMonitor: saturation_margin = " + std::to_string(saturation_margin) +
                    " is out of range; it must be in (0, 0.5)");
}

std::size_t GradientMonitor::watch(std::string name, Tensor weight, UnitKind kind) {
  GRADLAB_CHECK(weight.defined(), "GradientMonitor::watch: the weight of '" + name + "' is empty");
  watched_.push_back(Watched{std::move(name), std::move(weight), kind, Matrix(), kNaN, kNaN, kNaN});
  return watched_.size() - 1;
}

void GradientMonitor::observe(std::size_t layer, const Matrix& a) {
  GRADLAB_CHECK(layer < watched_.size(), "GradientMonitor::observe: layer " + std::to_string(layer) +
                                             " is not watched (" + std::to_string(watched_.size()) + " layers)");
  GRADLAB_CHECK(a.size() > 0, "GradientMonitor::observe: the activation is empty");
  Watched& w = watched_[layer];
  switch (w.kind) {
    case UnitKind::ReLU: w.dead = kernels::dead_fraction(a); break;
    case UnitKind::Sigmoid: w.saturated = kernels::saturated_fraction(a, 0.0, 1.0, margin_); break;
    case UnitKind::Tanh: w.saturated = kernels::saturated_fraction(a, -1.0, 1.0, margin_); break;
    case UnitKind::Linear: break;
  }
}

void GradientMonitor::before_update() {
  for (Watched& w : watched_) {
    const Matrix& g = w.weight.grad();
    w.grad_norm = g.size() == 0 ? 0.0 : kernels::grad_norm(g);
    w.before = w.weight.value();
  }
  pending_ = true;
}

void GradientMonitor::after_update(Scalar loss, Scalar lr) {
  GRADLAB_CHECK(pending_, "GradientMonitor::after_update: call before_update() before the optimizer's step");
  StepRecord r;
  r.step = static_cast<std::int64_t>(records_.size());
  r.loss = loss;
  r.lr = lr;
  for (Watched& w : watched_) {
    LayerStats s;
    s.name = w.name;
    s.grad_norm = w.grad_norm;
    s.update_ratio = kernels::update_ratio(w.before, w.weight.value());
    s.dead_fraction = w.dead;
    s.saturated_fraction = w.saturated;
    r.layers.push_back(std::move(s));
    w.dead = kNaN;
    w.saturated = kNaN;
  }
  records_.push_back(std::move(r));
  pending_ = false;
}

}  // namespace gradlab
