/// \file
/// \brief The training pipeline: a data loader, classification metrics, one training
/// epoch in the right order, evaluation, checkpoints that resume bit for bit, and
/// hyperparameter search under a budget of trials.
///
/// A complete loop (the Trainer of gradlab/trainer.h wires the same pieces together):
/// \code
/// gradlab::Rng rng(0);
/// gradlab::DataLoader loader(train.x, train.labels, {.batch_size = 32}, rng.next());
/// gradlab::LossFunction loss = [](const gradlab::Tensor& s, const std::vector<gradlab::Index>& y) {
///   return gradlab::cross_entropy_loss(s, y);
/// };
/// gradlab::Adam opt(model.parameters(), {.lr = 1e-3});
/// gradlab::CosineAnnealingLR schedule(opt, {.t_max = 30});
/// for (int epoch = 1; epoch <= 30; ++epoch) {
///   gradlab::EpochStats s = gradlab::train_epoch(model, opt, loader, loss, {.max_grad_norm = 5}, &schedule);
///   gradlab::Evaluation v = gradlab::evaluate(model, validation.x, validation.labels, loss);
///   gradlab::save_checkpoint("last.ckpt", gradlab::capture_checkpoint(epoch, model, opt, &schedule, loader.generator()));
/// }
/// \endcode
/// The math is in the kernels of lab 11 (kernels/pipeline.h). DataLoader::start_epoch(),
/// train_epoch(), evaluate(), encode_checkpoint(), decode_checkpoint(),
/// save_checkpoint(), load_checkpoint(), capture_checkpoint() and restore_checkpoint()
/// are written in the lab as well (solutions/11_pipeline/).
/// \sa \ref notes_tuning
#pragma once

#include "gradlab/kernels/pipeline.h"
#include "gradlab/module.h"
#include "gradlab/optimizer.h"
#include "gradlab/random.h"
#include "gradlab/scheduler.h"
#include "gradlab/tensor.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace gradlab {

/// \name Data loader
/// @{

/// \brief Options of DataLoader (PyTorch's DataLoader arguments of the same names).
struct DataLoaderOptions {
  Index batch_size = 32;  ///< ≥ 1: examples per batch
  bool shuffle = true;    ///< a new random order every epoch (else the data's own order)
  bool drop_last = false; ///< leave out the last, smaller batch of each epoch
};
/// \brief Throws gradlab::Error naming the value when batch_size < 1.
void validate(const DataLoaderOptions& o);

/// \brief One batch: the examples' features and labels, and their row numbers in the data set.
struct Batch {
  Tensor x;                   ///< `[B, D]` (a constant: no gradient)
  std::vector<Index> labels;  ///< B class indices
  std::vector<Index> rows;    ///< the B rows of the data set they came from
};

/// \brief Serves a classification data set in batches, reshuffled every epoch from its
/// own seeded generator.
///
/// \code
/// gradlab::DataLoader loader(x, labels, {.batch_size = 32}, 42);
/// for (int epoch = 0; epoch < 10; ++epoch) {
///   loader.start_epoch();                                 // a new order
///   for (Index b = 0; b < loader.num_batches(); ++b) use(loader.batch(b));
/// }
/// \endcode
/// The epoch's order starts from 0, 1, …, n − 1 and, when shuffling, is permuted by
/// kernels::fisher_yates_shuffle with the loader's generator: the order of an epoch
/// depends only on the generator's state, which a checkpoint saves (generator()).
class DataLoader {
 public:
  /// \brief A loader over the rows of \p x `[N, D]` with \p labels (N of them), options
  /// checked, shuffling from a generator seeded with \p seed. The data are copied.
  DataLoader(Matrix x, std::vector<Index> labels, const DataLoaderOptions& options, std::uint64_t seed);

