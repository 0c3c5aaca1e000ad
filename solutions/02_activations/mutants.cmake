# Lab 02: the usual mistakes. Each variant must make lab 02's tests fail
# (ctest lab02.mutant.<name>; run build/default/bin/lab02_mutant_<name> to see which tests catch it).

# --- the issue's list
# σ'(x) written as σ(x)(1 − x): the input where the output belongs.
gradlab_mutant(NAME sigmoid_grad_uses_x FILE activations.cpp
  FIND "dx.array() += dy.array() * y.array() * (1.0 - y.array())"
  REPLACE "dx.array() += dy.array() * y.array() * (1.0 - x.array())")
# tanh'(x) written as 1 − x².
gradlab_mutant(NAME tanh_grad_uses_x FILE activations.cpp
  FIND "(1.0 - y.array().square())"
  REPLACE "(1.0 - x.array().square())")
# ReLU' lets the gradient through for x < 0 as well.
gradlab_mutant(NAME relu_grad_passes_negative FILE activations.cpp
  FIND "(x.array() > 0.0).select(dy.array(), 0.0)"
  REPLACE "dy.array()")
# LeakyReLU' uses slope 1 instead of α for x < 0.
gradlab_mutant(NAME leaky_relu_grad_slope_one FILE activations.cpp
  FIND "(x.array() > 0.0).select(dy.array(), alpha * dy.array())"
  REPLACE "(x.array() > 0.0).select(dy.array(), 1.0 * dy.array())")
# Softmax without subtracting the row maximum: e^1000 overflows.
gradlab_mutant(NAME softmax_no_max_subtraction FILE activations.cpp
  FIND "y.row(i) = (x.row(i).array() - m).exp().matrix()"
  REPLACE "y.row(i) = x.row(i).array().exp().matrix()")
# ELU' for x < 0 forgets the scale α (e^x instead of α e^x).
gradlab_mutant(NAME elu_grad_negative_missing_alpha FILE activations.cpp
  FIND "alpha * std::exp(v)"
  REPLACE "std::exp(v)")
# `=` instead of `+=` in a backward (an element-wise one and a row-wise one).
gradlab_mutant(NAME sigmoid_grad_assigns FILE activations.cpp
  FIND "dx.array() += dy.array() * y.array()"
  REPLACE "dx.array() = dy.array() * y.array()")
gradlab_mutant(NAME softmax_grad_assigns FILE activations.cpp
  FIND "dx.row(i).array() += y.row(i).array()"
  REPLACE "dx.row(i).array() = y.row(i).array()")

# --- more usual mistakes
# ReLU'(0) = 1 instead of the documented 0.
gradlab_mutant(NAME relu_grad_at_zero_one FILE activations.cpp
  FIND "(x.array() > 0.0).select(dy.array(), 0.0)"
  REPLACE "(x.array() >= 0.0).select(dy.array(), 0.0)")
# The one-line sigmoid e^x / (1 + e^x) everywhere: inf / inf = NaN at x = 1000.
gradlab_mutant(NAME sigmoid_unstable FILE activations.cpp
  FIND "x >= 0"
  REPLACE "x >= 1e308")
# Softplus as ln(1 + e^x): overflows for large x.
gradlab_mutant(NAME softplus_unstable FILE activations.cpp
  FIND "std::log1p(std::exp(-std::abs(v))) + std::max(v, 0.0)"
  REPLACE "std::log(1.0 + std::exp(v))")
# Log-softmax without the shift: log Σ e^x overflows.
gradlab_mutant(NAME log_softmax_no_max_subtraction FILE activations.cpp
  FIND "std::log((x.row(i).array() - m).exp().sum())"
  REPLACE "std::log(x.row(i).array().exp().sum()) - m")
# Softmax' as the diagonal only: y (1 − y) ⊙ dy, forgetting the other classes.
gradlab_mutant(NAME softmax_grad_diagonal_only FILE activations.cpp
  FIND "(dy.row(i).array() - dot)"
  REPLACE "dy.row(i).array() * (1.0 - y.row(i).array())")
# Log-softmax' with y where softmax = e^y belongs.
gradlab_mutant(NAME log_softmax_grad_uses_y FILE activations.cpp
  FIND "y.row(i).array().exp() * total"
  REPLACE "y.row(i).array() * total")
# GELU' = Φ(x): the product rule's second term forgotten.
gradlab_mutant(NAME gelu_grad_missing_density FILE activations.cpp
  FIND "g * (cdf + v * pdf)"
  REPLACE "g * cdf")
# The tanh approximation of GELU where the exact erf form is documented.
gradlab_mutant(NAME gelu_tanh_approximation FILE activations.cpp
  FIND "0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2))"
  REPLACE "0.5 * v * (1.0 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)))")
# Swish' forgetting the inner derivative β of σ(βx).
gradlab_mutant(NAME silu_grad_missing_beta FILE activations.cpp
  FIND "g * (s + beta * v * s * (1.0 - s))"
  REPLACE "g * (s + v * s * (1.0 - s))")

# --- the largest logit is not always the first
# Softmax shifted by the row's first logit instead of its maximum: exact in theory, e^1000 in practice.
gradlab_mutant(NAME softmax_shift_by_first_logit FILE activations.cpp
  FIND "y.row(i) = (x.row(i).array() - m).exp().matrix()"
  REPLACE "y.row(i) = (x.row(i).array() - x(i, 0) + 0.0 * m).exp().matrix()")
# Log-softmax shifted by the row's first logit.
gradlab_mutant(NAME log_softmax_shift_by_first_logit FILE activations.cpp
  FIND "const Scalar log_sum = std::log((x.row(i).array() - m).exp().sum())"
  REPLACE "const Scalar log_sum = std::log((x.row(i).array() - x(i, 0)).exp().sum()) + x(i, 0) - m")
# One maximum for the whole batch instead of one per row: a row far below it underflows to 0/0.
gradlab_mutant(NAME softmax_global_max FILE activations.cpp
  FIND "const Scalar m = x.row(i).maxCoeff()" REPLACE "const Scalar m = x.maxCoeff()")

# --- x = 0, the kink
# LeakyReLU'(0) taken as 1 (x >= 0): the course's convention is the left branch, α.
gradlab_mutant(NAME leaky_relu_grad_one_at_zero FILE activations.cpp
  FIND "dx.array() += (x.array() > 0.0).select(dy.array(), alpha * dy.array())"
  REPLACE "dx.array() += (x.array() >= 0.0).select(dy.array(), alpha * dy.array())")
# ELU'(0) taken as 1 (v >= 0) instead of α·e⁰ = α.
gradlab_mutant(NAME elu_grad_one_at_zero FILE activations.cpp
  FIND "const Scalar slope = v > 0.0 ? 1.0 : alpha * std::exp(v)"
  REPLACE "const Scalar slope = v >= 0.0 ? 1.0 : alpha * std::exp(v)")
