# Buggy variants of backprop.cpp: the usual mistakes of lab 01. Each one must make the
# lab's tests fail (ctest lab01.mutant.NAME passes when they do).
# Note: FIND/REPLACE texts must not contain ';' (CMake would split them into a list).

# ---------------------------------------------------------------- `=` instead of `+=`
gradlab_mutant(NAME assign_reduce_rows FILE backprop.cpp
  FIND "dx += g.colwise().sum()" REPLACE "dx = g.colwise().sum()")
gradlab_mutant(NAME assign_neg FILE backprop.cpp
  FIND "dx -= dy" REPLACE "dx = -dy")
gradlab_mutant(NAME assign_exp FILE backprop.cpp
  FIND "dx += dy.cwiseProduct(y)" REPLACE "dx = dy.cwiseProduct(y)")
gradlab_mutant(NAME assign_log FILE backprop.cpp
  FIND "dx += (dy.array() / x.array())" REPLACE "dx = (dy.array() / x.array())")
gradlab_mutant(NAME assign_matmul FILE backprop.cpp
  FIND "1.0, da->data()" REPLACE "0.0, da->data()")
gradlab_mutant(NAME assign_mean FILE backprop.cpp
  FIND "dx += g / n" REPLACE "dx = g / n")
gradlab_mutant(NAME assign_select_rows FILE backprop.cpp
  FIND "dx.row(indices[i]) += " REPLACE "dx.row(indices[i]) = ")

# ---------------------------------------------------------------- matmul
# da = (dy bᵀ)ᵀ = b dyᵀ: right for no shape but square ones (Eigen aborts on the others).
gradlab_mutant(NAME matmul_transposed_da FILE backprop.cpp
  FIND "if (da) {" REPLACE "if (da && (da->noalias() += b * dy.transpose(), false)) {")
gradlab_mutant(NAME matmul_transposed_db FILE backprop.cpp
  FIND "if (db) {" REPLACE "if (db && (db->noalias() += dy.transpose() * a, false)) {")

# ---------------------------------------------------------------- broadcasting
# Takes the first row / column / element instead of summing over the repeated dimension.
gradlab_mutant(NAME broadcast_first_only FILE backprop.cpp
  FIND "dx += g.colwise().sum()" REPLACE "dx += g.topRows(1)"
  FIND "dx += g.rowwise().sum()" REPLACE "dx += g.leftCols(1)"
  FIND "dx(0, 0) += g.sum()" REPLACE "dx(0, 0) += g(0, 0)")
# add passes dy on without reducing it (aborts on the shape mismatch when b is broadcast).
gradlab_mutant(NAME broadcast_not_reduced FILE backprop.cpp
  FIND "if (db) reduce_broadcast(dy, *db)" REPLACE "if (db) *db += dy")

# ---------------------------------------------------------------- reductions
gradlab_mutant(NAME mean_missing_1_over_n FILE backprop.cpp
  FIND "dx += g / n" REPLACE "dx += g")
gradlab_mutant(NAME mean_counts_rows FILE backprop.cpp
  FIND "static_cast<Scalar>(dx.size() / dy.size())" REPLACE "static_cast<Scalar>(dx.rows())")

# ---------------------------------------------------------------- wrong local derivatives
gradlab_mutant(NAME log_one_over_x_squared FILE backprop.cpp
  FIND "(dy.array() / x.array())" REPLACE "(dy.array() / x.array().square())")
gradlab_mutant(NAME div_b_one_over_b FILE backprop.cpp
  FIND "-dy.array() * a_full.array() / b_full.array().square()" REPLACE "dy.array() / b_full.array()")
gradlab_mutant(NAME div_b_minus_one_over_b FILE backprop.cpp
  FIND "-dy.array() * a_full.array() / b_full.array().square()" REPLACE "-dy.array() / b_full.array()")
gradlab_mutant(NAME sub_b_sign FILE backprop.cpp
  FIND "reduce_broadcast(-dy, *db)" REPLACE "reduce_broadcast(dy, *db)")
gradlab_mutant(NAME mul_swapped FILE backprop.cpp
  FIND "dy.cwiseProduct(b_full), *da" REPLACE "dy.cwiseProduct(a_full), *da"
  FIND "dy.cwiseProduct(a_full), *db" REPLACE "dy.cwiseProduct(b_full), *db")
gradlab_mutant(NAME sqrt_missing_half FILE backprop.cpp
  FIND "(2.0 * y.array())" REPLACE "y.array()")
gradlab_mutant(NAME pow_missing_p FILE backprop.cpp
  FIND "dy.array() * p * x.array()" REPLACE "dy.array() * x.array()")
gradlab_mutant(NAME maximum_wrong_side FILE backprop.cpp
  FIND "(x.array() > s).select(dy, 0.0)" REPLACE "(x.array() < s).select(dy, 0.0)")

# ---------------------------------------------------------------- the traversal
# Runs the closures from the leaves to the root: nothing has arrived yet when a node runs.
gradlab_mutant(NAME run_backward_forward FILE backprop.cpp
  FIND "order.rbegin()" REPLACE "order.begin()"
  FIND "order.rend()" REPLACE "order.end()")
# Lists a node when it is first discovered (pre-order), reversed so that the root still
# comes last: right for chains, wrong for a node with two consumers (a diamond).
gradlab_mutant(NAME topological_preorder FILE backprop.cpp
  FIND "visited.insert(&root)" REPLACE "visited.insert(&root), order.push_back(&root)"
  FIND "stack.emplace_back(p, 0)" REPLACE "stack.emplace_back(p, 0), order.push_back(p)"
  FIND "order.push_back(node)" REPLACE "(void)0"
  FIND "return order" REPLACE "return std::vector<Node*>(order.rbegin(), order.rend())")

# --- ties and x = 0 (the points where students go wrong)
# max(x, s) passing the gradient at a tie x = s (>= instead of >): ReLU'(0) = 1.
gradlab_mutant(NAME maximum_tie_passes FILE backprop.cpp
  FIND "dx += (x.array() > s).select(dy, 0.0).matrix()" REPLACE "dx += (x.array() >= s).select(dy, 0.0).matrix()")
# min(x, s) passing the gradient at a tie x = s (<= instead of <).
gradlab_mutant(NAME minimum_tie_passes FILE backprop.cpp
  FIND "dx += (x.array() < s).select(dy, 0.0).matrix()" REPLACE "dx += (x.array() <= s).select(dy, 0.0).matrix()")
# p·xᵖ⁻¹ written as p·xᵖ / x: 0/0 = NaN at x = 0.
gradlab_mutant(NAME pow_grad_divides_by_x FILE backprop.cpp
  FIND "dx += (dy.array() * p * x.array().pow(p - 1.0)).matrix()"
  REPLACE "dx += (dy.array() * p * x.array().pow(p) / x.array()).matrix()")
# sign(0) taken as 1 in |x|' (x >= 0 ? 1 : −1).
gradlab_mutant(NAME abs_grad_one_at_zero FILE backprop.cpp
  FIND "dx += dy.cwiseProduct(x.cwiseSign())"
  REPLACE "dx += (x.array() >= 0.0).select(dy.array(), -dy.array()).matrix()")
