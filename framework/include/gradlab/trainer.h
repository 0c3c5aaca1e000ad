/// \file
/// \brief The Trainer: the whole training loop of a classifier — epochs of train_epoch(),
/// evaluation, the learning-rate schedule, gradient clipping, early stopping, a
/// best-model checkpoint and a resumable last checkpoint, a log of every epoch, and a
/// progress bar.
///
/// \code
/// gradlab::Adam opt(model.parameters(), {.lr = 1e-3});
/// gradlab::CosineAnnealingLR schedule(opt, {.t_max = 40});
/// gradlab::DataLoader loader(train.x, train.labels, {.batch_size = 32}, 7);
/// gradlab::Trainer trainer(model, opt, &schedule, loader, validation.x, validation.labels, loss,
///                          {.epochs = 40, .max_grad_norm = 5, .patience = 10, .best_checkpoint = "best.ckpt"});
/// for (const gradlab::EpochLog& e : trainer.fit()) std::cout << e.epoch << ' ' << e.val_accuracy << '\n';
/// \endcode
/// Every piece it calls is a lab's: train_epoch(), evaluate() and the checkpoints are lab
/// 11's, the schedules lab 06's, clipping and early stopping lab 07's.
/// \sa \ref notes_tuning
#pragma once

#include "gradlab/pipeline.h"
#include "gradlab/regularization.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace gradlab {

/// \brief A progress line on a terminal: epoch, batch, loss, accuracy and the time left.
///
/// On a terminal the line is redrawn in place (carriage return) after every batch; when
/// the output is not a terminal (a file, a pipe, the grader) nothing is drawn per batch
/// and each epoch ends with one plain line, so logs stay readable.
class ProgressBar {
 public:
  /// \brief Draws on \p out; \p terminal says whether it is a terminal (see stdout_is_terminal()).
  ProgressBar(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  /// \brief After batch \p batch (0-based) of \p batches in epoch \p epoch of \p epochs:
  /// redraws the line (terminal only). \p seconds_left is the estimated time to the end.
  void batch(Index epoch, Index epochs, Index batch, Index batches, Scalar loss, Scalar accuracy, double seconds_left);
  /// \brief Ends an epoch with its summary (one plain line either way).
  void epoch_done(const std::string& summary);
  /// \brief Whether the bar redraws in place.
  bool terminal() const { return terminal_; }

 private:
  std::ostream& out_;
  bool terminal_;
};

/// \brief Whether standard output is a terminal (isatty).
bool stdout_is_terminal();

/// \brief Options of Trainer.
struct TrainerOptions {
  Index epochs = 10;               ///< ≥ 1: the last epoch to train (counting the resumed ones)
  Index accumulation_steps = 1;    ///< ≥ 1: batches per optimizer step
  Scalar max_grad_norm = 0;        ///< ≥ 0: clip to this global norm before each step (0: off)
  Index patience = 0;              ///< ≥ 0: stop after this many epochs without a better validation accuracy (0: never)
  Scalar min_delta = 0;            ///< ≥ 0: the improvement early stopping requires
  std::string best_checkpoint{};   ///< where to save the best epoch's checkpoint ("" : not saved)
  std::string last_checkpoint{};   ///< where to save a checkpoint after every epoch, to resume from ("" : not saved)
  bool restore_best = true;        ///< at the end, put the best epoch's weights back in the model
  bool progress = false;           ///< draw the progress bar on standard output
};
/// \brief Throws gradlab::Error naming the first invalid option and its range.
void validate(const TrainerOptions& o);

/// \brief One epoch of the Trainer's log.
struct EpochLog {
  Index epoch = 0;             ///< 1 = the first
  Scalar train_loss = 0;       ///< mean training loss (training mode)
  Scalar train_accuracy = 0;   ///< training accuracy (training mode, as trained)
  Scalar val_loss = 0;         ///< validation loss (evaluation mode)
  Scalar val_accuracy = 0;     ///< validation accuracy (evaluation mode)
  Scalar grad_norm = 0;        ///< mean global gradient norm before clipping
  Scalar lr = 0;               ///< the learning rate this epoch trained with
  double seconds = 0;          ///< wall-clock time of the epoch
  bool best = false;           ///< the best validation accuracy so far
};

/// \brief Trains a classifier: train_epoch() and evaluate() every epoch, with the
/// schedule, clipping, early stopping (on the validation accuracy) and checkpoints.
///
/// The model, optimizer, scheduler and loader are borrowed: they must outlive the Trainer.
class Trainer {
 public:
  /// \brief A trainer of \p model with \p opt (and \p scheduler, stepped once per epoch,
  /// or null) on \p train, validated on \p val_x `[N, D]` / \p val_labels; options checked.
  Trainer(Module& model, Optimizer& opt, Scheduler* scheduler, DataLoader& train, Matrix val_x,
          std::vector<Index> val_labels, LossFunction loss, const TrainerOptions& options);

  /// \brief Trains from the current epoch to options().epochs, or until early stopping;
  /// returns the log of the epochs it trained. With restore_best, the model ends with the
  /// best epoch's weights.
  std::vector<EpochLog> fit();
  /// \brief Continues from the checkpoint at \p path (written by this Trainer's
  /// last_checkpoint): weights, optimizer, schedule, loader generator, epoch and the
  /// best accuracy. A bad file throws, and changes nothing. Bit for bit the same run as
  /// without the interruption only for models without dropout or batch norm: their
  /// generators and running statistics are not in a checkpoint (see Checkpoint).
  void resume(const std::string& path);

  /// \brief Epochs completed (resumed ones included).
  Index epoch() const { return epoch_; }
  /// \brief The best validation accuracy so far (−1 before the first epoch).
  Scalar best_accuracy() const { return best_; }
  /// \brief The epoch of the best validation accuracy (0 before the first epoch).
  Index best_epoch() const { return best_epoch_; }
  /// \brief The options.
  const TrainerOptions& options() const { return options_; }

 private:
  Module& model_;
  Optimizer& opt_;
  Scheduler* scheduler_;
  DataLoader& train_;
  Matrix val_x_;
  std::vector<Index> val_labels_;
  LossFunction loss_;
  TrainerOptions options_;
  Index epoch_ = 0;
  Scalar best_ = -1;
  Index best_epoch_ = 0;
  std::vector<Matrix> best_weights_;
};

}  // namespace gradlab
