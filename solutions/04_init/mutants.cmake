# Lab 04 mutants: the usual mistakes. Each must make the lab's tests fail
# (ctest lab04.mutant.NAME passes when they do).

# ---- the five mistakes of issue 3 --------------------------------------------------

# fan_in and fan_out swapped (PyTorch's [out, in] layout copied into gradlab's [in, out]).
gradlab_mutant(NAME fans_swapped FILE init.cpp
  FIND ".fan_in = w.rows(), .fan_out = w.cols()"
  REPLACE ".fan_in = w.cols(), .fan_out = w.rows()")

# Xavier variance 1 / (fan_in + fan_out) instead of 2 / (fan_in + fan_out).
gradlab_mutant(NAME xavier_variance_one_over_sum FILE init.cpp
  FIND "std::sqrt(2.0 / static_cast<Scalar>(fan_in + fan_out))"
  REPLACE "std::sqrt(1.0 / static_cast<Scalar>(fan_in + fan_out))")

# The Kaiming gain forgotten: σ = 1 / sqrt(fan) whatever the nonlinearity.
gradlab_mutant(NAME kaiming_gain_missing FILE init.cpp
  FIND "return gain / std::sqrt(static_cast<Scalar>(fan))"
  REPLACE "return 1.0 / std::sqrt(static_cast<Scalar>(fan))")

# Uniform bound taken as σ (without the factor 3 of Var U(-b, b) = b²/3).
gradlab_mutant(NAME uniform_bound_without_factor_three FILE init.cpp
  FIND "return std::sqrt(3.0) * stddev"
  REPLACE "return stddev")

# Standardization statistics recomputed from the data being transformed instead of
# the (training) statistics passed in.
gradlab_mutant(NAME standardize_with_own_statistics FILE preprocessing.cpp
  FIND "const Scalar scale = stddev(0, j) < eps ? 1.0 : stddev(0, j)"
  REPLACE "const Scalar mu = x.col(j).mean(), sd = std::sqrt((x.col(j).array() - mu).square().mean()), scale = sd < eps ? 1.0 : sd"
  FIND "(x(i, j) - mean(0, j)) / scale"
  REPLACE "(x(i, j) - mu) / scale")

# ---- more usual mistakes ------------------------------------------------------------

# Kaiming's mode ignored: always fan_in.
gradlab_mutant(NAME kaiming_mode_ignored FILE init.cpp
  FIND "const Index fan = mode == FanMode::FanIn ? fans.fan_in : fans.fan_out"
  REPLACE "const Index fan = fans.fan_in")

# ReLU gain 2 (the variance factor) instead of sqrt(2).
gradlab_mutant(NAME relu_gain_not_square_rooted FILE init.cpp
  FIND "return std::sqrt(2.0)"
  REPLACE "return 2.0")

# LeakyReLU gain with α instead of α².
gradlab_mutant(NAME leaky_gain_alpha_not_squared FILE init.cpp
  FIND "(1.0 + negative_slope * negative_slope)"
  REPLACE "(1.0 + negative_slope)")

# Two draws per element (e.g. a hand-written Box–Muller that throws one away): the
# distribution is right, the bits are not those of the documented convention.
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements.)
gradlab_mutant(NAME normal_two_draws_per_element FILE init.cpp
  FIND "w(i, j) = rng.normal(mean, stddev)"
  REPLACE "w(i, j) = mean + stddev * (rng.normal(), rng.normal())")

# Sample standard deviation (N - 1) where the population one (N) is documented.
gradlab_mutant(NAME std_with_n_minus_one FILE preprocessing.cpp
  FIND "std::sqrt(sum_sq / n)"
  REPLACE "std::sqrt(sum_sq / (n - 1.0))")

# A constant feature divided by its zero standard deviation (NaN).
gradlab_mutant(NAME zero_variance_divided FILE preprocessing.cpp
  FIND "stddev(0, j) < eps ? 1.0 : stddev(0, j)"
  REPLACE "stddev(0, j)")

# Covariance of uncentered data.
gradlab_mutant(NAME covariance_not_centered FILE preprocessing.cpp
  FIND "const Matrix centered = x.rowwise() - mean.row(0)"
  REPLACE "const Matrix centered = x")

# ZCA without rotating back (it is then PCA).
gradlab_mutant(NAME zca_without_rotating_back FILE preprocessing.cpp
  FIND "w = pca * u.transpose()"
  REPLACE "w = pca")

# Whitening scaled by 1/λ instead of 1/sqrt(λ).
gradlab_mutant(NAME whitening_inverse_not_square_rooted FILE preprocessing.cpp
  FIND "1.0 / std::sqrt(lambda + eps)"
  REPLACE "1.0 / (lambda + eps)")

# Eigen's ascending order kept for PCA.
gradlab_mutant(NAME pca_ascending_order FILE preprocessing.cpp
  FIND "const Index source = d - 1 - k"
  REPLACE "const Index source = k")

# ε forgotten: a zero-variance direction is divided by ~0.
gradlab_mutant(NAME whitening_without_eps FILE preprocessing.cpp
  FIND "1.0 / std::sqrt(lambda + eps)"
  REPLACE "1.0 / std::sqrt(lambda)")

# whitening_apply forgets to subtract the mean.
gradlab_mutant(NAME whitening_apply_not_centered FILE preprocessing.cpp
  FIND "out = (x.rowwise() - mean.row(0)) * w"
  REPLACE "out = x * w")

# --- large-mean features
# The variance as E[x²] − μ² (one pass): catastrophic cancellation for a feature near 1e8.
gradlab_mutant(NAME variance_one_pass FILE preprocessing.cpp
  FIND "sum_sq += (x(i, j) - mu) * (x(i, j) - mu)"
  REPLACE "sum_sq += x(i, j) * x(i, j) - (i == 0 ? n * mu * mu : 0.0)")
