// Lab 11 tests: resuming from a checkpoint is bit-exact.
//
// The claim checked: k epochs, a checkpoint saved to a file, fresh objects (another
// initialization, another loader seed) restored from it, and m more epochs give weights
// bit-identical to k + m epochs straight — with shuffling, Adam's moments, a cosine
// schedule, accumulation and clipping all in play. Also through the Trainer.
#include "tests/helpers.h"

#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"
#include "gradlab/trainer.h"

#include <unistd.h>

#include <filesystem>

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;
namespace fs = std::filesystem;

namespace {

// Everything one run owns.
struct TrainingRun {
  TrainingRun(std::uint64_t init_seed, std::uint64_t loader_seed, const Data& d)
      : net(mlp(init_seed, 4, 6, 3)),
        opt(net->parameters(), {.lr = 0.02}),
        schedule(opt, {.t_max = 6, .eta_min = 1e-4}),
        loader(d.x, d.labels, {.batch_size = 5}, loader_seed) {}
  void epochs(int n) {
    for (int e = 0; e < n; ++e)
      train_epoch(*net, opt, loader, cross_entropy(), {.accumulation_steps = 2, .max_grad_norm = 0.5}, &schedule);
  }
  std::shared_ptr<Sequential> net;
  Adam opt;
  CosineAnnealingLR schedule;
  DataLoader loader;
};

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("gradlab_lab11_" + std::to_string(::getpid()) + "_" + name);
}

}  // namespace

TEST(Resume, KEpochsSaveResumeMEqualsKPlusMStraight) {
  const Data d = data(23, 4, 3, 1);
  TrainingRun straight(1, 42, d);
  straight.epochs(5);

  TrainingRun first(1, 42, d);
  first.epochs(2);
  const fs::path path = temp_file("resume.ckpt");
  save_checkpoint(path.string(), capture_checkpoint(2, *first.net, first.opt, &first.schedule, first.loader.generator()));

  TrainingRun resumed(77, 5, d);  // another initialization and another loader seed: the checkpoint must override both
  const Checkpoint c = load_checkpoint(path.string());
  fs::remove(path);
  restore_checkpoint(c, *resumed.net, resumed.opt, &resumed.schedule, resumed.loader.generator());
  EXPECT_EQ(c.epoch, 2);
  resumed.epochs(3);

  EXPECT_TRUE(bit_identical(values(*resumed.net), values(*straight.net)))
      << "2 epochs + save + resume 3 must give the weights of 5 epochs straight, bit for bit: save the weights, "
         "the optimizer's state and step count, the rates, the scheduler's step and the loader's generator";
  EXPECT_EQ(resumed.opt.step_count(), straight.opt.step_count());
  EXPECT_EQ(resumed.schedule.last_step(), straight.schedule.last_step());
  EXPECT_EQ(resumed.loader.generator().state(), straight.loader.generator().state());
}

TEST(Resume, ThroughTheTrainer) {
  const Data d = data(23, 4, 3, 2);
  const Data v = data(9, 4, 3, 3);
  const fs::path path = temp_file("trainer_last.ckpt");
  const TrainerOptions options{.epochs = 4, .max_grad_norm = 1.0, .last_checkpoint = path.string(), .restore_best = false};

  TrainingRun straight(1, 42, d);
  Trainer(*straight.net, straight.opt, &straight.schedule, straight.loader, v.x, v.labels, cross_entropy(), options).fit();

  TrainingRun first(1, 42, d);
  TrainerOptions two = options;
  two.epochs = 2;
  Trainer(*first.net, first.opt, &first.schedule, first.loader, v.x, v.labels, cross_entropy(), two).fit();

  TrainingRun resumed(5, 6, d);
  Trainer trainer(*resumed.net, resumed.opt, &resumed.schedule, resumed.loader, v.x, v.labels, cross_entropy(), options);
  trainer.resume(path.string());
  EXPECT_EQ(trainer.epoch(), 2);
  const std::vector<EpochLog> log = trainer.fit();
  fs::remove(path);
  ASSERT_EQ(log.size(), 2u) << "epochs 3 and 4";
  EXPECT_EQ(log[0].epoch, 3);
  EXPECT_TRUE(bit_identical(values(*resumed.net), values(*straight.net)));
}
