// Lab 11 tests: checkpoints (FNV-1a, encoding, atomic saving, loading, capture, restore).
//
// The claims checked: the checksum against published FNV-1a values; a round trip is
// bit-exact (NaN, −0, infinities included); the file layout; saving replaces the file
// atomically (a hard link to the old file still reads the old checkpoint; a failed save
// leaves the previous file as it was); a corrupt, truncated, foreign or other-version
// file is one clear error naming the file; restoring a checkpoint of another model is an
// error that changes nothing.
#include "tests/helpers.h"

#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::vector<std::uint8_t>& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// A fresh folder per test, removed at the end.
struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() / ("gradlab_lab11_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

// A checkpoint with awkward values everywhere.
Checkpoint sample() {
  Checkpoint c;
  c.epoch = 7;
  Matrix w = random_matrix(3, 2, 1);
  w(0, 0) = std::numeric_limits<Scalar>::quiet_NaN();
  w(0, 1) = -0.0;
  w(1, 0) = std::numeric_limits<Scalar>::infinity();
  w(1, 1) = std::numeric_limits<Scalar>::denorm_min();
  c.parameters = {{"0.weight", w}, {"0.bias", random_matrix(1, 2, 2)}, {"empty", Matrix(0, 3)}};
  ParamState s;
  s.step = 12;
  s.buffers = {{"exp_avg", random_matrix(3, 2, 3)}, {"exp_avg_sq", random_matrix(3, 2, 4)}};
  c.optimizer_state = {s, ParamState{}, ParamState{}};
  c.optimizer_steps = 12;
  c.learning_rates = {1e-3, 0.1 / 3};
  c.scheduler_step = 5;
  c.generator_state = Rng(9).state();
  c.best_metric = 0.975;
  return c;
}

bool same_bits(Scalar a, Scalar b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_bits(const Matrix& a, const Matrix& b) { return bit_identical({a}, {b}); }

void expect_equal(const Checkpoint& a, const Checkpoint& b) {
  EXPECT_EQ(a.epoch, b.epoch);
  ASSERT_EQ(a.parameters.size(), b.parameters.size());
  for (std::size_t i = 0; i < a.parameters.size(); ++i) {
    EXPECT_EQ(a.parameters[i].first, b.parameters[i].first);
    EXPECT_TRUE(same_bits(a.parameters[i].second, b.parameters[i].second)) << "parameter " << a.parameters[i].first;
  }
  ASSERT_EQ(a.optimizer_state.size(), b.optimizer_state.size());
  for (std::size_t i = 0; i < a.optimizer_state.size(); ++i) {
    EXPECT_EQ(a.optimizer_state[i].step, b.optimizer_state[i].step);
    ASSERT_EQ(a.optimizer_state[i].buffers.size(), b.optimizer_state[i].buffers.size());
    for (const auto& [name, m] : a.optimizer_state[i].buffers) {
      ASSERT_TRUE(b.optimizer_state[i].buffers.contains(name)) << name;
      EXPECT_TRUE(same_bits(m, b.optimizer_state[i].buffers.at(name))) << name;
    }
  }
  EXPECT_EQ(a.optimizer_steps, b.optimizer_steps);
  ASSERT_EQ(a.learning_rates.size(), b.learning_rates.size());
  for (std::size_t i = 0; i < a.learning_rates.size(); ++i) EXPECT_TRUE(same_bits(a.learning_rates[i], b.learning_rates[i]));
  EXPECT_EQ(a.scheduler_step, b.scheduler_step);
  EXPECT_EQ(a.generator_state, b.generator_state);
  EXPECT_TRUE(same_bits(a.best_metric, b.best_metric));
}

}  // namespace

TEST(Fnv1a, PublishedValues) {
  EXPECT_EQ(kernels::fnv1a_64(bytes_of("")), 0xcbf29ce484222325ULL) << "the offset basis, for no bytes";
  EXPECT_EQ(kernels::fnv1a_64(bytes_of("a")), 0xaf63dc4c8601ec8cULL) << "XOR the byte first, then multiply (FNV-1a)";
  EXPECT_EQ(kernels::fnv1a_64(bytes_of("foobar")), 0x85944171f73967e8ULL);
}

TEST(Fnv1a, EveryByteMatters) {
  std::vector<std::uint8_t> b = bytes_of("checkpoint payload");
  const std::uint64_t h = kernels::fnv1a_64(b);
  for (std::size_t i = 0; i < b.size(); ++i) {
    b[i] ^= 0x01;
    EXPECT_NE(kernels::fnv1a_64(b), h) << "byte " << i;
    b[i] ^= 0x01;
  }
}

TEST(CheckpointEncoding, RoundTripIsBitExact) {
  const Checkpoint c = sample();
  expect_equal(decode_checkpoint(encode_checkpoint(c), "memory"), c);
}

TEST(CheckpointEncoding, HeaderLayoutAndChecksum) {
  const std::vector<std::uint8_t> b = encode_checkpoint(sample());
  ASSERT_GE(b.size(), 28u);
  EXPECT_TRUE(std::equal(b.begin(), b.begin() + 8, reinterpret_cast<const std::uint8_t*>(checkpoint_magic)))
      << "the file starts with checkpoint_magic";
  ByteReader r(b, "test");
  (void)r.bytes(8);
  EXPECT_EQ(r.u32(), checkpoint_format_version);
  const std::uint64_t length = r.u64();
  ASSERT_EQ(b.size(), 20 + length + 8) << "magic (8) + version (4) + length (8) + payload + checksum (8)";
  const auto payload = r.bytes(static_cast<std::size_t>(length));
  EXPECT_EQ(r.u64(), kernels::fnv1a_64(payload)) << "the last 8 bytes: FNV-1a 64 of the payload";
  ByteReader p(payload, "payload");
  EXPECT_EQ(p.i64(), 7) << "the payload starts with the epoch";
}

TEST(CheckpointFile, SaveAndLoadRoundTrip) {
  TempDir dir;
  const std::string path = (dir.path / "a.ckpt").string();
  save_checkpoint(path, sample());
  expect_equal(load_checkpoint(path), sample());
  EXPECT_FALSE(fs::exists(path + ".tmp")) << "the temporary file is renamed, not left behind";
}

TEST(CheckpointFile, SaveReplacesTheFileAtomically) {
  // A hard link is a second name for the same file (inode). An atomic save writes a NEW
  // file and renames it over the path: the link still shows the old checkpoint. Writing
  // in place overwrites the shared file: the link would show the new one, and a crash
  // midway would have destroyed the only good copy.
  TempDir dir;
  const fs::path path = dir.path / "last.ckpt";
  Checkpoint old = sample();
  old.epoch = 1;
  save_checkpoint(path.string(), old);
  fs::create_hard_link(path, dir.path / "link.ckpt");
  Checkpoint next = sample();
  next.epoch = 2;
  save_checkpoint(path.string(), next);
  EXPECT_EQ(load_checkpoint(path.string()).epoch, 2);
  EXPECT_EQ(load_checkpoint((dir.path / "link.ckpt").string()).epoch, 1)
      << "the checkpoint was written in place: write <path>.tmp, then rename it to <path>";
}

TEST(CheckpointFile, AFailedSaveLeavesThePreviousCheckpoint) {
  TempDir dir;
  const fs::path path = dir.path / "last.ckpt";
  save_checkpoint(path.string(), sample());
  const std::vector<std::uint8_t> before = read_bytes(path);
  fs::create_directories(path.string() + ".tmp");  // the temporary file cannot be created
  Checkpoint next = sample();
  next.epoch = 8;
  EXPECT_TRUE(throws_error_mentioning([&] { save_checkpoint(path.string(), next); }, {"last.ckpt"}));
  EXPECT_EQ(read_bytes(path), before) << "the previous checkpoint must survive a failed save";
}

TEST(CheckpointFile, CorruptTruncatedForeignAndOtherVersionsAreClearErrors) {
  TempDir dir;
  const std::vector<std::uint8_t> good = encode_checkpoint(sample());
  const auto load = [&](const std::vector<std::uint8_t>& b) {
    write_bytes(dir.path / "bad.ckpt", b);
    (void)load_checkpoint((dir.path / "bad.ckpt").string());
  };
  std::vector<std::uint8_t> flipped = good;
  flipped[40] ^= 0x10;  // inside the payload
  EXPECT_TRUE(throws_error_mentioning([&] { load(flipped); }, {"bad.ckpt", "checksum"}));
  std::vector<std::uint8_t> cut(good.begin(), good.end() - 5);
  EXPECT_TRUE(throws_error_mentioning([&] { load(cut); }, {"bad.ckpt", "truncated"}));
  std::vector<std::uint8_t> header_only(good.begin(), good.begin() + 10);
  EXPECT_TRUE(throws_error_mentioning([&] { load(header_only); }, {"bad.ckpt", "truncated"}));
  std::vector<std::uint8_t> foreign = good;
  foreign[0] = 'P';
  EXPECT_TRUE(throws_error_mentioning([&] { load(foreign); }, {"bad.ckpt", "not a gradlab checkpoint"}));
  std::vector<std::uint8_t> newer = good;
  newer[8] = 2;  // version 2, little-endian
  EXPECT_TRUE(throws_error_mentioning([&] { load(newer); }, {"bad.ckpt", "version 2"}));
  std::vector<std::uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_TRUE(throws_error_mentioning([&] { load(longer); }, {"bad.ckpt", "trailing"}));
  EXPECT_TRUE(throws_error_mentioning([&] { load({}); }, {"bad.ckpt", "truncated"}));
  EXPECT_TRUE(throws_error_mentioning([&] { (void)load_checkpoint((dir.path / "missing.ckpt").string()); },
                                      {"missing.ckpt", "cannot open"}));
}

TEST(CheckpointState, CaptureHoldsEverythingTheNextEpochNeeds) {
  auto net = mlp(1, 3, 4, 2);
  Adam opt(net->parameters(), {.lr = 0.01});
  StepLR schedule(opt, {.step_size = 2, .gamma = 0.5});
  const Data d = data(6, 3, 2, 1);
  DataLoader loader(d.x, d.labels, {.batch_size = 3}, 5);
  train_epoch(*net, opt, loader, cross_entropy(), {}, &schedule);
  const Checkpoint c = capture_checkpoint(1, *net, opt, &schedule, loader.generator());
  EXPECT_EQ(c.epoch, 1);
  ASSERT_EQ(c.parameters.size(), 4u);
  EXPECT_EQ(c.parameters[0].first, "0.weight");
  EXPECT_TRUE(same_bits(c.parameters[3].second, net->parameters()[3].value()));
  ASSERT_EQ(c.optimizer_state.size(), 4u);
  EXPECT_EQ(c.optimizer_state[0].step, 2);
  EXPECT_TRUE(same_bits(c.optimizer_state[2].buffers.at("exp_avg_sq"), opt.state(2).buffers.at("exp_avg_sq")));
  EXPECT_EQ(c.optimizer_steps, 2);
  EXPECT_EQ(c.learning_rates, std::vector<Scalar>{opt.lr()});
  EXPECT_EQ(c.scheduler_step, 1);
  EXPECT_EQ(c.generator_state, loader.generator().state());
  EXPECT_EQ(capture_checkpoint(1, *net, opt, nullptr, loader.generator()).scheduler_step, -1);
}

TEST(CheckpointState, RestoringAnotherModelIsAnErrorThatChangesNothing) {
  // A checkpoint of a 3-8-2 network offered to a 3-4-2 one: same names, other shapes.
  auto big = mlp(1, 3, 8, 2);
  SGD big_opt(big->parameters(), 0.1);
  Rng big_rng(1);
  const Checkpoint c = capture_checkpoint(3, *big, big_opt, nullptr, big_rng);

  auto net = mlp(2, 3, 4, 2);
  SGD opt(net->parameters(), 0.2);
  Rng rng(2);
  const std::vector<Matrix> before = values(*net);
  const std::string rng_before = rng.state();
  EXPECT_TRUE(throws_error_mentioning([&] { restore_checkpoint(c, *net, opt, nullptr, rng); },
                                      {"0.weight", "[3, 8]", "[3, 4]"}));
  EXPECT_TRUE(bit_identical(values(*net), before)) << "check every shape BEFORE changing anything";
  EXPECT_EQ(rng.state(), rng_before);
  EXPECT_DOUBLE_EQ(opt.lr(), 0.2);

  // With a scheduler where the checkpoint has none: an error, nothing changed.
  StepLR schedule(opt, {.step_size = 1});
  const Checkpoint mine = capture_checkpoint(1, *net, opt, nullptr, rng);
  EXPECT_TRUE(throws_error_mentioning([&] { restore_checkpoint(mine, *net, opt, &schedule, rng); }, {"scheduler"}));
  EXPECT_TRUE(bit_identical(values(*net), before));
}

TEST(CheckpointState, RestorePutsEverythingBack) {
  auto net = mlp(1, 3, 4, 2);
  Adam opt(net->parameters(), {.lr = 0.01});
  StepLR schedule(opt, {.step_size = 1, .gamma = 0.5});
  const Data d = data(6, 3, 2, 1);
  DataLoader loader(d.x, d.labels, {.batch_size = 3}, 5);
  for (int e = 0; e < 2; ++e) train_epoch(*net, opt, loader, cross_entropy(), {}, &schedule);
  const Checkpoint c = capture_checkpoint(2, *net, opt, &schedule, loader.generator());

  auto other = mlp(9, 3, 4, 2);
  Adam other_opt(other->parameters(), {.lr = 0.01});
  StepLR other_schedule(other_opt, {.step_size = 1, .gamma = 0.5});
  Rng other_rng(123);
  restore_checkpoint(c, *other, other_opt, &other_schedule, other_rng);
  EXPECT_TRUE(bit_identical(values(*other), values(*net)));
  EXPECT_EQ(other_opt.step_count(), opt.step_count());
  EXPECT_TRUE(same_bits(other_opt.state(1).buffers.at("exp_avg"), opt.state(1).buffers.at("exp_avg")));
  EXPECT_EQ(other_schedule.last_step(), 2);
  EXPECT_DOUBLE_EQ(other_opt.lr(), 0.0025);
  EXPECT_EQ(other_rng.state(), loader.generator().state());
}
