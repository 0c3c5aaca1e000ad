// Lab 11 tests: the data loader (Fisher–Yates, batch ranges, DataLoader::start_epoch).
//
// The claims checked: the shuffle is Fisher–Yates with exactly the documented draws (so
// the same seed gives the same order everywhere), every epoch is a permutation that
// covers every example once, the order changes from epoch to epoch, the last partial
// batch is kept unless drop_last, and the order depends only on the generator's state.
#include "tests/helpers.h"

#include <algorithm>
#include <map>
#include <set>

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;

namespace {

// An independent Fisher–Yates with the documented draws: i = n−1 … 1, j = rng.index(i + 1).
std::vector<Index> expected_shuffle(std::vector<Index> order, Rng& rng) {
  for (Index i = static_cast<Index>(order.size()) - 1; i >= 1; --i) {
    const Index j = rng.index(i + 1);
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

std::vector<Index> iota(Index n) {
  std::vector<Index> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), Index{0});
  return v;
}

bool is_permutation_of_range(std::vector<Index> v) {
  std::sort(v.begin(), v.end());
  return v == iota(static_cast<Index>(v.size()));
}

}  // namespace

TEST(FisherYates, MatchesTheDocumentedDraws) {
  std::vector<Index> order = iota(10);
  Rng rng(5);
  kernels::fisher_yates_shuffle(order, rng);
  Rng again(5);
  EXPECT_EQ(order, expected_shuffle(iota(10), again))
      << "for i = n−1 down to 1: j = rng.index(i + 1), swap(order[i], order[j])";
  EXPECT_NE(order, iota(10)) << "the order did not change";
  // Exactly n − 1 draws: both generators are at the same point now.
  EXPECT_EQ(rng.next(), again.next()) << "the shuffle made a different number of draws than n − 1";
}

TEST(FisherYates, IsAPermutationAndKeepsTheElements) {
  std::vector<Index> order = {7, 3, 9, 1, 4, 4};
  Rng rng(11);
  kernels::fisher_yates_shuffle(order, rng);
  std::vector<Index> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<Index>{1, 3, 4, 4, 7, 9}));
  EXPECT_NE(order, (std::vector<Index>{7, 3, 9, 1, 4, 4})) << "the shuffle left every element in place";
}

TEST(FisherYates, NoDrawForZeroOrOneElement) {
  Rng rng(3), fresh(3);
  std::vector<Index> none;
  kernels::fisher_yates_shuffle(none, rng);
  std::vector<Index> one = {42};
  kernels::fisher_yates_shuffle(one, rng);
  EXPECT_EQ(one, (std::vector<Index>{42}));
  EXPECT_EQ(rng.next(), fresh.next()) << "nothing to shuffle, but the generator moved";
  // Two elements need one draw (j for position 1), so the generator moves.
  Rng two_rng(3);
  std::vector<Index> two = {5, 6};
  kernels::fisher_yates_shuffle(two, two_rng);
  EXPECT_NE(two_rng.state(), Rng(3).state()) << "two elements to shuffle, but no number was drawn";
}

TEST(FisherYates, EveryOrderOfThreeAboutEquallyLikely) {
  // 6000 shuffles of {0, 1, 2}: each of the 6 orders 1000 times on average, standard
  // deviation √(6000·(1/6)(5/6)) ≈ 29; ±150 is more than 5 of them. The "naive" shuffle
  // (j from all n positions) gives orders with 4/27 and 5/27 ≈ 889 and 1111: caught.
  std::map<std::vector<Index>, int> count;
  Rng rng(2024);
  for (int t = 0; t < 6000; ++t) {
    std::vector<Index> order = iota(3);
    kernels::fisher_yates_shuffle(order, rng);
    ++count[order];
  }
  EXPECT_EQ(count.size(), 6u) << "some orders never appear";
  for (const auto& [order, c] : count) EXPECT_NEAR(c, 1000, 150) << "order " << order[0] << order[1] << order[2];
}

TEST(BatchRanges, KeepsTheLastPartialBatchWithoutDropLast) {
  const auto r = kernels::batch_ranges(10, 4, false);
  ASSERT_EQ(r.size(), 3u) << "10 examples in batches of 4: ⌈10/4⌉ = 3 batches, the last of 2";
  EXPECT_EQ(r[0], (std::pair<Index, Index>{0, 4}));
  EXPECT_EQ(r[1], (std::pair<Index, Index>{4, 8}));
  EXPECT_EQ(r[2], (std::pair<Index, Index>{8, 10}));
}

TEST(BatchRanges, DropsOnlyTheLastPartialBatchWithDropLast) {
  const auto r = kernels::batch_ranges(10, 4, true);
  ASSERT_EQ(r.size(), 2u) << "⌊10/4⌋ = 2 full batches";
  EXPECT_EQ(r[1], (std::pair<Index, Index>{4, 8}));
  EXPECT_EQ(kernels::batch_ranges(12, 4, true).size(), 3u) << "a multiple of the batch size loses nothing";
  EXPECT_EQ(kernels::batch_ranges(3, 4, true).size(), 0u);
}

TEST(BatchRanges, ExactMultipleAndSmallCases) {
  EXPECT_EQ(kernels::batch_ranges(12, 4, false).size(), 3u);
  EXPECT_EQ(kernels::batch_ranges(0, 4, false).size(), 0u);
  const auto one = kernels::batch_ranges(3, 8, false);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], (std::pair<Index, Index>{0, 3}));
  EXPECT_EQ(kernels::batch_ranges(5, 1, false).size(), 5u);
}

