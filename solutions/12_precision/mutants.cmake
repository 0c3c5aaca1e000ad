# Lab 12: the usual mistakes. Each variant must make lab 12's tests fail
# (ctest lab12.mutant.<name>; run build/default/bin/lab12_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements. A FIND
# replaces every occurrence: where a text also occurs elsewhere, a placeholder
# protects it first and is put back last.)

# --- the issue's list
# Ties rounded away from zero (std::round's rule) instead of to the even neighbour.
gradlab_mutant(NAME ties_away_from_zero FILE precision.cpp
  FIND "if (f > 0.5) return r + 1.0" REPLACE "if (f >= 0.5) return r + 1.0")
# Subnormals flushed to zero (below the smallest normal, the result is ±0).
gradlab_mutant(NAME subnormals_flushed_to_zero FILE precision.cpp
  FIND "const Scalar m = round_half_even(std::ldexp(a, p - e_min))" REPLACE "const Scalar m = 0.0 * a")
# The scaler stepping even when a gradient overflowed.
gradlab_mutant(NAME scaler_steps_on_overflow FILE precision.cpp
  FIND "if (found_inf_) return false" REPLACE "if (found_inf_) optimizer.step()")
# The count of clean steps not restarted by an overflow: the scale grows too soon after a skipped step.
gradlab_mutant(NAME scaler_count_not_reset_on_overflow FILE precision.cpp
  FIND "starts again\n    state.growth_tracker = 0" REPLACE "starts again\n    (void)state.growth_tracker")
# A skipped step counted as a clean one (the count goes on after the backoff).
gradlab_mutant(NAME scaler_counts_skipped_step FILE precision.cpp
  FIND "starts again\n    state.growth_tracker = 0" REPLACE "starts again\n    state.growth_tracker += 1")
# Mixup's targets with another λ (a second Beta draw).
gradlab_mutant(NAME mixup_targets_other_lambda FILE advanced.cpp
  FIND "batch.y.row(i) = lambda * y.row(i) + (1.0 - lambda) * y.row(j)"
  REPLACE "batch.y.row(i) = (1.0 - lambda) * y.row(i) + lambda * y.row(j)")
# Mixup's targets with another permutation (a second Fisher–Yates draw).
gradlab_mutant(NAME mixup_targets_other_permutation FILE advanced.cpp
  FIND "batch.y.row(i) = lambda * y.row(i) + (1.0 - lambda) * y.row(j)"
  REPLACE "batch.y.row(i) = lambda * y.row(i) + (1.0 - lambda) * y.row(batch.permutation[static_cast<std::size_t>(x.rows() - 1 - i)])")
# Mixup's targets not mixed at all (only the inputs).
gradlab_mutant(NAME mixup_targets_not_mixed FILE advanced.cpp
  FIND "batch.y.row(i) = lambda * y.row(i) + (1.0 - lambda) * y.row(j)" REPLACE "batch.y.row(i) = y.row(i)")

# --- rounding
# Overflow saturating at the largest finite value instead of going to infinity.
gradlab_mutant(NAME overflow_saturates FILE precision.cpp
  FIND "if (e > e_max) return static_cast<std::uint16_t>(sign | exponent_all_ones)"
  REPLACE "if (e > e_max) return static_cast<std::uint16_t>(sign | (exponent_all_ones - 1))")
# The carry of a rounding into the exponent forgotten (1.111…1 rounded up becomes 1.0 of the same binade).
gradlab_mutant(NAME rounding_carry_forgotten FILE precision.cpp
  FIND "e += 1" REPLACE "e += 0")
# The NaN test forgotten: a NaN goes through the arithmetic and comes out as some number or infinity.
gradlab_mutant(NAME nan_not_handled FILE precision.cpp
  FIND "if (std::isnan(x)) return" REPLACE "if (false) return")
# Rounding through float first (double rounding).
gradlab_mutant(NAME rounds_through_float FILE precision.cpp
  FIND "return encode(x, 10, 5)" REPLACE "return encode(static_cast<float>(x), 10, 5)"
  FIND "return encode(x, 7, 8)" REPLACE "return encode(static_cast<float>(x), 7, 8)")
# bfloat16 by truncating a float's lower 16 bits instead of rounding.
gradlab_mutant(NAME bfloat16_truncates FILE precision.cpp
  FIND "return encode(x, 7, 8)" REPLACE "return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(static_cast<float>(x)) >> 16)")
# Negative zero losing its sign.
gradlab_mutant(NAME negative_zero_loses_sign FILE precision.cpp
  FIND "std::signbit(x) ? 0x8000 : 0x0000" REPLACE "x < 0.0 ? 0x8000 : 0x0000")
# Decoding a subnormal with the implicit leading 1 of a normal number.
gradlab_mutant(NAME subnormal_decoded_with_leading_one FILE precision.cpp
  FIND "if (e == 0) return sign * std::ldexp(static_cast<Scalar>(m), 1 - bias - p)" REPLACE "if (false) return 0.0")
