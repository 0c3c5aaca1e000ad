// Emulated mixed precision: the glue around lab 12's rounding and loss-scaling kernels.
// round_to() and quantize() call the rounding kernels; GradScaler keeps the scale and
// hands the gradients to kernels::unscale_grads and the state to
// kernels::update_loss_scale. GradScaler::step() is written in the lab itself.
#include "gradlab/precision.h"

#include "gradlab/autograd.h"
#include "gradlab/node.h"
#include "gradlab/ops.h"

#include <cmath>
#include <string>
#include <vector>

namespace gradlab {

Scalar round_to(FloatFormat format, Scalar x) {
  return format == FloatFormat::Half ? kernels::half_to_double(kernels::half_from_double(x))
                                     : kernels::bfloat16_to_double(kernels::bfloat16_from_double(x));
}

Scalar format_max(FloatFormat format) {
  return format == FloatFormat::Half ? 65504.0 : std::ldexp(1.0, 128) - std::ldexp(1.0, 120);
}

Scalar format_min_normal(FloatFormat format) {
  return format == FloatFormat::Half ? std::ldexp(1.0, -14) : std::ldexp(1.0, -126);
}

Scalar format_min_subnormal(FloatFormat format) {
  return format == FloatFormat::Half ? std::ldexp(1.0, -24) : std::ldexp(1.0, -133);
}

const char* format_name(FloatFormat format) { return format == FloatFormat::Half ? "half" : "bfloat16"; }

Tensor quantize(const Tensor& x, FloatFormat format) {
  GRADLAB_CHECK(x.defined(), "quantize: the input tensor is empty");
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::quantize_forward(x.value(), format, y);
  return record_op(std::move(y), "quantize", {&x}, [format](Node& self) {
    kernels::quantize_backward(self.grad, format, self.parents[0]->ensure_grad());
  });
}

void validate(const GradScalerOptions& o) {
  const char* what = "GradScalerOptions";
  check_option(std::isfinite(o.init_scale) && o.init_scale > 0, what, "init_scale", "> 0 and finite", o.init_scale);
  check_option(std::isfinite(o.growth_factor) && o.growth_factor > 1, what, "growth_factor", "> 1 and finite",
               o.growth_factor);
  check_option(o.backoff_factor > 0 && o.backoff_factor < 1, what, "backoff_factor", "in (0, 1)", o.backoff_factor);
  check_option(o.growth_interval >= 1, what, "growth_interval", ">= 1", static_cast<Scalar>(o.growth_interval));
}

GradScaler::GradScaler(const GradScalerOptions& options) : options_(options) {
  validate(options_);
  state_.scale = options_.init_scale;
  state_.growth_tracker = 0;
}

Tensor GradScaler::scale(const Tensor& loss) const {
  GRADLAB_CHECK(loss.defined(), "GradScaler::scale: the loss tensor is empty");
  return loss * state_.scale;
}

void GradScaler::unscale_(Optimizer& optimizer) {
  GRADLAB_CHECK(!unscaled_, "GradScaler::unscale_: already called since the last update()");
  std::vector<MatrixRef> grads;
  for (const Tensor& p : optimizer.params()) {
    Matrix& g = p.node()->grad;
    if (p.requires_grad() && g.size() == p.size()) grads.emplace_back(g);
  }
  found_inf_ = kernels::unscale_grads(grads, 1.0 / state_.scale);
  unscaled_ = true;
}

void GradScaler::update() {
  kernels::update_loss_scale(state_, found_inf_, options_);
  unscaled_ = false;
  found_inf_ = false;
}

}  // namespace gradlab
