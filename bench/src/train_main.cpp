// gradlab-train-bench: how close does a whole training epoch come to its matrix products?
//
// It trains an MLP 784-256-256-10 (ReLU, softmax cross entropy, SGD, batch 128, double)
// for one epoch on generated MNIST-sized data, and in the same run times the same
// sequence of GEMM calls alone, with the same shapes and buffers: 3 products forward
// and 5 backward per step (no gradient for the input). That sequence is the floor any
// engine built on this GEMM can approach; everything above it is the engine's own cost
// (graph bookkeeping, element-wise passes, allocation). Both are measured in CPU time on
// one thread, interleaved, best of --repeats, so a busy machine affects them alike.
// When python3 can import torch, the same epoch is also timed in PyTorch (float64, one
// thread) for comparison; nothing depends on it.
#include "gradlab/bench/bench.h"
#include "gradlab/gradlab.h"
#include "gradlab/kernels/matmul.h"

#include <cxxopts.hpp>
#include <fmt/core.h>
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Tensor;
namespace kernels = gradlab::kernels;

struct Setup {
  Index examples = 60000;
  Index batch = 128;
  std::vector<Index> widths{784, 256, 256, 10};
};

// The data: inputs in [0, 1) like scaled pixels, labels 0..9.
struct Data {
  Matrix x;
  std::vector<Index> labels;
};

Data make_data(const Setup& s) {
  gradlab::Rng rng(7);
  Data d{Matrix(s.examples, s.widths.front()), std::vector<Index>(static_cast<std::size_t>(s.examples))};
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] = rng.uniform();
  for (auto& y : d.labels) y = rng.index(s.widths.back());
  return d;
}

// One epoch of plain SGD with gradlab; returns the last batch's loss (so the work is used).
double gradlab_epoch(const Setup& s, const Data& data, gradlab::Sequential& model, gradlab::SGD& sgd) {
  double loss_value = 0.0;
  for (Index start = 0; start < s.examples; start += s.batch) {
    const Index n = std::min(s.batch, s.examples - start);
    Matrix batch = gradlab::new_matrix(n, data.x.cols());  // reuses the last batch's memory
    batch = data.x.middleRows(start, n);
    const Tensor x(std::move(batch));
    const std::vector<Index> y(data.labels.begin() + start, data.labels.begin() + start + n);
    sgd.zero_grad();
    Tensor loss = gradlab::cross_entropy_loss(model(x), y);
    loss.backward();
    sgd.step();
    loss_value = loss.item();
  }
  return loss_value;
}

// The same products alone: forward h_{l+1} = h_l W_l, backward dW_l = h_lᵀ dh_{l+1} and
// dh_l = dh_{l+1} W_lᵀ (not for the input), on buffers allocated once.
double gemm_floor(const Setup& s, const Data& data) {
  const std::size_t layers = s.widths.size() - 1;
  std::vector<Matrix> w, dw, h, dh;
  for (std::size_t l = 0; l < layers; ++l) {
    w.emplace_back(Matrix::Constant(s.widths[l], s.widths[l + 1], 0.01));
    dw.emplace_back(Matrix::Zero(s.widths[l], s.widths[l + 1]));
  }
  for (std::size_t l = 0; l <= layers; ++l) {
    h.emplace_back(Matrix::Constant(s.batch, s.widths[l], 0.5));
    dh.emplace_back(Matrix::Constant(s.batch, s.widths[l], 0.01));
  }
  using kernels::Trans;
  for (Index start = 0; start < s.examples; start += s.batch) {
    const Index n = std::min(s.batch, s.examples - start);
    const double* input = data.x.data() + start * data.x.cols();
    for (std::size_t l = 0; l < layers; ++l) {
      const double* a = l == 0 ? input : h[l].data();
      kernels::gemm(Trans::No, Trans::No, n, s.widths[l + 1], s.widths[l], 1.0, a, s.widths[l],
                    w[l].data(), s.widths[l + 1], 0.0, h[l + 1].data(), s.widths[l + 1]);
    }
    for (std::size_t l = layers; l-- > 0;) {
      const double* a = l == 0 ? input : h[l].data();
      kernels::gemm(Trans::Yes, Trans::No, s.widths[l], s.widths[l + 1], n, 1.0, a, s.widths[l],
                    dh[l + 1].data(), s.widths[l + 1], 1.0, dw[l].data(), s.widths[l + 1]);
      if (l > 0) {
        kernels::gemm(Trans::No, Trans::Yes, n, s.widths[l], s.widths[l + 1], 1.0, dh[l + 1].data(),
                      s.widths[l + 1], w[l].data(), s.widths[l + 1], 0.0, dh[l].data(), s.widths[l]);
      }
    }
  }
  return dw[0](0, 0);
}

