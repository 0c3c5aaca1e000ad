// Lab 11 tests: one training epoch (train_epoch) and evaluation (evaluate).
//
// The claims checked: each epoch equals a hand-written loop in the documented order;
// clipping happens BEFORE the step (the update's length is the clipped norm); the loss
// is divided by k under accumulation (k batches of B give the gradient of one batch of
// kB, to 1e-12) and the optimizer steps once per k batches and once for a trailing
// group; the scheduler steps once per epoch; evaluation runs in evaluation mode under
// no-grad and leaves the model's mode as it was.
#include "tests/helpers.h"

#include "gradlab/metrics.h"
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;

namespace {

// The gradient of the mean cross entropy over all of (x, labels), in a copy of the model.
std::vector<Matrix> full_batch_gradient(std::uint64_t seed, const Data& d, Index hidden) {
  auto net = mlp(seed, d.x.cols(), hidden, 3);
  cross_entropy_loss((*net)(Tensor(d.x)), d.labels).backward();
  std::vector<Matrix> g;
  for (const Tensor& p : net->parameters()) g.push_back(p.grad());
  return g;
}

Scalar norm_of(const std::vector<Matrix>& ms) {
  Scalar s = 0;
  for (const Matrix& m : ms) s += m.squaredNorm();
  return std::sqrt(s);
}

// A module that passes x through and records the mode and the gradient mode it ran in.
struct Probe : Module {
  Tensor forward(const Tensor& x) override {
    saw_training = is_training();
    saw_grad_enabled = grad_enabled();
    ++calls;
    return x;
  }
  bool saw_training = false, saw_grad_enabled = false;
  int calls = 0;
};

}  // namespace

TEST(TrainEpoch, MatchesAHandWrittenLoop) {
  // Adam, 3 batches (4, 4, 2 examples) in the data's order, 2 epochs, k = 1, no clipping.
  const Data d = data(10, 3, 3, 1);
  auto net = mlp(7, 3, 5, 3);
  Adam opt(net->parameters(), {.lr = 0.05});
  DataLoader loader(d.x, d.labels, {.batch_size = 4, .shuffle = false}, 1);
  for (int e = 0; e < 2; ++e) train_epoch(*net, opt, loader, cross_entropy());

  auto ref = mlp(7, 3, 5, 3);
  Adam ref_opt(ref->parameters(), {.lr = 0.05});
  for (int e = 0; e < 2; ++e)
    for (Index begin = 0; begin < 10; begin += 4) {
      const Index n = std::min<Index>(4, 10 - begin);
      ref_opt.zero_grad();
      const std::vector<Index> labels(d.labels.begin() + begin, d.labels.begin() + begin + n);
      cross_entropy_loss((*ref)(Tensor(Matrix(d.x.middleRows(begin, n)))), labels).backward();
      ref_opt.step();
    }
  const auto got = values(*net), want = values(*ref);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(near(got[i], want[i], 1e-12)) << "parameter " << i
                                              << ": zero_grad, forward, loss, backward, step for every batch, the last "
                                                 "partial batch included";
  EXPECT_EQ(opt.step_count(), 6) << "3 batches per epoch, 2 epochs, k = 1: 6 steps";
}

TEST(TrainEpoch, ClipsBeforeStepping) {
  // One batch of everything, SGD η = 1, max_grad_norm far below the gradient's norm: the
  // update is −c·g with c = max_norm / (‖g‖ + 1e-6), so its length is max_norm.
  const Data d = data(12, 3, 3, 2);
  const Scalar max_norm = 0.01;
  const std::vector<Matrix> g = full_batch_gradient(3, d, 4);
  const Scalar g_norm = norm_of(g);
  ASSERT_GT(g_norm, 10 * max_norm);
  auto net = mlp(3, 3, 4, 3);
  const std::vector<Matrix> before = values(*net);
  SGD opt(net->parameters(), 1.0);
  DataLoader loader(d.x, d.labels, {.batch_size = 12, .shuffle = false}, 1);
  const EpochStats s = train_epoch(*net, opt, loader, cross_entropy(), {.max_grad_norm = max_norm});
  const std::vector<Matrix> after = values(*net);
  const Scalar c = max_norm / (g_norm + 1e-6);
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_TRUE(near(after[i], before[i] - c * g[i], 1e-12))
        << "parameter " << i << ": the step must use the CLIPPED gradient (clip, then opt.step())";
  EXPECT_NEAR(s.grad_norm, g_norm, 1e-12 * g_norm) << "grad_norm is the norm measured BEFORE clipping";
}

