// Lab 10 experiment "train": train with your kernel. One fixed MLP (784 -> 256 -> 256
// -> 10, ReLU, batches of 128, plain SGD on a mean-squared error to a fixed random
// teacher) whose every matmul, forward and backward, goes through kernels::gemm. It
// records the loss per epoch (it must match the reference's) and the time per epoch;
// `gradlab-bench` / `grader bench` compare the median epoch time with the reference's.
#include "gradlab/experiment/recorder.h"
#include "gradlab/gradlab.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

using namespace gradlab;

namespace {

void train(experiment::Recorder& recorder) {
  constexpr Index kSamples = 1024, kBatch = 128, kIn = 784, kHidden = 256, kOut = 10;
  constexpr int kEpochs = 4;
  Rng rng(10);

  // Data: x ~ N(0, 1); the targets are a fixed random teacher network's outputs.
  const Matrix x = Tensor::normal(kSamples, kIn, 0.0, 1.0, rng).value();
  const Matrix teacher = Tensor::normal(kIn, kOut, 0.0, 1.0 / 28.0, rng).value();
  const Matrix y = (x * teacher).array().tanh().matrix();

  Linear l1(kIn, kHidden, rng), l2(kHidden, kHidden, rng), l3(kHidden, kOut, rng);
  std::vector<Tensor> params;
  for (Module* m : std::initializer_list<Module*>{&l1, &l2, &l3})
    for (const Tensor& p : m->parameters()) params.push_back(p);
  SGD sgd(params, 0.05);

  std::vector<double> epoch_times;
  for (int epoch = 1; epoch <= kEpochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0.0;
    for (Index first = 0; first < kSamples; first += kBatch) {
      Tensor xb(x.middleRows(first, kBatch)), yb(y.middleRows(first, kBatch));
      Tensor h1 = maximum(l1(xb), 0.0);
      Tensor h2 = maximum(l2(h1), 0.0);
      Tensor loss = mean(pow(l3(h2) - yb, 2.0));
      sgd.zero_grad();
      loss.backward();
      sgd.step();
      loss_sum += loss.value()(0, 0);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    epoch_times.push_back(seconds);
    recorder.add("loss", epoch, loss_sum / (kSamples / kBatch));
    recorder.add("epoch_seconds", epoch, seconds);
  }
  // The first epoch warms up (page faults, thread start-up): the median of the rest.
  std::vector<double> rest(epoch_times.begin() + 1, epoch_times.end());
  std::sort(rest.begin(), rest.end());
  recorder.scalar("epoch_seconds", rest[rest.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  return experiment::run_main(argc, argv, "10", "train",
                              [](experiment::Recorder& rec) { rec.part("train", [&] { train(rec); }); });
}