// The CPU seconds f takes.
template <class F>
double cpu_seconds(F&& f) {
  const double start = gradlab::bench::clock_seconds(true);
  f();
  return gradlab::bench::clock_seconds(true) - start;
}

// PyTorch's epoch in float64 on one thread, in CPU seconds; negative when unavailable.
double pytorch_epoch(const Setup& s, const std::string& python) {
  const std::string script = fmt::format(
      "import time, torch\n"
      "torch.set_num_threads(1); torch.manual_seed(0)\n"
      "N, B = {}, {}\n"
      "x = torch.rand(N, 784, dtype=torch.float64); y = torch.randint(0, 10, (N,))\n"
      "m = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),"
      " torch.nn.ReLU(), torch.nn.Linear(256, 10)).double()\n"
      "opt = torch.optim.SGD(m.parameters(), lr=0.01); f = torch.nn.CrossEntropyLoss()\n"
      "def epoch():\n"
      "    for i in range(0, N, B):\n"
      "        opt.zero_grad(); loss = f(m(x[i:i+B]), y[i:i+B]); loss.backward(); opt.step()\n"
      "epoch()\n"
      "best = float('inf')\n"
      "for _ in range(2):\n"
      "    t = time.process_time(); epoch(); best = min(best, time.process_time() - t)\n"
      "print(best)\n",
      s.examples, s.batch);
  const std::string command = python + " -c \"" + script + "\" 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1.0;
  double seconds = -1.0;
  if (std::fscanf(pipe, "%lf", &seconds) != 1) seconds = -1.0;
  return pclose(pipe) == 0 ? seconds : -1.0;
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("gradlab-train-bench",
                           "One epoch of an MLP 784-256-256-10 against its GEMM floor, one thread");
  options.add_options()
      ("examples", "examples per epoch", cxxopts::value<Index>()->default_value("60000"))
      ("repeats", "runs of each measurement (the best counts)", cxxopts::value<int>()->default_value("3"))
      ("python", "the Python that times PyTorch, if it can import torch (\"\" to skip)", cxxopts::value<std::string>()->default_value("python3"))
      ("h,help", "this help");
  try {
    const auto args = options.parse(argc, argv);
    if (args.count("help") != 0U) {
      fmt::print("{}", options.help());
      return 0;
    }
    Setup setup;
    setup.examples = args["examples"].as<Index>();
    const int repeats = args["repeats"].as<int>();
    GRADLAB_CHECK(setup.examples >= setup.batch, "--examples must be at least the batch size, 128");
    GRADLAB_CHECK(repeats >= 1, "--repeats must be at least 1");
    omp_set_num_threads(1);

    const Data data = make_data(setup);
    gradlab::Rng rng(1);
    gradlab::Sequential model;
    for (std::size_t l = 0; l + 1 < setup.widths.size(); ++l) {
      if (l > 0) model.add(std::make_shared<gradlab::ReLU>());
      model.add(std::make_shared<gradlab::Linear>(setup.widths[l], setup.widths[l + 1], rng));
    }
    gradlab::SGD sgd(model.parameters(), {.lr = 0.01});

    // Warm up both (page in the data, grow the GEMM's packing buffers), then interleave.
    gemm_floor(setup, data);
    gradlab_epoch(setup, data, model, sgd);
    double floor = std::numeric_limits<double>::infinity(), epoch = floor, loss = 0.0;
    for (int r = 0; r < repeats; ++r) {
      floor = std::min(floor, cpu_seconds([&] { gemm_floor(setup, data); }));
      epoch = std::min(epoch, cpu_seconds([&] { loss = gradlab_epoch(setup, data, model, sgd); }));
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);

    fmt::print("MLP 784-256-256-10, batch {}, {} examples, double, 1 thread (CPU seconds, best of {})\n",
               setup.batch, setup.examples, repeats);
    fmt::print("  GEMM floor        {:8.3f} s\n", floor);
    fmt::print("  gradlab epoch     {:8.3f} s   {:.2f}x the floor   (last loss {:.4f})\n", epoch,
               epoch / floor, loss);
    fmt::print("  peak memory       {:8.1f} MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
    if (const auto python = args["python"].as<std::string>(); !python.empty()) {
      const double torch = pytorch_epoch(setup, python);
      if (torch > 0) {
        fmt::print("  PyTorch epoch     {:8.3f} s   {:.2f}x the floor   gradlab/PyTorch {:.2f}\n", torch,
                   torch / floor, epoch / torch);
      } else {
        fmt::print("  PyTorch           not measured ({} cannot import torch)\n", python);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gradlab-train-bench: {}\n", e.what());
    return 2;
  }
}