TEST(DataLoader, EveryExampleOncePerEpoch) {
  const Data d = data(23, 3, 4, 1);
  DataLoader loader(d.x, d.labels, {.batch_size = 5}, 9);
  for (int epoch = 0; epoch < 3; ++epoch) {
    loader.start_epoch();
    ASSERT_EQ(loader.num_batches(), 5) << "23 examples in batches of 5 without drop_last: 5 batches";
    std::vector<Index> seen;
    for (Index b = 0; b < loader.num_batches(); ++b) {
      const Batch batch = loader.batch(b);
      for (std::size_t i = 0; i < batch.rows.size(); ++i) {
        seen.push_back(batch.rows[i]);
        const Index row = batch.rows[i];
        EXPECT_EQ(batch.labels[i], d.labels[static_cast<std::size_t>(row)]);
        EXPECT_EQ(batch.x.value().row(static_cast<Index>(i)), d.x.row(row));
      }
    }
    EXPECT_EQ(seen.size(), 23u) << "epoch " << epoch << ": the last partial batch is part of the epoch";
    EXPECT_TRUE(is_permutation_of_range(seen)) << "epoch " << epoch << " is not a permutation of the examples";
  }
}

TEST(DataLoader, ReshufflesEveryEpochWithTheSeed) {
  const Data d = data(30, 2, 3, 2);
  DataLoader loader(d.x, d.labels, {.batch_size = 8}, 77);
  Rng reference(77);
  std::set<std::vector<Index>> orders;
  for (int epoch = 0; epoch < 4; ++epoch) {
    loader.start_epoch();
    // Every epoch: the identity order, shuffled by the loader's own generator.
    EXPECT_EQ(loader.order(), expected_shuffle(iota(30), reference))
        << "epoch " << epoch << ": each epoch starts from 0, 1, …, n − 1 and is shuffled with fisher_yates_shuffle";
    orders.insert(loader.order());
  }
  EXPECT_EQ(orders.size(), 4u) << "the order must change every epoch (shuffled once only?)";
  EXPECT_EQ(loader.epochs_started(), 4);
}

TEST(DataLoader, SameSeedSameOrdersDifferentSeedDifferentOrders) {
  const Data d = data(20, 2, 2, 3);
  DataLoader a(d.x, d.labels, {.batch_size = 4}, 5), b(d.x, d.labels, {.batch_size = 4}, 5),
      c(d.x, d.labels, {.batch_size = 4}, 6);
  for (int epoch = 0; epoch < 3; ++epoch) {
    a.start_epoch();
    b.start_epoch();
    c.start_epoch();
    EXPECT_EQ(a.order(), b.order());
    EXPECT_NE(a.order(), c.order());
  }
}

TEST(DataLoader, WithoutShuffleKeepsTheDataOrder) {
  const Data d = data(7, 2, 2, 4);
  DataLoader loader(d.x, d.labels, {.batch_size = 3, .shuffle = false}, 1);
  Rng fresh(1);
  for (int epoch = 0; epoch < 2; ++epoch) {
    loader.start_epoch();
    EXPECT_EQ(loader.order(), iota(7));
    ASSERT_EQ(loader.num_batches(), 3);
    EXPECT_EQ(loader.batch(2).rows, (std::vector<Index>{6})) << "the last partial batch holds the left-over example";
  }
  EXPECT_EQ(loader.generator().next(), fresh.next()) << "no shuffle, but the generator was used";
}

TEST(DataLoader, DropLastLeavesOutTheLastPartialBatch) {
  const Data d = data(23, 2, 2, 5);
  DataLoader loader(d.x, d.labels, {.batch_size = 5, .drop_last = true}, 3);
  loader.start_epoch();
  ASSERT_EQ(loader.num_batches(), 4);
  for (Index b = 0; b < 4; ++b) EXPECT_EQ(loader.batch(b).labels.size(), 5u);
}

TEST(DataLoader, OrderDependsOnlyOnTheGeneratorState) {
  const Data d = data(16, 2, 2, 6);
  DataLoader a(d.x, d.labels, {.batch_size = 4}, 10);
  a.start_epoch();
  a.start_epoch();
  const std::string state = a.generator().state();
  a.start_epoch();
  // A new loader, given a's generator state after two epochs, gives a's third epoch.
  DataLoader b(d.x, d.labels, {.batch_size = 4}, 999);
  b.generator().set_state(state);
  b.start_epoch();
  EXPECT_EQ(a.order(), b.order()) << "the epoch's order must come from the identity and the generator alone";
  std::vector<Index> identity(16);
  for (Index i = 0; i < 16; ++i) identity[static_cast<std::size_t>(i)] = i;
  ASSERT_EQ(a.order().size(), 16u) << "one position per example";
  EXPECT_NE(a.order(), identity) << "the epoch was not shuffled";
}

TEST(DataLoader, RejectsBadOptions) {
  const Data d = data(4, 2, 2, 7);
  EXPECT_TRUE(throws_error_mentioning([&] { DataLoader(d.x, d.labels, {.batch_size = 0}, 1); }, {"batch_size", ">= 1"}));
  EXPECT_TRUE(throws_error_mentioning([&] { DataLoader(d.x, {0, 1}, {.batch_size = 2}, 1); }, {"2 labels"}));
  // Reaches the lab's code: a batch before start_epoch() is an error naming it.
  DataLoader loader(d.x, d.labels, {.batch_size = 2}, 1);
  loader.start_epoch();
  EXPECT_TRUE(throws_error_mentioning([&] { (void)loader.batch(2); }, {"batch 2"}));
}
