// Lab 11: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 11 — the data loader: a new random order every epoch, then the batches.
//
// Stochastic gradient descent assumes each batch is a fair sample of the data. Data
// sets come sorted (by class, by date, by file); a fixed order would feed the network
// all the 0s, then all the 1s … Shuffling EVERY epoch also changes which examples meet
// in a batch, so the noise of the gradient does not repeat epoch after epoch.
//
// Conventions: Fisher–Yates from the last position down, j = rng.index(i + 1); every
// epoch starts again from the order 0, 1, …, n − 1 (so an epoch's order depends only
// on the generator's state: a checkpoint can save it). Read
// framework/include/gradlab/kernels/pipeline.h and gradlab/pipeline.h too.
#include "gradlab/kernels/pipeline.h"
#include "gradlab/pipeline.h"

#include <numeric>
#include <utility>

namespace gradlab::kernels {

// ============================================================== Fisher–Yates shuffle
// for i = n−1 down to 1:  j = uniform in {0, …, i}  (rng.index(i + 1));  swap(order_i, order_j)
// Position i receives one of the i + 1 elements not placed yet, each with probability
// 1/(i + 1): every permutation has probability 1/n!. (Drawing j from all n positions
// instead — the "naive" shuffle — favours some orders.)
void fisher_yates_shuffle(std::span<Index> order, Rng& rng) {
  // TODO(lab 11): implement fisher_yates_shuffle.
  throw gradlab::NotImplemented("lab 11: fisher_yates_shuffle");
}

// ============================================================== batch boundaries
// batch b = [b·B, min((b + 1)·B, n));  count = ⌊n / B⌋ with drop_last, ⌈n / B⌉ without.
// Without drop_last the last batch is the n mod B left-over examples: every example is
// seen once per epoch. With it, every batch has exactly B examples.
std::vector<std::pair<Index, Index>> batch_ranges(Index n, Index batch_size, bool drop_last) {
  // TODO(lab 11): implement batch_ranges.
  throw gradlab::NotImplemented("lab 11: batch_ranges");
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== one epoch's order
// order = 0, 1, …, n − 1; if shuffling: fisher_yates_shuffle(order, rng) — EVERY epoch;
// then the batches of this epoch; count the epoch.
void DataLoader::start_epoch() {
  // TODO(lab 11): implement DataLoader::start_epoch.
  throw gradlab::NotImplemented("lab 11: DataLoader::start_epoch");
}

}  // namespace gradlab