TEST(TrainEpoch, AccumulationDividesTheLossByK) {
  // 8 examples in 2 batches of 4, k = 2: one step with the gradient of the mean over all 8.
  const Data d = data(8, 3, 3, 4);
  const std::vector<Matrix> g = full_batch_gradient(5, d, 4);
  auto net = mlp(5, 3, 4, 3);
  const std::vector<Matrix> before = values(*net);
  SGD opt(net->parameters(), 0.5);
  DataLoader loader(d.x, d.labels, {.batch_size = 4, .shuffle = false}, 1);
  const EpochStats s = train_epoch(*net, opt, loader, cross_entropy(), {.accumulation_steps = 2});
  EXPECT_EQ(s.optimizer_steps, 1);
  const std::vector<Matrix> after = values(*net);
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_TRUE(near(after[i], before[i] - 0.5 * g[i], 1e-12))
        << "parameter " << i << ": k batches of B must give the gradient of one batch of kB: each loss / k, the "
        << "gradients accumulated over the k batches (zero_grad once per group, not per batch)";
}

TEST(TrainEpoch, StepsOncePerKBatchesAndForTheTrailingGroup) {
  const Data d = data(10, 2, 2, 6);
  auto net = mlp(1, 2, 3, 2);
  SGD opt(net->parameters(), 0.1);
  DataLoader loader(d.x, d.labels, {.batch_size = 2}, 3);
  const EpochStats s = train_epoch(*net, opt, loader, cross_entropy(), {.accumulation_steps = 2});
  EXPECT_EQ(s.optimizer_steps, 3) << "5 batches, k = 2: steps after batches 2 and 4, and after the trailing batch 5";
  EXPECT_EQ(opt.step_count(), 3);
}

TEST(TrainEpoch, SchedulerStepsOncePerEpoch) {
  const Data d = data(16, 2, 2, 7);
  auto net = mlp(2, 2, 3, 2);
  SGD opt(net->parameters(), 0.1);
  StepLR schedule(opt, {.step_size = 1, .gamma = 0.5});
  DataLoader loader(d.x, d.labels, {.batch_size = 4}, 3);
  const EpochStats first = train_epoch(*net, opt, loader, cross_entropy(), {}, &schedule);
  EXPECT_DOUBLE_EQ(first.lr, 0.1) << "the first epoch trains at η₀";
  EXPECT_EQ(schedule.last_step(), 1) << "4 batches, but ONE scheduler step per epoch";
  EXPECT_DOUBLE_EQ(opt.lr(), 0.05);
  const EpochStats second = train_epoch(*net, opt, loader, cross_entropy(), {}, &schedule);
  EXPECT_DOUBLE_EQ(second.lr, 0.05);
  EXPECT_DOUBLE_EQ(opt.lr(), 0.025);
}

