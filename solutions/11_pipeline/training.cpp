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
  // BEGIN SOLUTION
  const Index k = options.accumulation_steps;
  const std::vector<Tensor> params = model.parameters();
  model.train();
  loader.start_epoch();
  const Index batches = loader.num_batches();
  EpochStats stats;
  stats.lr = opt.lr();
  Scalar loss_sum = 0.0, norm_sum = 0.0;
  Index seen = 0, right = 0;
  for (Index b = 0; b < batches; ++b) {
    if (b % k == 0) opt.zero_grad();
    const Batch batch = loader.batch(b);
    const Tensor scores = model(batch.x);
    const Tensor batch_loss = loss(scores, batch.labels);
    (batch_loss * (1.0 / static_cast<Scalar>(k))).backward();

    const auto size = static_cast<Index>(batch.labels.size());
    const Scalar batch_accuracy = accuracy(scores, batch.labels);
    loss_sum += batch_loss.item() * static_cast<Scalar>(size);
    right += static_cast<Index>(std::lround(batch_accuracy * static_cast<Scalar>(size)));
    seen += size;

    if ((b + 1) % k == 0 || b + 1 == batches) {
      Scalar norm = 0.0;
      if (options.max_grad_norm > 0.0) {
        norm = clip_grad_norm_(params, options.max_grad_norm);
      } else {
        for (const Tensor& p : params) norm += p.grad().squaredNorm();
        norm = std::sqrt(norm);
      }
      opt.step();
      norm_sum += norm;
      ++stats.optimizer_steps;
    }
    if (on_batch) on_batch(b, batches, batch_loss.item(), batch_accuracy);
  }
  if (scheduler != nullptr) scheduler->step();
  stats.loss = seen > 0 ? loss_sum / static_cast<Scalar>(seen) : 0.0;
  stats.accuracy = seen > 0 ? static_cast<Scalar>(right) / static_cast<Scalar>(seen) : 0.0;
  stats.grad_norm = stats.optimizer_steps > 0 ? norm_sum / static_cast<Scalar>(stats.optimizer_steps) : 0.0;
  return stats;
  // END SOLUTION
}

// ============================================================== evaluation
// was = model.is_training();  model.eval();  { NoGradGuard: scores = model(x) }
// loss = loss(scores, labels);  predictions = argmax of each row;  accuracy = right / N
// model.train(was)   (leave the model as it was found)
Evaluation evaluate(Module& model, const Matrix& x, const std::vector<Index>& labels, const LossFunction& loss) {
  GRADLAB_CHECK(static_cast<Index>(labels.size()) == x.rows(),
                "evaluate: " + std::to_string(labels.size()) + " labels for x " + shape_string(x));
  GRADLAB_CHECK(x.rows() > 0, "evaluate: an empty set has no accuracy");
  // BEGIN SOLUTION
  const bool was_training = model.is_training();
  model.eval();
  Evaluation out;
  {
    NoGradGuard no_grad;
    const Tensor scores = model(Tensor(x));
    out.loss = loss(scores, labels).item();
    out.predictions = argmax_rows(scores.value());
    out.accuracy = accuracy(scores, labels);
  }
  model.train(was_training);
  return out;
  // END SOLUTION
}

}  // namespace gradlab
