/// \file
/// \brief Lab 11 kernels: the pieces of a training pipeline that are plain math — the
/// Fisher–Yates shuffle and the batch boundaries of a data loader, the confusion matrix
/// and the per-class metrics, the checkpoint checksum, and the trials of a grid and a
/// random hyperparameter search.
///
/// Conventions for every kernel here:
/// - randomness only from the generator passed in, in the documented order of draws, so
///   that the same seed gives the same shuffle and the same trials everywhere;
/// - class labels are indices in {0, …, K − 1}; a confusion matrix is `[K, K]` with
///   the TRUE class as the row and the PREDICTED class as the column (scikit-learn's);
/// - the arguments arrive validated by the glue (gradlab/pipeline.h): the kernels check nothing.
///
/// The data loader, train_epoch(), evaluate(), the checkpoint's encoding, atomic saving
/// and loading, and the two searches are in gradlab/pipeline.h; the parts marked
/// "written in lab 11" there are the lab too. The reference lives in
/// `solutions/11_pipeline/`; your copy in `labs/11_pipeline/`.
/// \sa \ref notes_tuning
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace gradlab::kernels {

/// \name Data loader (loader.cpp)
/// @{

/// \brief Shuffles \p order in place with the Fisher–Yates (Knuth) shuffle: every one of
/// the n! orders equally likely.
/// \f[ \text{for } i = n-1, n-2, \dots, 1:\quad j = \texttt{rng.index}(i + 1) \in \{0,\dots,i\},
///     \quad \text{swap}(\text{order}_i, \text{order}_j) \f]
/// Exactly n − 1 draws, from the last position down (n ≤ 1: no draw).
void fisher_yates_shuffle(std::span<Index> order, Rng& rng);

/// \brief The batches of an epoch over \p n examples as half-open ranges [begin, end) of
/// positions in the epoch's order.
/// \f[ \text{batch } b = [\,b B,\ \min((b+1)B,\ n)\,), \qquad
///     \text{count} = \begin{cases} \lfloor n / B \rfloor & \text{drop\_last} \\ \lceil n / B \rceil & \text{otherwise} \end{cases} \f]
/// With drop_last off the last batch holds the n mod B left-over examples (when n is not
/// a multiple of B); with it on they are left out of this epoch. n ≥ 0, B ≥ 1.
std::vector<std::pair<Index, Index>> batch_ranges(Index n, Index batch_size, bool drop_last);
/// @}

/// \name Metrics (metrics.cpp)
/// @{

/// \brief The confusion matrix \f$ C_{ij} = \#\{k : \text{truth}_k = i,\ \text{predicted}_k = j\} \f$.
/// Row = true class, column = predicted class; the diagonal counts the right answers.
/// \p truth and \p predicted have the same length, every entry in {0, …, classes − 1}.
/// Returns `[classes, classes]`.
Matrix confusion_matrix(std::span<const Index> truth, std::span<const Index> predicted, Index classes);

/// \brief Per-class precision, recall and F1 and the accuracy of a confusion matrix.
struct ClassMetrics {
  std::vector<Scalar> precision;  ///< \f$ P_k = C_{kk} / \sum_i C_{ik} \f$ (column k: everything predicted k)
  std::vector<Scalar> recall;     ///< \f$ R_k = C_{kk} / \sum_j C_{kj} \f$ (row k: everything truly k)
  std::vector<Scalar> f1;         ///< \f$ F_k = 2 P_k R_k / (P_k + R_k) \f$
  Scalar accuracy = 0;            ///< \f$ \sum_k C_{kk} / \sum_{ij} C_{ij} \f$
};

/// \brief Precision, recall and F1 of every class and the accuracy, from a confusion
/// matrix \p cm `[K, K]` (row = truth, column = prediction).
///
/// A ratio whose denominator is 0 is 0 (scikit-learn's `zero_division=0`): precision of
/// a class never predicted, recall of a class absent from the truth, F1 when P + R = 0,
/// accuracy of an empty matrix.
ClassMetrics class_metrics(ConstMatrixRef cm);
/// @}

/// \name Checkpoint checksum (checkpoint.cpp)
/// @{

/// \brief The 64-bit FNV-1a hash of \p bytes (the checkpoint's checksum).
/// \f[ h_0 = \texttt{0xcbf29ce484222325}, \qquad h \leftarrow (h \oplus b) \cdot \texttt{0x100000001b3} \bmod 2^{64}
///     \text{ for each byte } b \f]
/// XOR first, then multiply (FNV-1, the other order, is a different hash). Any change
/// of one byte changes the hash.
std::uint64_t fnv1a_64(std::span<const std::uint8_t> bytes);
/// @}

/// \name Hyperparameter search (search.cpp)
/// @{

/// \brief One hyperparameter to search: a range and whether to search it on a log scale.
struct SearchAxis {
  Scalar low = 0;         ///< smallest value (> 0 on a log scale)
  Scalar high = 1;        ///< largest value, > low
  bool log_scale = false; ///< spread the values evenly in log(value) (learning rates, weight decays)
};

/// \brief The trials of a grid search with at most \p budget trials over D = axes.size() axes.
///
/// m = the largest whole number with m^D ≤ budget points per axis; on axis d the values
/// are evenly spaced from low to high inclusive (in log(value) when log_scale):
/// \f[ v_{d,i} = \text{low}_d + \frac{i}{m-1}(\text{high}_d - \text{low}_d), \quad i = 0,\dots,m-1
///     \qquad (m = 1:\ v = \text{low}_d) \f]
/// The trials are the m^D combinations in row-major order (the last axis changes
/// fastest). Returns `[m^D, D]`, one trial per row. budget ≥ 1, D ≥ 1.
Matrix grid_search_trials(std::span<const SearchAxis> axes, Index budget);

/// \brief The trials of a random search: \p budget trials, each value drawn uniformly
/// over its range (in log(value) when log_scale).
/// \f[ u = \texttt{rng.uniform()}, \qquad v = \text{low} + u(\text{high} - \text{low})
///     \quad\text{or}\quad v = \exp\!\big(\log\text{low} + u(\log\text{high} - \log\text{low})\big) \f]
/// Drawn trial by trial, axis by axis (row-major). Returns `[budget, D]`.
Matrix random_search_trials(std::span<const SearchAxis> axes, Index budget, Rng& rng);

/// \brief The running maximum of \p scores: \f$ b_t = \max_{s \le t} \text{score}_s \f$ (the best
/// validation accuracy after t + 1 trials). A NaN score is no improvement; NaN before the
/// first finite score.
std::vector<Scalar> best_so_far(std::span<const Scalar> scores);
/// @}

}  // namespace gradlab::kernels
