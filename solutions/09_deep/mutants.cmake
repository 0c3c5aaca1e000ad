# Lab 09: the usual mistakes. Each variant must make lab 09's tests fail
# (ctest lab09.mutant.<name>; run build/default/bin/lab09_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements.)

# --- the issue's list
# The skip path's gradient dropped (only the branch's reaches x).
gradlab_mutant(NAME skip_gradient_dropped FILE deep.cpp
  FIND "    dx += dy" REPLACE "    (void)dx"
  FIND "dx.noalias() += dy * proj.transpose()" REPLACE "(void)dx")
# The skip path's gradient counted twice.
gradlab_mutant(NAME skip_gradient_counted_twice FILE deep.cpp
  FIND "    dx += dy" REPLACE "    dx += 2.0 * dy"
  FIND "dx.noalias() += dy * proj.transpose()" REPLACE "dx.noalias() += 2.0 * dy * proj.transpose()")
# The identity skip's gradient counted twice (the projected one right).
gradlab_mutant(NAME identity_skip_counted_twice FILE deep.cpp
  FIND "    dx += dy" REPLACE "    dx += 2.0 * dy")
# The projection's gradient through the wrong matrix: P instead of Pᵀ (same shape when square).
gradlab_mutant(NAME projection_dx_not_transposed FILE deep.cpp
  FIND "dx.noalias() += dy * proj.transpose()"
  REPLACE "dx += (proj.rows() == proj.cols() ? Matrix(dy * proj) : Matrix(dy * proj.transpose()))")
# dP through the wrong matrix: xᵀ (x P), the forward's skip output, instead of xᵀ ȳ.
gradlab_mutant(NAME projection_dp_wrong_matrix FILE deep.cpp
  FIND "dproj.noalias() += x.transpose() * dy" REPLACE "dproj.noalias() += x.transpose() * (x * proj)")
# The update ratio measured against the new weights' norm.
gradlab_mutant(NAME ratio_uses_new_weights FILE deep.cpp
  FIND "return step / std::sqrt(w_before.array().square().sum())"
  REPLACE "return step / std::sqrt(w_after.array().square().sum())")
# A unit counted dead when it is zero on one example (the first) instead of the whole batch.
gradlab_mutant(NAME dead_on_one_example FILE deep.cpp
  FIND "if (a.col(j).maxCoeff() <= 0.0) ++dead" REPLACE "if (a(0, j) <= 0.0) ++dead")

# --- more usual mistakes
# The branch gets no gradient.
gradlab_mutant(NAME branch_gradient_dropped FILE deep.cpp
  FIND "  dfx += dy" REPLACE "  (void)dfx")
# The backward overwriting dx (=) instead of adding into it.
gradlab_mutant(NAME skip_overwrites_dx FILE deep.cpp
  FIND "    dx += dy" REPLACE "    dx = dy")
# The backward overwriting dfx.
gradlab_mutant(NAME branch_overwrites_dfx FILE deep.cpp
  FIND "  dfx += dy" REPLACE "  dfx = dy")
# dP overwritten.
gradlab_mutant(NAME projection_dp_overwrites FILE deep.cpp
  FIND "dproj.noalias() += x.transpose() * dy" REPLACE "dproj.noalias() = x.transpose() * dy")
# dP forgotten.
gradlab_mutant(NAME projection_dp_missing FILE deep.cpp
  FIND "dproj.noalias() += x.transpose() * dy" REPLACE "(void)dproj")
# The forward without the skip (a plain layer).
gradlab_mutant(NAME forward_without_skip FILE deep.cpp
  FIND "    y = x + fx" REPLACE "    y = fx")
# The projection ignored in the forward (x P replaced by P's absence: only F(x)).
gradlab_mutant(NAME forward_projection_ignored FILE deep.cpp
  FIND "y.noalias() = x * proj" REPLACE "y.setZero()")
# The squared norm (no square root).
gradlab_mutant(NAME grad_norm_squared FILE deep.cpp
  FIND "return std::sqrt(g.array().square().sum())" REPLACE "return g.array().square().sum()")
# The L1 norm instead of the Euclidean one.
gradlab_mutant(NAME grad_norm_l1 FILE deep.cpp
  FIND "return std::sqrt(g.array().square().sum())" REPLACE "return g.array().abs().sum()")
# The norm of the first row only.
gradlab_mutant(NAME grad_norm_first_row FILE deep.cpp
  FIND "return std::sqrt(g.array().square().sum())" REPLACE "return std::sqrt(g.row(0).array().square().sum())")
# The difference of the norms instead of the norm of the difference.
gradlab_mutant(NAME ratio_difference_of_norms FILE deep.cpp
  FIND "const Scalar step = std::sqrt((w_after - w_before).array().square().sum())"
  REPLACE "const Scalar step = std::abs(std::sqrt(w_after.array().square().sum()) - std::sqrt(w_before.array().square().sum()))")
# The ratio without the square roots (squared norms).
gradlab_mutant(NAME ratio_squared_norms FILE deep.cpp
  FIND "const Scalar step = std::sqrt((w_after - w_before).array().square().sum())"
  REPLACE "const Scalar step = (w_after - w_before).array().square().sum()"
  FIND "return step / std::sqrt(w_before.array().square().sum())"
  REPLACE "return step / w_before.array().square().sum()")
# Dead units counted as zero activations over N·D instead of columns.
gradlab_mutant(NAME dead_counts_elements FILE deep.cpp
  FIND "return static_cast<Scalar>(dead) / static_cast<Scalar>(a.cols())"
  REPLACE "return static_cast<Scalar>((a.array() <= 0.0).count()) / static_cast<Scalar>(a.size()) + 0.0 * static_cast<Scalar>(dead)")
# Dead when negative (never, after a ReLU).
gradlab_mutant(NAME dead_strictly_negative FILE deep.cpp
  FIND "if (a.col(j).maxCoeff() <= 0.0) ++dead" REPLACE "if (a.col(j).maxCoeff() < 0.0) ++dead")
# Dead when SOME example is zero (the minimum instead of the maximum).
gradlab_mutant(NAME dead_uses_min FILE deep.cpp
  FIND "if (a.col(j).maxCoeff() <= 0.0) ++dead" REPLACE "if (a.col(j).minCoeff() <= 0.0) ++dead")
# Saturation at the upper asymptote only.
gradlab_mutant(NAME saturated_upper_only FILE deep.cpp
  FIND "((a.array() <= low + margin) || (a.array() >= high - margin)).count()"
  REPLACE "(a.array() >= high - margin).count()")
# Saturation measured on the wrong side of the margin (inside the band instead of near the ends).
gradlab_mutant(NAME saturated_margin_wrong_side FILE deep.cpp
  FIND "((a.array() <= low + margin) || (a.array() >= high - margin)).count()"
  REPLACE "((a.array() <= low - margin) || (a.array() >= high + margin)).count()")
# Saturation divided by the number of units (columns) instead of activations.
gradlab_mutant(NAME saturated_per_column FILE deep.cpp
  FIND "return static_cast<Scalar>(saturated) / static_cast<Scalar>(a.size())"
  REPLACE "return static_cast<Scalar>(saturated) / static_cast<Scalar>(a.cols())")
