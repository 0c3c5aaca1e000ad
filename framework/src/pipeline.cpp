// The training pipeline's plumbing: the data loader's batches, the metrics report, the
// byte writer and reader of checkpoints, the search loop. The math and the training
// step are lab 11's (solutions/11_pipeline/).
#include "gradlab/pipeline.h"

#include <bit>
#include <cmath>
#include <numeric>

namespace gradlab {

void validate(const DataLoaderOptions& o) {
  check_option(o.batch_size >= 1, "DataLoaderOptions", "batch_size", ">= 1", static_cast<Scalar>(o.batch_size));
}

void validate(const TrainStepOptions& o) {
  check_option(o.accumulation_steps >= 1, "TrainStepOptions", "accumulation_steps", ">= 1",
               static_cast<Scalar>(o.accumulation_steps));
  check_option(o.max_grad_norm >= 0 && std::isfinite(o.max_grad_norm), "TrainStepOptions", "max_grad_norm",
               ">= 0 and finite (0: no clipping)", o.max_grad_norm);
}

// ------------------------------------------------------------------ DataLoader

DataLoader::DataLoader(Matrix x, std::vector<Index> labels, const DataLoaderOptions& options, std::uint64_t seed)
    : x_(std::move(x)), labels_(std::move(labels)), options_(options), rng_(seed) {
  validate(options_);
  GRADLAB_CHECK(static_cast<Index>(labels_.size()) == x_.rows(),
                "DataLoader: " + std::to_string(labels_.size()) + " labels for x " + shape_string(x_));
  for (std::size_t i = 0; i < labels_.size(); ++i)
    GRADLAB_CHECK(labels_[i] >= 0, "DataLoader: label " + std::to_string(i) + " is negative");
}

Batch DataLoader::batch(Index b) const {
  GRADLAB_CHECK(epochs_ > 0, "DataLoader::batch: call start_epoch() first");
  GRADLAB_CHECK(b >= 0 && b < num_batches(), "DataLoader::batch: batch " + std::to_string(b) + " of an epoch of " +
                                                 std::to_string(num_batches()));
  const auto [begin, end] = ranges_[static_cast<std::size_t>(b)];
  Matrix x(end - begin, x_.cols());
  Batch out;
  for (Index p = begin; p < end; ++p) {
    const Index row = order_.at(static_cast<std::size_t>(p));
    x.row(p - begin) = x_.row(row);
    out.labels.push_back(labels_[static_cast<std::size_t>(row)]);
    out.rows.push_back(row);
  }
  out.x = Tensor(std::move(x));
  return out;
}

// ------------------------------------------------------------------ metrics

ClassificationReport classification_report(const std::vector<Index>& truth, const std::vector<Index>& predicted,
                                           Index classes) {
  GRADLAB_CHECK(classes >= 1, "classification_report: classes must be >= 1, got " + std::to_string(classes));
  GRADLAB_CHECK(truth.size() == predicted.size(), "classification_report: " + std::to_string(truth.size()) +
                                                      " true labels but " + std::to_string(predicted.size()) +
                                                      " predictions");
  for (std::size_t i = 0; i < truth.size(); ++i) {
    GRADLAB_CHECK(truth[i] >= 0 && truth[i] < classes, "classification_report: true label " + std::to_string(i) +
                                                           " is " + std::to_string(truth[i]) + ", outside 0.." +
                                                           std::to_string(classes - 1));
    GRADLAB_CHECK(predicted[i] >= 0 && predicted[i] < classes,
                  "classification_report: prediction " + std::to_string(i) + " is " + std::to_string(predicted[i]) +
                      ", outside 0.." + std::to_string(classes - 1));
  }
  ClassificationReport report;
  report.confusion = kernels::confusion_matrix(truth, predicted, classes);
  report.metrics = kernels::class_metrics(report.confusion);
  return report;
}

// ------------------------------------------------------------------ bytes

void ByteWriter::u32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) data_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void ByteWriter::u64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) data_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void ByteWriter::f64(Scalar v) { u64(std::bit_cast<std::uint64_t>(v)); }
void ByteWriter::bytes(std::span<const std::uint8_t> b) { data_.insert(data_.end(), b.begin(), b.end()); }
void ByteWriter::string(const std::string& s) {
  u64(s.size());
  data_.insert(data_.end(), s.begin(), s.end());
}
void ByteWriter::matrix(const Matrix& m) {
  u64(static_cast<std::uint64_t>(m.rows()));
  u64(static_cast<std::uint64_t>(m.cols()));
  for (Index i = 0; i < m.size(); ++i) f64(m.data()[i]);
}

void ByteReader::fail(const std::string& message) const { throw Error(what_ + ": " + message); }

void ByteReader::need(std::size_t n, const char* reading) const {
  if (n > remaining())
    fail("truncated: " + std::string(reading) + " needs " + std::to_string(n) + " bytes at offset " +
         std::to_string(at_) + ", only " + std::to_string(remaining()) + " left");
}

std::uint32_t ByteReader::u32() {
  need(4, "a 32-bit integer");
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(data_[at_ + static_cast<std::size_t>(i)]) << (8 * i);
  at_ += 4;
  return v;
}
std::uint64_t ByteReader::u64() {
  need(8, "a 64-bit integer");
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(data_[at_ + static_cast<std::size_t>(i)]) << (8 * i);
  at_ += 8;
  return v;
}
Scalar ByteReader::f64() { return std::bit_cast<Scalar>(u64()); }
std::span<const std::uint8_t> ByteReader::bytes(std::size_t n) {
  need(n, "a block of bytes");
  const auto out = data_.subspan(at_, n);
  at_ += n;
  return out;
}
std::string ByteReader::string() {
  const std::uint64_t n = u64();
  if (n > remaining()) fail("truncated: a string of " + std::to_string(n) + " bytes, only " + std::to_string(remaining()) + " left");
  const auto b = bytes(static_cast<std::size_t>(n));
  return std::string(b.begin(), b.end());
}
Matrix ByteReader::matrix() {
  const std::uint64_t rows = u64();
  const std::uint64_t cols = u64();
  // rows·cols·8 must fit in what is left (checked without overflowing).
  if (rows != 0 && cols > remaining() / 8 / rows)
    fail("truncated: a matrix [" + std::to_string(rows) + ", " + std::to_string(cols) + "] needs more bytes than the " +
         std::to_string(remaining()) + " left");
  Matrix m(static_cast<Index>(rows), static_cast<Index>(cols));
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = f64();
  return m;
}

// ------------------------------------------------------------------ search

SearchResult run_search(const Matrix& trials, const std::function<Scalar(const std::vector<Scalar>&)>& objective) {
  SearchResult result;
  result.trials = trials;
  for (Index t = 0; t < trials.rows(); ++t) {
    std::vector<Scalar> h(trials.row(t).data(), trials.row(t).data() + trials.cols());
    result.scores.push_back(objective(h));
  }
  result.best = kernels::best_so_far(result.scores);
  for (std::size_t t = 0; t < result.scores.size(); ++t)
    if (!std::isnan(result.scores[t]) &&
        (result.best_trial < 0 || result.scores[t] > result.scores[static_cast<std::size_t>(result.best_trial)]))
      result.best_trial = static_cast<Index>(t);
  return result;
}

}  // namespace gradlab