  /// \brief Starts a new epoch: the order 0, 1, …, n − 1, shuffled (every epoch, when
  /// options().shuffle) with fisher_yates_shuffle and generator(); then the epoch's
  /// batches. Written in lab 11 (solutions/11_pipeline/loader.cpp).
  void start_epoch();
  /// \brief The number of batches in an epoch (kernels::batch_ranges).
  Index num_batches() const { return static_cast<Index>(ranges_.size()); }
  /// \brief Batch \p b of the current epoch (0 ≤ b < num_batches(); start_epoch() first).
  Batch batch(Index b) const;
  /// \brief The current epoch's order: position → row of the data set.
  const std::vector<Index>& order() const { return order_; }
  /// \brief The current epoch's batches as [begin, end) ranges of positions in order().
  const std::vector<std::pair<Index, Index>>& ranges() const { return ranges_; }
  /// \brief How many times start_epoch() has been called.
  Index epochs_started() const { return epochs_; }
  /// \brief The number of examples.
  Index size() const { return x_.rows(); }
  /// \brief The shuffling generator (save its state() in a checkpoint; restore it to resume).
  Rng& generator() { return rng_; }
  /// \brief The options.
  const DataLoaderOptions& options() const { return options_; }

 private:
  Matrix x_;
  std::vector<Index> labels_;
  DataLoaderOptions options_;
  Rng rng_;
  std::vector<Index> order_;
  std::vector<std::pair<Index, Index>> ranges_;
  Index epochs_ = 0;
};
/// @}

/// \name Metrics
/// @{

/// \brief The confusion matrix and per-class metrics of predictions against the truth
/// (kernels::confusion_matrix, kernels::class_metrics); labels checked against \p classes.
struct ClassificationReport {
  Matrix confusion;              ///< `[K, K]`, row = true class, column = predicted class
  kernels::ClassMetrics metrics; ///< precision, recall, F1 per class; accuracy
};
/// \brief The report of \p predicted against \p truth over \p classes classes. Throws
/// gradlab::Error when the lengths differ or a label is outside {0, …, classes − 1}.
ClassificationReport classification_report(const std::vector<Index>& truth, const std::vector<Index>& predicted,
                                           Index classes);
/// @}

/// \name Training and evaluation
/// @{

/// \brief A loss on a batch: the scores `[B, K]` and the labels give a `[1, 1]` mean loss.
using LossFunction = std::function<Tensor(const Tensor& scores, const std::vector<Index>& labels)>;

/// \brief Options of train_epoch().
struct TrainStepOptions {
  Index accumulation_steps = 1; ///< k ≥ 1: one optimizer step per k batches, each loss divided by k
  Scalar max_grad_norm = 0;     ///< ≥ 0: clip the global gradient norm to this before each step (0: no clipping)
};
/// \brief Throws gradlab::Error naming the value when k < 1 or max_grad_norm < 0 or not finite.
void validate(const TrainStepOptions& o);

/// \brief What one training epoch measured.
struct EpochStats {
  Scalar loss = 0;          ///< mean of the batches' losses (before the division by k), weighted by batch size
  Scalar accuracy = 0;      ///< fraction of the epoch's examples predicted right (in training mode, as they were trained)
  Scalar grad_norm = 0;     ///< mean over the optimizer steps of the global gradient norm before clipping
  Index optimizer_steps = 0;  ///< how many times the optimizer stepped
  Scalar lr = 0;            ///< the learning rate the epoch was trained with (group 0)
};

/// \brief Called after every batch with (batch index, number of batches, batch loss, batch accuracy).
using BatchCallback = std::function<void(Index batch, Index batches, Scalar loss, Scalar accuracy)>;

/// \brief Trains \p model for one epoch of \p loader (written in lab 11,
/// solutions/11_pipeline/training.cpp).
///
/// The order of a step matters, with k = accumulation_steps:
/// 1. `model.train()`, `loader.start_epoch()`;
/// 2. for each batch: at the start of a group of k batches `opt.zero_grad()`; forward;
///    loss; `(loss / k).backward()` (the gradients of the group add up to the gradient
///    of the mean over its kB examples);
/// 3. after the k-th batch of a group, and after the last batch of the epoch: measure
///    the gradient norm, clip it to max_grad_norm (when > 0), THEN `opt.step()`;
/// 4. after the last batch, `scheduler->step()` once (the schedule counts epochs), when
///    \p scheduler is not null.
/// \p on_batch, when set, is called after every batch (a progress bar).
EpochStats train_epoch(Module& model, Optimizer& opt, DataLoader& loader, const LossFunction& loss,
                       const TrainStepOptions& options = {}, Scheduler* scheduler = nullptr,
                       const BatchCallback& on_batch = {});

