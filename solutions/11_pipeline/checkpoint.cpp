// Lab 11 — checkpoints: save everything training needs, atomically, and refuse a bad file.
//
// A checkpoint must hold EVERYTHING the next epoch depends on, or resuming is not the
// same run: the weights, the optimizer's moments and step counts (Adam's bias
// correction uses t), the learning rates and the schedule's position, the shuffling
// generator. Writing it in place would destroy the previous checkpoint the moment the
// file is opened, and a crash mid-write leaves neither: write a temporary file, then
// rename it (a rename within one file system replaces the name in one step).
// A checkpoint read back is checked before anything is trusted: magic, version, length,
// checksum, then the contents against the model they are loaded into.
//
// Conventions: the layout is encode_checkpoint()'s table in gradlab/pipeline.h, every
// number little-endian through ByteWriter/ByteReader; the checksum is FNV-1a 64 of the
// payload. Read framework/include/gradlab/kernels/pipeline.h and gradlab/pipeline.h too.
#include "gradlab/kernels/pipeline.h"
#include "gradlab/pipeline.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace gradlab::kernels {

// ============================================================== FNV-1a 64
// h = 0xcbf29ce484222325;  for each byte b: h = (h XOR b) · 0x100000001b3  (mod 2^64)
std::uint64_t fnv1a_64(std::span<const std::uint8_t> bytes) {
  // BEGIN SOLUTION
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return h;
  // END SOLUTION
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== encoding
// magic (8) | version u32 | payload length u64 | payload | fnv1a_64(payload) u64
// payload: epoch i64 | n_params u64, (name string, value matrix)… |
//          n_states u64, (step i64, n_buffers u64, (name string, matrix)…)… | optimizer_steps i64 |
//          n_rates u64, rate f64… | scheduler_step i64 | generator_state string | best_metric f64
std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& c) {
  // BEGIN SOLUTION
  ByteWriter payload;
  payload.i64(c.epoch);
  payload.u64(c.parameters.size());
  for (const auto& [name, value] : c.parameters) {
    payload.string(name);
    payload.matrix(value);
  }
  payload.u64(c.optimizer_state.size());
  for (const ParamState& s : c.optimizer_state) {
    payload.i64(s.step);
    payload.u64(s.buffers.size());
    for (const auto& [name, m] : s.buffers) {
      payload.string(name);
      payload.matrix(m);
    }
  }
  payload.i64(c.optimizer_steps);
  payload.u64(c.learning_rates.size());
  for (const Scalar lr : c.learning_rates) payload.f64(lr);
  payload.i64(c.scheduler_step);
  payload.string(c.generator_state);
  payload.f64(c.best_metric);

  ByteWriter file;
  file.bytes(std::span(reinterpret_cast<const std::uint8_t*>(checkpoint_magic), sizeof checkpoint_magic));
  file.u32(checkpoint_format_version);
  file.u64(payload.data().size());
  file.bytes(payload.data());
  file.u64(kernels::fnv1a_64(payload.data()));
  return file.data();
  // END SOLUTION
}

// ============================================================== decoding
// Check, in order: the header is there (truncated); the magic (not a checkpoint); the
// version (naming both); header + L + 8 bytes exactly (truncated / trailing bytes); the
// checksum (corrupt); then parse the payload, which must be used up exactly.
Checkpoint decode_checkpoint(std::span<const std::uint8_t> bytes, const std::string& source) {
  // BEGIN SOLUTION
  ByteReader header(bytes, source);
  constexpr std::size_t header_size = sizeof checkpoint_magic + 4 + 8;
  if (bytes.size() < header_size)
    header.fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                std::to_string(header_size) + "-byte header of a checkpoint");
  const auto magic = header.bytes(sizeof checkpoint_magic);
  if (!std::equal(magic.begin(), magic.end(), reinterpret_cast<const std::uint8_t*>(checkpoint_magic)))
    header.fail("not a gradlab checkpoint (the file does not start with GLCKPT)");
  const std::uint32_t version = header.u32();
  if (version != checkpoint_format_version)
    header.fail("checkpoint format version " + std::to_string(version) + ", but this gradlab reads version " +
                std::to_string(checkpoint_format_version));
  const std::uint64_t length = header.u64();
  if (header.remaining() < 8 || length > header.remaining() - 8)
    header.fail("truncated: the payload should be " + std::to_string(length) + " bytes plus an 8-byte checksum, " +
                std::to_string(header.remaining()) + " bytes follow the header");
  if (header.remaining() != length + 8)
    header.fail(std::to_string(header.remaining() - length - 8) + " trailing bytes after the checksum");
  const auto payload_bytes = header.bytes(static_cast<std::size_t>(length));
  const std::uint64_t stored = header.u64();
  const std::uint64_t computed = kernels::fnv1a_64(payload_bytes);
  if (stored != computed) header.fail("corrupt: the checksum does not match the contents");

  ByteReader payload(payload_bytes, source);
  Checkpoint c;
  c.epoch = payload.i64();
  const std::uint64_t n_params = payload.u64();
  for (std::uint64_t i = 0; i < n_params; ++i) {
    std::string name = payload.string();
    c.parameters.emplace_back(std::move(name), payload.matrix());
  }
  const std::uint64_t n_states = payload.u64();
  for (std::uint64_t i = 0; i < n_states; ++i) {
    ParamState s;
    s.step = payload.i64();
    const std::uint64_t n_buffers = payload.u64();
    for (std::uint64_t b = 0; b < n_buffers; ++b) {
      std::string name = payload.string();
      s.buffers.emplace(std::move(name), payload.matrix());
    }
    c.optimizer_state.push_back(std::move(s));
  }
  c.optimizer_steps = payload.i64();
  const std::uint64_t n_rates = payload.u64();
  for (std::uint64_t i = 0; i < n_rates; ++i) c.learning_rates.push_back(payload.f64());
  c.scheduler_step = payload.i64();
  c.generator_state = payload.string();
  c.best_metric = payload.f64();
  if (payload.remaining() != 0) payload.fail(std::to_string(payload.remaining()) + " unread bytes at the end of the payload");
  return c;
  // END SOLUTION
}

