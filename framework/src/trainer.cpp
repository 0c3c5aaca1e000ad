#include "gradlab/trainer.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace gradlab {

// ------------------------------------------------------------------ ProgressBar

namespace {
std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  const auto s = static_cast<long>(std::lround(seconds));
  std::ostringstream out;
  out << s / 60 << ':' << std::setw(2) << std::setfill('0') << s % 60;
  return out.str();
}
}  // namespace

void ProgressBar::batch(Index epoch, Index epochs, Index batch, Index batches, Scalar loss, Scalar accuracy,
                        double seconds_left) {
  if (!terminal_) return;
  constexpr int width = 24;
  const double done = batches > 0 ? static_cast<double>(batch + 1) / static_cast<double>(batches) : 1.0;
  const int filled = static_cast<int>(done * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  std::ostringstream line;
  line << "\repoch " << epoch << '/' << epochs << " [" << bar << "] batch " << batch + 1 << '/' << batches
       << std::fixed << std::setprecision(4) << "  loss " << loss << std::setprecision(1) << "  acc "
       << 100.0 * accuracy << "%  left " << duration_text(seconds_left) << "   ";
  out_ << line.str() << std::flush;
}

void ProgressBar::epoch_done(const std::string& summary) {
  if (terminal_) out_ << '\r' << std::string(100, ' ') << '\r';
  out_ << summary << '\n' << std::flush;
}

bool stdout_is_terminal() { return ::isatty(::fileno(stdout)) == 1; }

// ------------------------------------------------------------------ Trainer

void validate(const TrainerOptions& o) {
  check_option(o.epochs >= 1, "TrainerOptions", "epochs", ">= 1", static_cast<Scalar>(o.epochs));
  check_option(o.patience >= 0, "TrainerOptions", "patience", ">= 0 (0: no early stopping)",
               static_cast<Scalar>(o.patience));
  check_option(o.min_delta >= 0, "TrainerOptions", "min_delta", ">= 0", o.min_delta);
  validate(TrainStepOptions{o.accumulation_steps, o.max_grad_norm});
}

Trainer::Trainer(Module& model, Optimizer& opt, Scheduler* scheduler, DataLoader& train, Matrix val_x,
                 std::vector<Index> val_labels, LossFunction loss, const TrainerOptions& options)
    : model_(model),
      opt_(opt),
      scheduler_(scheduler),
      train_(train),
      val_x_(std::move(val_x)),
      val_labels_(std::move(val_labels)),
      loss_(std::move(loss)),
      options_(options) {
  validate(options_);
  GRADLAB_CHECK(static_cast<Index>(val_labels_.size()) == val_x_.rows() && val_x_.rows() > 0,
                "Trainer: " + std::to_string(val_labels_.size()) + " validation labels for x " + shape_string(val_x_));
}

std::vector<EpochLog> Trainer::fit() {
  using Clock = std::chrono::steady_clock;
  ProgressBar bar(std::cout, options_.progress && stdout_is_terminal());
  const TrainStepOptions step{options_.accumulation_steps, options_.max_grad_norm};
  std::vector<EpochLog> log;
  Index wait = 0;
  double seconds_per_epoch = 0;
  while (epoch_ < options_.epochs) {
    const auto start = Clock::now();
    const Index epoch = epoch_ + 1;
    const Index epochs_left = options_.epochs - epoch;
    const BatchCallback on_batch = [&](Index b, Index batches, Scalar loss, Scalar accuracy) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      const double this_epoch = elapsed / static_cast<double>(b + 1) * static_cast<double>(batches - b - 1);
      const double per_epoch = seconds_per_epoch > 0 ? seconds_per_epoch
                                                     : elapsed / static_cast<double>(b + 1) * static_cast<double>(batches);
      bar.batch(epoch, options_.epochs, b, batches, loss, accuracy,
                this_epoch + per_epoch * static_cast<double>(epochs_left));
    };
    const EpochStats s = train_epoch(model_, opt_, train_, loss_, step, scheduler_, on_batch);
    const Evaluation v = evaluate(model_, val_x_, val_labels_, loss_);
    epoch_ = epoch;

    EpochLog e;
    e.epoch = epoch;
    e.train_loss = s.loss;
    e.train_accuracy = s.accuracy;
    e.val_loss = v.loss;
    e.val_accuracy = v.accuracy;
    e.grad_norm = s.grad_norm;
    e.lr = s.lr;
    // Early stopping's rule (lab 07's, mode Max): an improvement beats the best by more than min_delta.
    e.best = v.accuracy > best_ + options_.min_delta;
    if (e.best) {
      best_ = v.accuracy;
      best_epoch_ = epoch;
      wait = 0;
      best_weights_.clear();
      for (const Tensor& p : model_.parameters()) best_weights_.push_back(p.value());
    } else {
      ++wait;
    }
    Checkpoint checkpoint = capture_checkpoint(epoch, model_, opt_, scheduler_, train_.generator());
    checkpoint.best_metric = best_;
    if (e.best && !options_.best_checkpoint.empty()) save_checkpoint(options_.best_checkpoint, checkpoint);
    if (!options_.last_checkpoint.empty()) save_checkpoint(options_.last_checkpoint, checkpoint);
    e.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    seconds_per_epoch = seconds_per_epoch > 0 ? 0.7 * seconds_per_epoch + 0.3 * e.seconds : e.seconds;
    log.push_back(e);

    if (options_.progress) {
      std::ostringstream line;
      line << "epoch " << epoch << '/' << options_.epochs << std::fixed << std::setprecision(4) << "  loss "
           << e.train_loss << "  val_loss " << e.val_loss << std::setprecision(2) << "  val_acc "
           << 100.0 * e.val_accuracy << "%" << std::scientific << std::setprecision(2) << "  lr " << e.lr
           << "  |g| " << e.grad_norm << std::fixed << std::setprecision(1) << "  " << e.seconds << " s"
           << (e.best ? "  *" : "");
      bar.epoch_done(line.str());
    }
    if (options_.patience > 0 && wait >= options_.patience) break;
  }
  if (options_.restore_best && !best_weights_.empty()) {
    const std::vector<Tensor> params = model_.parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      Tensor handle = params[i];
      handle.value() = best_weights_[i];
    }
  }
  return log;
}

void Trainer::resume(const std::string& path) {
  const Checkpoint checkpoint = load_checkpoint(path);
  restore_checkpoint(checkpoint, model_, opt_, scheduler_, train_.generator());
  epoch_ = checkpoint.epoch;
  best_ = checkpoint.best_metric;
  best_epoch_ = 0;
  best_weights_.clear();
}

}  // namespace gradlab