/// \brief What evaluate() measured.
struct Evaluation {
  Scalar loss = 0;                  ///< the mean loss over every example
  Scalar accuracy = 0;              ///< the fraction predicted right
  std::vector<Index> predictions;   ///< the predicted class of each row (argmax)
};

/// \brief Evaluates \p model on \p x `[N, D]` with \p labels, in ONE pass over the
/// whole set, in evaluation mode (`model.eval()`: dropout off, BatchNorm's running
/// statistics) and under a NoGradGuard (no graph is recorded); the model is left in the
/// mode it was found in. Written in lab 11 (solutions/11_pipeline/training.cpp).
Evaluation evaluate(Module& model, const Matrix& x, const std::vector<Index>& labels, const LossFunction& loss);
/// @}

/// \name Checkpoints
/// @{

/// \brief Everything needed to resume training bit for bit — of a model whose only
/// state is its parameters.
///
/// \warning Limitation: a checkpoint holds the model's named_parameters() only, not the
/// state a module keeps beside them. A gradlab::Dropout module's own generator is not
/// saved, so a resumed run draws other masks than the straight run (bit-exact resume
/// holds only for models without dropout); a gradlab::BatchNorm1d's running mean and
/// variance are not saved either, so a model with batch norm restored from a checkpoint
/// evaluates with the running statistics it had before the restore (save them yourself
/// with BatchNorm1d::running_mean() / running_var() and put them back with
/// BatchNorm1d::set_running_stats()).
struct Checkpoint {
  std::int64_t epoch = 0;                          ///< epochs completed
  std::vector<std::pair<std::string, Matrix>> parameters;  ///< the model's named_parameters() values, in order
  std::vector<ParamState> optimizer_state;         ///< one per optimizer parameter, in params() order
  std::int64_t optimizer_steps = 0;                ///< Optimizer::step_count()
  std::vector<Scalar> learning_rates;              ///< every group's current rate
  std::int64_t scheduler_step = -1;                ///< Scheduler::last_step(), −1 without a scheduler
  std::string generator_state;                     ///< Rng::state() of the data loader's generator
  Scalar best_metric = 0;                          ///< free for the caller (the Trainer's best validation accuracy)
};

/// \brief The format version written by encode_checkpoint() and the only one read back.
inline constexpr std::uint32_t checkpoint_format_version = 1;
/// \brief The 8 bytes every checkpoint file starts with.
inline constexpr char checkpoint_magic[8] = {'G', 'L', 'C', 'K', 'P', 'T', '\r', '\n'};

/// \brief Appends little-endian binary values to a byte buffer (the checkpoint's payload).
class ByteWriter {
 public:
  void u32(std::uint32_t v);          ///< 4 bytes, little-endian
  void u64(std::uint64_t v);          ///< 8 bytes, little-endian
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }  ///< two's complement in 8 bytes
  void f64(Scalar v);                 ///< the 8 bytes of the double's bits (exact, NaN and ±inf kept)
  void bytes(std::span<const std::uint8_t> b);  ///< raw bytes
  void string(const std::string& s);  ///< u64 length, then the characters
  void matrix(const Matrix& m);       ///< u64 rows, u64 cols, then rows·cols f64, row-major
  /// \brief The bytes written so far.
  const std::vector<std::uint8_t>& data() const { return data_; }

 private:
  std::vector<std::uint8_t> data_;
};

