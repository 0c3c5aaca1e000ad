// The activation functions as differentiable operations and modules. Each operation
//   1. checks its options (and, for softmax, that rows are not empty),
//   2. computes its value with a forward kernel (lab 02),
//   3. records the backward kernel in a closure, when gradients are wanted.
// The math itself lives in the kernels; this file is only the glue.
#include "gradlab/activations.h"

#include "gradlab/autograd.h"
#include "gradlab/kernels/activations.h"

#include <cmath>
#include <string>

namespace gradlab {

// ---------------------------------------------------------------- options

void LeakyReLUOptions::validate() const {
  GRADLAB_CHECK(alpha >= 0.0 && alpha < 1.0,
                "LeakyReLU: alpha = " + std::to_string(alpha) + " is out of range; the negative slope must be in [0, 1)");
}

void ELUOptions::validate() const {
  GRADLAB_CHECK(std::isfinite(alpha) && alpha > 0.0,
                "ELU: alpha = " + std::to_string(alpha) + " is out of range; the scale must be finite and > 0");
}

void SiLUOptions::validate() const {
  GRADLAB_CHECK(std::isfinite(beta) && beta >= 0.0,
                "SiLU/Swish: beta = " + std::to_string(beta) + " is out of range; it must be finite and >= 0");
}

namespace {

// The input node of an element-wise activation (its only parent).
Node& input(Node& self) { return *self.parents[0]; }

// Softmax-like operations normalize each row: a row needs at least one element.
void check_rows_not_empty(const Tensor& x, const char* op) {
  GRADLAB_CHECK(x.rows() == 0 || x.cols() >= 1,
                std::string(op) + ": input " + x.shape() + " has empty rows; each row needs at least one class");
}

}  // namespace

// ---------------------------------------------------------------- element-wise activations

Tensor sigmoid(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::sigmoid_forward(x.value(), y);
  return record_op(std::move(y), "sigmoid", {&x}, [](Node& self) {
    Node& px = input(self);
    kernels::sigmoid_backward(px.value, self.value, self.grad, px.ensure_grad());
  });
}

Tensor tanh(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::tanh_forward(x.value(), y);
  return record_op(std::move(y), "tanh", {&x}, [](Node& self) {
    Node& px = input(self);
    kernels::tanh_backward(px.value, self.value, self.grad, px.ensure_grad());
  });
}

Tensor relu(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::relu_forward(x.value(), y);
  return record_op(std::move(y), "relu", {&x}, [](Node& self) {
    Node& px = input(self);
    kernels::relu_backward(px.value, self.value, self.grad, px.ensure_grad());
  });
}

Tensor leaky_relu(const Tensor& x, const LeakyReLUOptions& options) {
  options.validate();
  const Scalar alpha = options.alpha;
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::leaky_relu_forward(x.value(), alpha, y);
  return record_op(std::move(y), "leaky_relu", {&x}, [alpha](Node& self) {
    Node& px = input(self);
    kernels::leaky_relu_backward(px.value, self.value, alpha, self.grad, px.ensure_grad());
  });
}

Tensor elu(const Tensor& x, const ELUOptions& options) {
  options.validate();
  const Scalar alpha = options.alpha;
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::elu_forward(x.value(), alpha, y);
  return record_op(std::move(y), "elu", {&x}, [alpha](Node& self) {
    Node& px = input(self);
    kernels::elu_backward(px.value, self.value, alpha, self.grad, px.ensure_grad());
  });
}

Tensor gelu(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::gelu_forward(x.value(), y);
  return record_op(std::move(y), "gelu", {&x}, [](Node& self) {
    Node& px = input(self);
    kernels::gelu_backward(px.value, self.value, self.grad, px.ensure_grad());
  });
}

Tensor silu(const Tensor& x, const SiLUOptions& options) {
  options.validate();
  const Scalar beta = options.beta;
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::silu_forward(x.value(), beta, y);
  return record_op(std::move(y), "silu", {&x}, [beta](Node& self) {
    Node& px = input(self);
    kernels::silu_backward(px.value, self.value, beta, self.grad, px.ensure_grad());
  });
}

Tensor softplus(const Tensor& x) {
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::softplus_forward(x.value(), y);
  return record_op(std::move(y), "softplus", {&x}, [](Node& self) {
    Node& px = input(self);
    kernels::softplus_backward(px.value, self.value, self.grad, px.ensure_grad());
  });
}

// ---------------------------------------------------------------- along rows

Tensor softmax(const Tensor& x) {
  check_rows_not_empty(x, "softmax");
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::softmax_forward(x.value(), y);
  return record_op(std::move(y), "softmax", {&x}, [](Node& self) {
    kernels::softmax_backward(self.value, self.grad, input(self).ensure_grad());
  });
}

Tensor log_softmax(const Tensor& x) {
  check_rows_not_empty(x, "log_softmax");
  Matrix y = new_matrix(x.rows(), x.cols());
  kernels::log_softmax_forward(x.value(), y);
  return record_op(std::move(y), "log_softmax", {&x}, [](Node& self) {
    kernels::log_softmax_backward(self.value, self.grad, input(self).ensure_grad());
  });
}

// ---------------------------------------------------------------- modules

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }
Tensor ReLU::forward(const Tensor& x) { return relu(x); }
Tensor GELU::forward(const Tensor& x) { return gelu(x); }
Tensor Softplus::forward(const Tensor& x) { return softplus(x); }
Tensor Softmax::forward(const Tensor& x) { return softmax(x); }
Tensor LogSoftmax::forward(const Tensor& x) { return log_softmax(x); }

LeakyReLU::LeakyReLU(LeakyReLUOptions options) : options_(options) { options_.validate(); }
Tensor LeakyReLU::forward(const Tensor& x) { return leaky_relu(x, options_); }

ELU::ELU(ELUOptions options) : options_(options) { options_.validate(); }
Tensor ELU::forward(const Tensor& x) { return elu(x, options_); }

SiLU::SiLU(SiLUOptions options) : options_(options) { options_.validate(); }
Tensor SiLU::forward(const Tensor& x) { return silu(x, options_); }

}  // namespace gradlab
