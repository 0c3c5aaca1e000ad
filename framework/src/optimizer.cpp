#include "gradlab/optimizer.h"

#include <cmath>

namespace gradlab {

namespace {
void check_lr(Scalar lr) {
  GRADLAB_CHECK(std::isfinite(lr) && lr >= 0,
                "learning rate must be finite and >= 0, got " + std::to_string(lr));
}
}  // namespace

Optimizer::Optimizer(std::vector<Tensor> params, Scalar lr) : params_(std::move(params)), lr_(lr) {
  check_lr(lr);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    GRADLAB_CHECK(params_[i].defined() && params_[i].requires_grad(),
                  "Optimizer: parameter " + std::to_string(i) +
                      " is empty or does not require a gradient");
  }
}

void Optimizer::zero_grad() {
  for (auto& p : params_) p.zero_grad();
}

void Optimizer::set_lr(Scalar lr) {
  check_lr(lr);
  lr_ = lr;
}

void SGD::step() {
  for (auto& p : params_) p.value() -= lr() * p.grad();
}

}  // namespace gradlab
