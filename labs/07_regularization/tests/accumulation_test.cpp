// Lab 07 tests: gradient accumulation (GradientAccumulator::backward and step).
//
// The claim checked: k mini-batches of b rows, each loss a mean over its rows and scaled
// by 1/k, add up to the gradient of ONE batch of k·b rows, to rounding (1e-12), and the
// optimizer steps once per k mini-batches with that gradient.
#include "gradlab/activations.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/ops.h"
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <numeric>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// A small network with a nonlinearity, so the check is not only about a linear model.
struct Net {
  explicit Net(std::uint64_t seed) : rng(seed), l1(3, 5, rng), l2(5, 2, rng) {}
  Tensor operator()(const Tensor& x) { return l2(gradlab::tanh(l1(x))); }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> p = l1.parameters();
    for (const Tensor& t : l2.parameters()) p.push_back(t);
    return p;
  }
  Rng rng;
  Linear l1, l2;
};

std::vector<Index> range(Index from, Index count) {
  std::vector<Index> r(static_cast<std::size_t>(count));
  std::iota(r.begin(), r.end(), from);
  return r;
}

// The mean squared error on rows [from, from + count) of (x, y).
Tensor batch_loss(Net& net, const Tensor& x, const Tensor& y, Index from, Index count) {
  const auto rows = range(from, count);
  return mse_loss(net(select_rows(x, rows)), select_rows(y, rows));
}

std::vector<Matrix> gradients(const std::vector<Tensor>& params) {
  std::vector<Matrix> g;
  for (const Tensor& p : params) g.push_back(p.grad());
  return g;
}

std::vector<Matrix> values(const std::vector<Tensor>& params) {
  std::vector<Matrix> v;
  for (const Tensor& p : params) v.push_back(p.value());
  return v;
}

// The gradient of the mean loss over rows [from, from + count) in one batch.
std::vector<Matrix> big_batch_gradient(std::uint64_t seed, const Tensor& x, const Tensor& y, Index from, Index count) {
  Net net(seed);
  batch_loss(net, x, y, from, count).backward();
  return gradients(net.parameters());
}

}  // namespace

TEST(GradientAccumulation, KBatchesOfBGiveTheGradientOfOneBatchOfKB) {
  for (const auto& [k, b] : std::vector<std::pair<Index, Index>>{{4, 3}, {2, 5}, {3, 1}, {1, 6}}) {
    const Tensor x(random_matrix(k * b, 3, 10 + static_cast<std::uint64_t>(k)));
    const Tensor y(random_matrix(k * b, 2, 20 + static_cast<std::uint64_t>(b)));
    const auto expected = big_batch_gradient(7, x, y, 0, k * b);

    Net net(7);
    SGD opt(net.parameters(), 0.1);
    GradientAccumulator acc(opt, k);
    for (Index j = 0; j < k; ++j) {
      acc.backward(batch_loss(net, x, y, j * b, b));
      if (j + 1 < k) {
        EXPECT_FALSE(acc.step()) << "k = " << k << ": no update before the k-th mini-batch";
      }
    }
    const auto got = gradients(net.parameters());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(near(got[i], expected[i], 1e-12))
          << "k = " << k << ", b = " << b << ", parameter " << i
          << ": the summed gradients of the k losses scaled by 1/k must equal the gradient of the mean over all k·b rows";
    }
  }
}

TEST(GradientAccumulation, OneStepPerKBatchesEqualToTheBigBatchStep) {
  const Index k = 3, b = 4;
  const Tensor x(random_matrix(2 * k * b, 3, 30)), y(random_matrix(2 * k * b, 2, 31));
  // Reference: two plain SGD steps on the two big batches of k·b rows.
  Net big(8);
  SGD big_opt(big.parameters(), 0.5);
  for (Index window = 0; window < 2; ++window) {
    big_opt.zero_grad();
    batch_loss(big, x, y, window * k * b, k * b).backward();
    big_opt.step();
  }
  // Accumulated: 2k mini-batches of b rows.
  Net net(8);
  SGD opt(net.parameters(), 0.5);
  GradientAccumulator acc(opt, k);
  std::vector<Matrix> before = values(net.parameters());
  for (Index j = 0; j < 2 * k; ++j) {
    acc.backward(batch_loss(net, x, y, j * b, b));
    const bool stepped = acc.step();
    EXPECT_EQ(stepped, (j + 1) % k == 0) << "mini-batch " << j + 1 << ": a step after every k-th mini-batch only";
    EXPECT_EQ(acc.pending(), (j + 1) % k);
    if (!stepped) {
      EXPECT_TRUE(near(net.parameters()[0].value(), before[0], 0.0)) << "no parameter moves between updates";
    } else {
      before = values(net.parameters());
    }
  }
  EXPECT_EQ(opt.step_count(), 2) << "2k mini-batches, k = 3: two optimizer steps";
  const auto got = values(net.parameters());
  const auto expected = values(big.parameters());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(near(got[i], expected[i], 1e-12))
        << "parameter " << i << ": each update must be the big batch's step, and the gradients must start from zero "
                                "again after each update";
  }
}

TEST(GradientAccumulation, GradientsAreZeroAfterAnUpdate) {
  const Tensor x(random_matrix(4, 3, 40)), y(random_matrix(4, 2, 41));
  Net net(9);
  SGD opt(net.parameters(), 0.1);
  GradientAccumulator acc(opt, 2);
  acc.backward(batch_loss(net, x, y, 0, 2));
  EXPECT_FALSE(acc.step());
  acc.backward(batch_loss(net, x, y, 2, 2));
  EXPECT_TRUE(acc.step());
  for (const Tensor& p : net.parameters())
    EXPECT_TRUE(near(p.grad(), Matrix::Zero(p.rows(), p.cols()), 0.0)) << "after the update the next group starts from 0";
}

TEST(GradientAccumulation, WithOneStepItIsPlainTraining) {
  const Tensor x(random_matrix(5, 3, 50)), y(random_matrix(5, 2, 51));
  Net plain(10), accumulated(10);
  SGD plain_opt(plain.parameters(), 0.3), acc_opt(accumulated.parameters(), 0.3);
  GradientAccumulator acc(acc_opt, 1);
  for (int step = 0; step < 3; ++step) {
    plain_opt.zero_grad();
    batch_loss(plain, x, y, 0, 5).backward();
    plain_opt.step();
    acc.backward(batch_loss(accumulated, x, y, 0, 5));
    EXPECT_TRUE(acc.step()) << "k = 1: every mini-batch is an update";
  }
  EXPECT_TRUE(near(accumulated.parameters()[2].value(), plain.parameters()[2].value(), 1e-15));
}

TEST(GradientAccumulation, BackwardScalesOnlyThisLoss) {
  // Two backward passes of the same loss with k = 4: the gradient is 2/4 of one pass's
  // (scaling the accumulated gradient instead of the loss would shrink the first one twice).
  const Tensor x(random_matrix(3, 3, 60)), y(random_matrix(3, 2, 61));
  const auto one = big_batch_gradient(11, x, y, 0, 3);
  Net net(11);
  SGD opt(net.parameters(), 0.1);
  GradientAccumulator acc(opt, 4);
  acc.backward(batch_loss(net, x, y, 0, 3));
  acc.backward(batch_loss(net, x, y, 0, 3));
  const auto got = gradients(net.parameters());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(near(got[i], 0.5 * one[i], 1e-13)) << "parameter " << i;
}
