// Lab 12 tests: transfer learning's parameter groups (gradlab::transfer_param_groups):
// a frozen body gets no gradient and never moves; fine-tuning trains the body at its
// own learning rate and the head at another (lab 05's parameter groups).
#include "gradlab/advanced.h"
#include "gradlab/activations.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// A "pretrained" body 4 → 6 (ReLU) and a new head 6 → 3.
struct Net {
  Rng init{42};
  Linear body{4, 6, init};
  Linear head{6, 3, init};
  Matrix x = random_matrix(10, 4, 5);
  std::vector<Index> labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
  Tensor loss() { return cross_entropy_loss(head(relu(body(Tensor(x)))), labels); }
};

Scalar max_abs(const Matrix& m) { return m.cwiseAbs().maxCoeff(); }

}  // namespace

TEST(Transfer, AFrozenBodyGetsNoGradientAndNeverMoves) {
  Net net;
  const Matrix body_w = net.body.weight().value(), body_b = net.body.bias().value();
  const Matrix head_w = net.head.weight().value();
  auto groups = transfer_param_groups(net.body.parameters(), net.head.parameters(), TransferMode::Frozen,
                                      {.lr = 1e-3}, {.lr = 1e-2});
  ASSERT_EQ(groups.size(), 1u) << "frozen: one group, the head's";
  EXPECT_EQ(groups[0].options.lr, 1e-2) << "with the head's options";
  EXPECT_FALSE(net.body.weight().requires_grad()) << "a frozen parameter requires no gradient";
  EXPECT_FALSE(net.body.bias().requires_grad());
  Adam opt(groups);
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    net.loss().backward();
    opt.step();
  }
  EXPECT_EQ(net.body.weight().value(), body_w) << "the frozen body must keep its pretrained weights bit for bit";
  EXPECT_EQ(net.body.bias().value(), body_b);
  EXPECT_EQ(net.body.weight().node()->grad.size(), 0) << "no gradient is even computed for a frozen parameter";
  EXPECT_GT(max_abs(net.head.weight().value() - head_w), 1e-3) << "the head learns";
}

TEST(Transfer, FineTuningTrainsEachGroupAtItsOwnRate) {
  // Adam's first step moves each weight by lr · g/(|g| + ε) ≈ ±lr: the size of the
  // first step shows each group's learning rate.
  Net net;
  const Matrix body_w = net.body.weight().value(), head_w = net.head.weight().value();
  auto groups = transfer_param_groups(net.body.parameters(), net.head.parameters(), TransferMode::FineTune,
                                      {.lr = 1e-4}, {.lr = 1e-2});
  ASSERT_EQ(groups.size(), 2u) << "fine-tuning: two groups, body then head";
  EXPECT_EQ(groups[0].params.size(), 2u) << "the body's W and b";
  EXPECT_EQ(groups[0].options.lr, 1e-4);
  EXPECT_EQ(groups[1].options.lr, 1e-2);
  Adam opt(groups);
  opt.zero_grad();
  net.loss().backward();
  opt.step();
  EXPECT_NEAR(max_abs(net.body.weight().value() - body_w), 1e-4, 1e-6) << "the body moves at the body's rate";
  EXPECT_NEAR(max_abs(net.head.weight().value() - head_w), 1e-2, 1e-4) << "the head at the head's rate";
}

TEST(Transfer, FineTuningAfterFreezingUnfreezesTheBody) {
  Net net;
  net.head.weight().set_requires_grad(false);  // whatever the head was, it learns
  transfer_param_groups(net.body.parameters(), net.head.parameters(), TransferMode::Frozen, {}, {});
  EXPECT_TRUE(net.head.weight().requires_grad()) << "the head always requires a gradient";
  EXPECT_FALSE(net.body.weight().requires_grad());
  auto groups = transfer_param_groups(net.body.parameters(), net.head.parameters(), TransferMode::FineTune,
                                      {.lr = 1e-4}, {.lr = 1e-3});
  EXPECT_TRUE(net.body.weight().requires_grad()) << "fine-tuning after a frozen phase must unfreeze the body";
  EXPECT_TRUE(net.body.bias().requires_grad());
  Adam opt(groups);
  const Matrix body_w = net.body.weight().value();
  opt.zero_grad();
  net.loss().backward();
  opt.step();
  EXPECT_GT(max_abs(net.body.weight().value() - body_w), 0.0) << "and the body moves";
  EXPECT_THROW(transfer_param_groups(net.body.parameters(), {}, TransferMode::FineTune, {}, {}), Error)
      << "a head without parameters";
}