TEST(TrainEpoch, ReportsLossAndAccuracyOfTheEpoch) {
  // η = 0: nothing moves, so the epoch's loss (batch means weighted by batch sizes) is
  // the mean over all examples, and its accuracy is the accuracy on all of them.
  const Data d = data(11, 3, 3, 8);
  auto net = mlp(4, 3, 6, 3);
  SGD opt(net->parameters(), 0.0);
  DataLoader loader(d.x, d.labels, {.batch_size = 4}, 2);
  int calls = 0;
  const EpochStats s = train_epoch(*net, opt, loader, cross_entropy(), {}, nullptr,
                                   [&](Index b, Index batches, Scalar, Scalar) {
                                     EXPECT_EQ(b, calls);
                                     EXPECT_EQ(batches, 3);
                                     ++calls;
                                   });
  EXPECT_EQ(calls, 3) << "on_batch after every batch";
  const Tensor scores = (*net)(Tensor(d.x));
  EXPECT_NEAR(s.loss, cross_entropy_loss(scores, d.labels).item(), 1e-12)
      << "the epoch's loss: Σ_b B_b L_b / Σ_b B_b (a plain mean of batch means weights the small last batch too much)";
  EXPECT_NEAR(s.accuracy, accuracy(scores, d.labels), 1e-12);
  EXPECT_GT(s.grad_norm, 0.0);
}

TEST(TrainEpoch, TrainsInTrainingMode) {
  const Data d = data(6, 2, 2, 9);
  auto net = mlp(1, 2, 3, 2);
  auto probe = std::make_shared<Probe>();
  net->add(probe);
  net->eval();
  SGD opt(net->parameters(), 0.1);
  DataLoader loader(d.x, d.labels, {.batch_size = 3}, 1);
  train_epoch(*net, opt, loader, cross_entropy());
  EXPECT_TRUE(probe->saw_training) << "train_epoch must call model.train() first (a previous evaluate() may have left it in eval mode)";
  EXPECT_TRUE(probe->saw_grad_enabled);
}

TEST(Evaluate, UsesEvaluationModeAndGivesTheEvaluationLoss) {
  // Dropout 0.5: in training mode the loss would change from call to call.
  const Data d = data(20, 3, 3, 10);
  auto net = mlp(11, 3, 16, 3, 0.5);
  net->train();
  const Evaluation e = evaluate(*net, d.x, d.labels, cross_entropy());
  net->eval();
  const Tensor scores = (*net)(Tensor(d.x));
  EXPECT_NEAR(e.loss, cross_entropy_loss(scores, d.labels).item(), 1e-12)
      << "evaluate() must switch the model to eval(): dropout off, BatchNorm's running statistics";
  EXPECT_NEAR(e.accuracy, accuracy(scores, d.labels), 1e-12);
  EXPECT_EQ(e.predictions, argmax_rows(scores.value()));
}

TEST(Evaluate, RecordsNoGraphAndRestoresTheMode) {
  const Data d = data(5, 2, 2, 11);
  auto net = mlp(1, 2, 3, 2);
  auto probe = std::make_shared<Probe>();
  net->add(probe);
  net->train();
  (void)evaluate(*net, d.x, d.labels, cross_entropy());
  EXPECT_EQ(probe->calls, 1) << "one pass over the whole set";
  EXPECT_FALSE(probe->saw_training) << "the forward pass must run in evaluation mode";
  EXPECT_FALSE(probe->saw_grad_enabled) << "the forward pass must run under a NoGradGuard";
  EXPECT_TRUE(net->is_training()) << "the model was in training mode: leave it so";
  net->eval();
  (void)evaluate(*net, d.x, d.labels, cross_entropy());
  EXPECT_FALSE(net->is_training()) << "the model was in evaluation mode: leave it so";
  EXPECT_TRUE(grad_enabled());
}

TEST(Evaluate, RejectsMismatchedLabels) {
  const Data d = data(5, 2, 2, 12);
  auto net = mlp(1, 2, 3, 2);
  EXPECT_TRUE(throws_error_mentioning([&] { evaluate(*net, d.x, {0, 1}, cross_entropy()); }, {"2 labels", "[5, 2]"}));
  // Reaches the lab's code.
  // A cross entropy is positive, and there is one prediction per row.
  const Evaluation e = evaluate(*net, d.x, d.labels, cross_entropy());
  EXPECT_GT(e.loss, 0.0);
  EXPECT_EQ(e.predictions.size(), 5u);
}