/// \brief Reads what ByteWriter wrote; every read checks that the bytes are there and
/// throws gradlab::Error "<what>: truncated …" naming \p what otherwise.
class ByteReader {
 public:
  /// \brief Reads \p data (kept by reference: it must outlive the reader); \p what names it in errors.
  ByteReader(std::span<const std::uint8_t> data, std::string what) : data_(data), what_(std::move(what)) {}
  std::uint32_t u32();                       ///< see ByteWriter::u32
  std::uint64_t u64();                       ///< see ByteWriter::u64
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }  ///< see ByteWriter::i64
  Scalar f64();                              ///< see ByteWriter::f64
  std::span<const std::uint8_t> bytes(std::size_t n);  ///< the next n bytes
  std::string string();                      ///< see ByteWriter::string (length checked against what is left)
  Matrix matrix();                           ///< see ByteWriter::matrix (size checked against what is left)
  std::size_t remaining() const { return data_.size() - at_; }  ///< bytes not read yet
  /// \brief Throws gradlab::Error "<what>: <message>".
  [[noreturn]] void fail(const std::string& message) const;

 private:
  void need(std::size_t n, const char* reading) const;
  std::span<const std::uint8_t> data_;
  std::string what_;
  std::size_t at_ = 0;
};

/// \brief The bytes of a checkpoint file (written in lab 11, solutions/11_pipeline/checkpoint.cpp):
///
/// | bytes | content |
/// |---|---|
/// | 8 | checkpoint_magic |
/// | 4 | u32 format version (checkpoint_format_version) |
/// | 8 | u64 payload length L |
/// | L | the payload: epoch, parameters (count, then name + matrix each), optimizer state (count, then per parameter: step, buffer count, name + matrix each), optimizer steps, learning rates (count, f64 each), scheduler step, generator state, best metric |
/// | 8 | u64 kernels::fnv1a_64 of the payload |
std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& checkpoint);

/// \brief Parses the bytes of a checkpoint file; \p source names it in errors.
///
/// One clear gradlab::Error ("<source>: …") for each way a file can be wrong, checked
/// in this order: shorter than the header (truncated), wrong magic (not a checkpoint),
/// another format version (naming both), payload shorter or longer than announced
/// (truncated / trailing bytes), checksum mismatch (corrupt), a payload that does not
/// parse. Written in lab 11.
Checkpoint decode_checkpoint(std::span<const std::uint8_t> bytes, const std::string& source);

/// \brief Writes encode_checkpoint(\p checkpoint) to \p path ATOMICALLY: into a temporary
/// file beside it (`<path>.tmp`), flushed and closed and checked, then renamed over
/// \p path. A crash or an error midway never leaves a half-written \p path: the
/// previous checkpoint stays intact until the new one is complete. Throws gradlab::Error
/// naming the path on failure. Written in lab 11.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);

/// \brief Reads and decodes the checkpoint at \p path (errors name the path). Written in lab 11.
Checkpoint load_checkpoint(const std::string& path);

/// \brief A checkpoint of the current state: \p epoch, \p model's parameters, \p opt's
/// state, step count and rates, \p scheduler's step (−1 when null), \p generator's state.
/// Written in lab 11.
Checkpoint capture_checkpoint(std::int64_t epoch, const Module& model, const Optimizer& opt,
                              const Scheduler* scheduler, const Rng& generator);

/// \brief Puts \p checkpoint back into \p model, \p opt, \p scheduler and \p generator.
///
/// Checks EVERYTHING first — the parameter count, every name and shape, the optimizer's
/// parameter and group counts, a scheduler step iff there is a scheduler — and throws
/// one gradlab::Error naming the first mismatch BEFORE changing anything: a checkpoint
/// of another model leaves this one untouched. Then copies the values, loads the
/// optimizer state, sets the rates, the scheduler's step and the generator's state.
/// Written in lab 11.
void restore_checkpoint(const Checkpoint& checkpoint, Module& model, Optimizer& opt, Scheduler* scheduler,
                        Rng& generator);
/// @}

/// \name Hyperparameter search
/// @{

/// \brief The outcome of a search: each trial's hyperparameters and score, and the best.
struct SearchResult {
  Matrix trials;                 ///< `[T, D]`: the hyperparameters of each trial
  std::vector<Scalar> scores;    ///< T scores (validation accuracy: higher is better)
  std::vector<Scalar> best;      ///< kernels::best_so_far(scores)
  Index best_trial = -1;         ///< the row of the best score (−1 when every score is NaN)
};

/// \brief Scores every row of \p trials with \p objective (in order) and keeps the best.
SearchResult run_search(const Matrix& trials, const std::function<Scalar(const std::vector<Scalar>&)>& objective);
/// @}

}  // namespace gradlab
