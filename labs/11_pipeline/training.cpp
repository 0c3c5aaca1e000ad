// Lab 11: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 11 — one training epoch in the right order, and evaluation.
//
// The order of a training step is where working code goes quietly wrong: clip AFTER
// the gradients are complete and BEFORE the step uses them; divide each loss by k when
// k batches share one step; zero the gradients once per step, not per batch (or they
// never accumulate) and not never (or they pile up forever); step an epoch-based
// schedule once per epoch. Evaluation must switch dropout and BatchNorm to their
// evaluation behaviour, and needs no graph.
//
// Conventions: k = options.accumulation_steps; a trailing group of fewer than k batches
// at the end of the epoch is stepped too (its losses still divided by k); the gradient
// norm is the global 2-norm of every parameter's gradient, measured before clipping.
// Read gradlab/pipeline.h too.
#include "gradlab/metrics.h"
#include "gradlab/ops.h"
#include "gradlab/pipeline.h"
#include "gradlab/regularization.h"

#include <cmath>

namespace gradlab {

// ============================================================== one epoch
// model.train(); loader.start_epoch()
// for b = 0 … n_b − 1:
//   if b mod k = 0: opt.zero_grad()
//   L_b = loss(model(x_b), y_b);  (L_b / k).backward()          ∇ = Σ_group ∇L_b / k
//   if (b + 1) mod k = 0 or b = n_b − 1:
//     ‖g‖ = global norm;  if max_norm > 0: g ← g · min(1, max_norm / (‖g‖ + 1e-6))   (clip_grad_norm_)
//     opt.step()                                                  (AFTER clipping)
// scheduler→step()                                               (once: per epoch)
// loss = Σ_b B_b L_b / Σ_b B_b;  accuracy = right / Σ_b B_b;  grad_norm = mean of the ‖g‖
EpochStats train_epoch(Module& model, Optimizer& opt, DataLoader& loader, const LossFunction& loss,
                       const TrainStepOptions& options, Scheduler* scheduler, const BatchCallback& on_batch) {
  validate(options);
  // TODO(lab 11): implement train_epoch.
  throw gradlab::NotImplemented("lab 11: train_epoch");
}

// ============================================================== evaluation
// was = model.is_training();  model.eval();  { NoGradGuard: scores = model(x) }
// loss = loss(scores, labels);  predictions = argmax of each row;  accuracy = right / N
// model.train(was)   (leave the model as it was found)
Evaluation evaluate(Module& model, const Matrix& x, const std::vector<Index>& labels, const LossFunction& loss) {
  GRADLAB_CHECK(static_cast<Index>(labels.size()) == x.rows(),
                "evaluate: " + std::to_string(labels.size()) + " labels for x " + shape_string(x));
  GRADLAB_CHECK(x.rows() > 0, "evaluate: an empty set has no accuracy");
  // TODO(lab 11): implement evaluate.
  throw gradlab::NotImplemented("lab 11: evaluate");
}

}  // namespace gradlab