// ============================================================== saving, atomically
// write every byte to "<path>.tmp"; close it and check the stream; rename it to <path>
// (on any failure: remove the temporary file and throw, <path> untouched).
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  const std::vector<std::uint8_t> bytes = encode_checkpoint(checkpoint);
  // BEGIN SOLUTION
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("save_checkpoint: cannot write " + temporary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      throw Error("save_checkpoint: writing " + temporary + " failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    throw Error("save_checkpoint: cannot rename " + temporary + " to " + path + ": " + ec.message());
  }
  // END SOLUTION
}

// ============================================================== loading
// read every byte of <path> (cannot open: an error naming it); decode_checkpoint(bytes, path)
Checkpoint load_checkpoint(const std::string& path) {
  // BEGIN SOLUTION
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open the checkpoint");
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return decode_checkpoint(bytes, path);
  // END SOLUTION
}

// ============================================================== capture
// everything the next epoch depends on: epoch, named parameter values, the optimizer's
// per-parameter states and step count, every group's rate, the scheduler's step (−1: none),
// the generator's state
Checkpoint capture_checkpoint(std::int64_t epoch, const Module& model, const Optimizer& opt,
                              const Scheduler* scheduler, const Rng& generator) {
  // BEGIN SOLUTION
  Checkpoint c;
  c.epoch = epoch;
  for (const NamedParameter& p : model.named_parameters()) c.parameters.emplace_back(p.name, p.tensor.value());
  for (std::size_t i = 0; i < opt.params().size(); ++i) c.optimizer_state.push_back(opt.state(i));
  c.optimizer_steps = opt.step_count();
  for (std::size_t g = 0; g < opt.num_groups(); ++g) c.learning_rates.push_back(opt.group_lr(g));
  c.scheduler_step = scheduler != nullptr ? scheduler->last_step() : -1;
  c.generator_state = generator.state();
  return c;
  // END SOLUTION
}

// ============================================================== restore
// FIRST check everything (count, names and shapes of the parameters; the optimizer's
// parameter and group counts; a scheduler step iff a scheduler), THEN change anything:
// values, optimizer state, rates, scheduler step, generator state.
void restore_checkpoint(const Checkpoint& c, Module& model, Optimizer& opt, Scheduler* scheduler, Rng& generator) {
  // BEGIN SOLUTION
  const std::vector<NamedParameter> params = model.named_parameters();
  GRADLAB_CHECK(c.parameters.size() == params.size(),
                "restore_checkpoint: the checkpoint has " + std::to_string(c.parameters.size()) +
                    " parameters, the model " + std::to_string(params.size()));
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& [name, value] = c.parameters[i];
    GRADLAB_CHECK(name == params[i].name, "restore_checkpoint: parameter " + std::to_string(i) + " is '" + name +
                                              "' in the checkpoint but '" + params[i].name + "' in the model");
    GRADLAB_CHECK(value.rows() == params[i].tensor.rows() && value.cols() == params[i].tensor.cols(),
                  "restore_checkpoint: parameter '" + name + "' is " + shape_string(value) +
                      " in the checkpoint but " + params[i].tensor.shape() + " in the model");
  }
  GRADLAB_CHECK(c.optimizer_state.size() == opt.params().size(),
                "restore_checkpoint: the checkpoint has optimizer state for " + std::to_string(c.optimizer_state.size()) +
                    " parameters, the optimizer has " + std::to_string(opt.params().size()));
  for (std::size_t i = 0; i < c.optimizer_state.size(); ++i)
    for (const auto& [name, m] : c.optimizer_state[i].buffers)
      GRADLAB_CHECK(m.rows() == opt.params()[i].rows() && m.cols() == opt.params()[i].cols(),
                    "restore_checkpoint: optimizer buffer '" + name + "' of parameter " + std::to_string(i) + " is " +
                        shape_string(m) + " but the parameter is " + opt.params()[i].shape());
  GRADLAB_CHECK(c.learning_rates.size() == opt.num_groups(),
                "restore_checkpoint: the checkpoint has " + std::to_string(c.learning_rates.size()) +
                    " learning rates, the optimizer " + std::to_string(opt.num_groups()) + " groups");
  GRADLAB_CHECK((scheduler != nullptr) == (c.scheduler_step >= 0),
                scheduler != nullptr ? "restore_checkpoint: the checkpoint has no scheduler step to restore"
                                     : "restore_checkpoint: the checkpoint has a scheduler step but no scheduler was given");
  Rng restored = generator;
  restored.set_state(c.generator_state);  // throws before anything changed if the text is not a state

  for (std::size_t i = 0; i < params.size(); ++i) {
    Tensor handle = params[i].tensor;
    handle.value() = c.parameters[i].second;
  }
  opt.load_state(c.optimizer_state, c.optimizer_steps);
  for (std::size_t g = 0; g < opt.num_groups(); ++g) opt.set_group_lr(g, c.learning_rates[g]);
  if (scheduler != nullptr) scheduler->set_last_step(c.scheduler_step);
  generator = restored;
  // END SOLUTION
}

}  // namespace gradlab
