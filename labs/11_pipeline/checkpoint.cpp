// Lab 11: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 11): implement fnv1a_64.
  throw gradlab::NotImplemented("lab 11: fnv1a_64");
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== encoding
// magic (8) | version u32 | payload length u64 | payload | fnv1a_64(payload) u64
// payload: epoch i64 | n_params u64, (name string, value matrix)… |
//          n_states u64, (step i64, n_buffers u64, (name string, matrix)…)… | optimizer_steps i64 |
//          n_rates u64, rate f64… | scheduler_step i64 | generator_state string | best_metric f64
std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& c) {
  // TODO(lab 11): implement encode_checkpoint.
  throw gradlab::NotImplemented("lab 11: encode_checkpoint");
}

// ============================================================== decoding
// Check, in order: the header is there (truncated); the magic (not a checkpoint); the
// version (naming both); header + L + 8 bytes exactly (truncated / trailing bytes); the
// checksum (corrupt); then parse the payload, which must be used up exactly.
Checkpoint decode_checkpoint(std::span<const std::uint8_t> bytes, const std::string& source) {
  // TODO(lab 11): implement decode_checkpoint.
  throw gradlab::NotImplemented("lab 11: decode_checkpoint");
}

// ============================================================== saving, atomically
// write every byte to "<path>.tmp"; close it and check the stream; rename it to <path>
// (on any failure: remove the temporary file and throw, <path> untouched).
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  const std::vector<std::uint8_t> bytes = encode_checkpoint(checkpoint);
  // TODO(lab 11): implement save_checkpoint.
  throw gradlab::NotImplemented("lab 11: save_checkpoint");
}

// ============================================================== loading
// read every byte of <path> (cannot open: an error naming it); decode_checkpoint(bytes, path)
Checkpoint load_checkpoint(const std::string& path) {
  // TODO(lab 11): implement load_checkpoint.
  throw gradlab::NotImplemented("lab 11: load_checkpoint");
}

// ============================================================== capture
// everything the next epoch depends on: epoch, named parameter values, the optimizer's
// per-parameter states and step count, every group's rate, the scheduler's step (−1: none),
// the generator's state
Checkpoint capture_checkpoint(std::int64_t epoch, const Module& model, const Optimizer& opt,
                              const Scheduler* scheduler, const Rng& generator) {
  // TODO(lab 11): implement capture_checkpoint.
  throw gradlab::NotImplemented("lab 11: capture_checkpoint");
}

// ============================================================== restore
// FIRST check everything (count, names and shapes of the parameters; the optimizer's
// parameter and group counts; a scheduler step iff a scheduler), THEN change anything:
// values, optimizer state, rates, scheduler step, generator state.
void restore_checkpoint(const Checkpoint& c, Module& model, Optimizer& opt, Scheduler* scheduler, Rng& generator) {
  // TODO(lab 11): implement restore_checkpoint.
  throw gradlab::NotImplemented("lab 11: restore_checkpoint");
}

}  // namespace gradlab
