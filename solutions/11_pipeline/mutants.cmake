# Lab 11: the usual mistakes. Each variant must make lab 11's tests fail
# (ctest lab11.mutant.<name>; run build/default/bin/lab11_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements. A FIND
# replaces every occurrence.)

# --- the issue's list
# Shuffling once (the first epoch) instead of every epoch.
gradlab_mutant(NAME shuffle_once FILE loader.cpp
  FIND "if (options_.shuffle) kernels::fisher_yates_shuffle" REPLACE "if (options_.shuffle && epochs_ == 0) kernels::fisher_yates_shuffle")
# The last partial batch dropped although drop_last is off.
gradlab_mutant(NAME last_partial_batch_dropped FILE loader.cpp
  FIND "if (drop_last && end - begin < batch_size) break" REPLACE "if (end - begin < batch_size) break")
# Accuracy (and loss) measured in training mode: model.eval() forgotten.
gradlab_mutant(NAME evaluate_in_training_mode FILE training.cpp
  FIND "  model.eval()" REPLACE "  (void)0")
# The loss not divided by k under gradient accumulation.
gradlab_mutant(NAME accumulation_loss_not_divided FILE training.cpp
  FIND "(batch_loss * (1.0 / static_cast<Scalar>(k))).backward()" REPLACE "Tensor(batch_loss).backward()")
# A checkpoint written in place (the temporary file is the checkpoint itself).
gradlab_mutant(NAME checkpoint_written_in_place FILE checkpoint.cpp
  FIND "const std::string temporary = path + \".tmp\"" REPLACE "const std::string temporary = path")
# The optimizer steps before the gradients are clipped.
gradlab_mutant(NAME step_before_clipping FILE training.cpp
  FIND "      Scalar norm = 0.0" REPLACE "      Scalar norm = (opt.step(), 0.0)"
  FIND "      opt.step()" REPLACE "      (void)0")
# The scheduler stepped after every batch instead of once per epoch.
gradlab_mutant(NAME scheduler_per_batch FILE training.cpp
  FIND "    if (on_batch) on_batch(" REPLACE "    if (scheduler != nullptr && (scheduler->step(), true) && on_batch) on_batch("
  FIND "  if (scheduler != nullptr) scheduler->step()" REPLACE "  (void)scheduler")

# --- more usual mistakes: the loader
# The "naive" shuffle: j drawn from all n positions.
gradlab_mutant(NAME naive_shuffle FILE loader.cpp
  FIND "const Index j = rng.index(i + 1)" REPLACE "const Index j = rng.index(n)")
# Sattolo's shuffle (j < i): only cyclic permutations, an element never stays put.
gradlab_mutant(NAME sattolo_shuffle FILE loader.cpp
  FIND "const Index j = rng.index(i + 1)" REPLACE "const Index j = rng.index(i)")
# Each epoch shuffles the previous epoch's order instead of starting from the identity
# (the order then depends on more than the generator: resuming is not exact).
gradlab_mutant(NAME shuffle_previous_order FILE loader.cpp
  FIND "  std::iota(order_.begin(), order_.end(), Index{0})" REPLACE "  if (epochs_ == 0) std::iota(order_.begin(), order_.end(), Index{0})")

# --- metrics
# The confusion matrix transposed (row = prediction).
gradlab_mutant(NAME confusion_transposed FILE metrics.cpp
  FIND "cm(truth[k], predicted[k])" REPLACE "cm(predicted[k], truth[k])")
# Precision over the row (it is then the recall).
gradlab_mutant(NAME precision_over_row FILE metrics.cpp
  FIND "ratio(cm(k, k), cm.col(k).sum())" REPLACE "ratio(cm(k, k), cm.row(k).sum())")
# F1 as the arithmetic mean of precision and recall.
gradlab_mutant(NAME f1_arithmetic_mean FILE metrics.cpp
  FIND "ratio(2.0 * p * r, p + r)" REPLACE "0.5 * (p + r)")
# 0/0 left as NaN.
gradlab_mutant(NAME zero_division_nan FILE metrics.cpp
  FIND "den > 0.0 ? num / den : 0.0" REPLACE "num / den")

# --- training and evaluation
# zero_grad before every batch: accumulation keeps only the last batch's gradient.
gradlab_mutant(NAME zero_grad_every_batch FILE training.cpp
  FIND "if (b % k == 0) opt.zero_grad()" REPLACE "opt.zero_grad()")