# The exponent bias off by one when decoding.
gradlab_mutant(NAME decode_bias_off_by_one FILE precision.cpp
  FIND "(1 << p) + m), e - bias - p)" REPLACE "(1 << p) + m), e - bias - p + 1)")

# --- the emulated cast
# The gradient not rounded in the backward pass (only the values are 16-bit).
gradlab_mutant(NAME quantize_backward_not_rounded FILE precision.cpp
  FIND "dx(r, c) += round_to(format, dy(r, c))" REPLACE "dx(r, c) += dy(r, c)")
# The backward pass overwriting dx.
gradlab_mutant(NAME quantize_backward_overwrites FILE precision.cpp
  FIND "dx(r, c) += round_to(format, dy(r, c))" REPLACE "dx(r, c) = round_to(format, dy(r, c))")

# --- loss scaling
# Only infinities detected: a NaN gradient goes through.
gradlab_mutant(NAME unscale_misses_nan FILE precision.cpp
  FIND "if (!std::isfinite(v)) found_inf = true" REPLACE "if (std::isinf(v)) found_inf = true")
# Gradients multiplied by the scale instead of divided.
gradlab_mutant(NAME unscale_multiplies FILE precision.cpp
  FIND "v *= inv_scale" REPLACE "v /= inv_scale")
# Growth one step late (after growth_interval + 1 clean steps).
gradlab_mutant(NAME scaler_grows_one_step_late FILE precision.cpp
  FIND "if (successful == options.growth_interval)" REPLACE "if (successful > options.growth_interval)")
# The count not restarted after a growth.
gradlab_mutant(NAME scaler_count_not_reset_after_growth FILE precision.cpp
  FIND "a new count\n    state.growth_tracker = 0" REPLACE "a new count\n    state.growth_tracker = successful")
# No backoff on overflow (the step is skipped, the scale stays).
gradlab_mutant(NAME scaler_no_backoff FILE precision.cpp
  FIND "state.scale *= options.backoff_factor" REPLACE "(void)options.backoff_factor")
# Gradients unscaled twice when unscale_ was called before step.
gradlab_mutant(NAME scaler_unscales_twice FILE precision.cpp
  FIND "if (!unscaled_) unscale_(optimizer)" REPLACE "unscaled_ = false, unscale_(optimizer)")

# --- mixup's draws
# Gamma for a < 1 without the boost U^(1/a) (Marsaglia–Tsang needs a ≥ 1).
gradlab_mutant(NAME gamma_without_boost FILE advanced.cpp
  FIND "return g * std::pow(u, 1.0 / shape)" REPLACE "return (void)u, g")
# Beta as X / Y instead of X / (X + Y).
gradlab_mutant(NAME beta_wrong_ratio FILE advanced.cpp
  FIND "return x / (x + y)" REPLACE "return x / (x + y + 1.0)")
# The naive shuffle (j from the whole range): biased.
gradlab_mutant(NAME permutation_naive_shuffle FILE advanced.cpp
  FIND "const Index j = rng.index(i + 1)" REPLACE "const Index j = rng.index(n)")

# --- ensembles
# Averaging the logits, then one softmax (not the mean of probabilities).
gradlab_mutant(NAME ensemble_averages_logits FILE advanced.cpp
  FIND "softmax_forward(member_logits[m], p)" REPLACE "p = member_logits[m]"
  FIND "probs += (weights[m] / total) * p"
  REPLACE "probs += (weights[m] / total) * p, (m + 1 == member_logits.size() ? (softmax_forward(Matrix(probs), probs), 0) : 0)")
# The weighted mean not divided by the sum of the weights.
gradlab_mutant(NAME weighted_mean_not_normalized FILE advanced.cpp
  FIND "probs += (weights[m] / total) * p" REPLACE "probs += weights[m] * p")
# A vote by mean probability (soft voting) instead of counting predictions.
gradlab_mutant(NAME vote_by_mean_probability FILE advanced.cpp
  FIND "if (vc > vw || (vc == vw && mean(i, c) > mean(i, winner)))" REPLACE "if (mean(i, c) > mean(i, winner))")
# Ties broken by the smaller index alone.
gradlab_mutant(NAME vote_ties_to_smallest_index FILE advanced.cpp
  FIND "if (vc > vw || (vc == vw && mean(i, c) > mean(i, winner)))" REPLACE "if (vc > vw)")

# --- transfer
# The body not frozen (it still gets gradients, although no optimizer moves it).
gradlab_mutant(NAME transfer_body_not_frozen FILE advanced.cpp
  FIND "for (Tensor p : body) p.set_requires_grad(train_body)" REPLACE "for (Tensor p : body) (void)p")
# The body fine-tuned at the head's learning rate.
gradlab_mutant(NAME transfer_body_at_head_rate FILE advanced.cpp
  FIND "groups.push_back({body, body_options})" REPLACE "groups.push_back({body, head_options})")