# zero_grad never called: gradients pile up across steps.
gradlab_mutant(NAME zero_grad_never FILE training.cpp
  FIND "if (b % k == 0) opt.zero_grad()" REPLACE "(void)0")
# The trailing group of fewer than k batches never stepped.
gradlab_mutant(NAME trailing_group_not_stepped FILE training.cpp
  FIND "if ((b + 1) % k == 0 || b + 1 == batches)" REPLACE "if ((b + 1) % k == 0)")
# The epoch's loss as the plain mean of the batch means.
gradlab_mutant(NAME epoch_loss_unweighted FILE training.cpp
  FIND "loss_sum += batch_loss.item() * static_cast<Scalar>(size)" REPLACE "loss_sum += batch_loss.item()"
  FIND "loss_sum / static_cast<Scalar>(seen)" REPLACE "loss_sum / static_cast<Scalar>(batches)")
# train_epoch never switches back to training mode.
gradlab_mutant(NAME train_mode_not_set FILE training.cpp
  FIND "model.train()" REPLACE "(void)0")
# evaluate leaves the model in evaluation mode.
gradlab_mutant(NAME evaluate_mode_not_restored FILE training.cpp
  FIND "model.train(was_training)" REPLACE "(void)was_training")
# Evaluation records a graph (no NoGradGuard).
gradlab_mutant(NAME evaluate_records_graph FILE training.cpp
  FIND "NoGradGuard no_grad" REPLACE "[[maybe_unused]] bool no_grad = true")

# --- checkpoints
# FNV-1 (multiply, then XOR) instead of FNV-1a.
gradlab_mutant(NAME fnv1_order FILE checkpoint.cpp
  FIND "h ^= b" REPLACE "h = (h * 0x100000001b3ULL) ^ b"
  FIND "h *= 0x100000001b3ULL" REPLACE "(void)0")
# The checksum written but never verified.
gradlab_mutant(NAME checksum_not_verified FILE checkpoint.cpp
  FIND "if (stored != computed)" REPLACE "if (stored != computed && false)")
# The format version not checked.
gradlab_mutant(NAME version_not_checked FILE checkpoint.cpp
  FIND "if (version != checkpoint_format_version)" REPLACE "if (false)")
# The shapes not checked before restoring (Eigen resizes the parameter silently).
gradlab_mutant(NAME restore_without_shape_check FILE checkpoint.cpp
  FIND "GRADLAB_CHECK(value.rows() == params[i].tensor.rows() && value.cols() == params[i].tensor.cols()," REPLACE "GRADLAB_CHECK(true,")
# The loader's generator not saved: the resumed epochs shuffle differently.
gradlab_mutant(NAME generator_not_saved FILE checkpoint.cpp
  FIND "c.generator_state = generator.state()" REPLACE "c.generator_state = Rng(0).state()")
# The scheduler's step not restored.
gradlab_mutant(NAME scheduler_not_restored FILE checkpoint.cpp
  FIND "if (scheduler != nullptr) scheduler->set_last_step(c.scheduler_step)" REPLACE "(void)0")
# The optimizer's state not saved (Adam restarts its moments and its bias correction).
gradlab_mutant(NAME optimizer_state_not_saved FILE checkpoint.cpp
  FIND "c.optimizer_state.push_back(opt.state(i))" REPLACE "c.optimizer_state.push_back(ParamState{})")

# --- search
# The grid's m one too small when m^D equals the budget.
gradlab_mutant(NAME grid_budget_strict FILE search.cpp
  FIND "while (power(m + 1) <= budget)" REPLACE "while (power(m + 1) < budget)")
# The grid's high end left out (i / m instead of i / (m − 1)).
gradlab_mutant(NAME grid_without_high_end FILE search.cpp
  FIND "static_cast<Scalar>(i) / static_cast<Scalar>(m - 1)" REPLACE "static_cast<Scalar>(i) / static_cast<Scalar>(m)")
# Log axes searched linearly.
gradlab_mutant(NAME log_axis_linear FILE search.cpp
  FIND "if (a.log_scale)" REPLACE "if (false)")
# best_so_far returning the scores themselves.
gradlab_mutant(NAME best_so_far_is_score FILE search.cpp
  FIND "best.push_back(b)" REPLACE "best.push_back(s)")
