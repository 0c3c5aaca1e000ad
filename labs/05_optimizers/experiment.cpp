// Lab 05 experiment: what each optimizer does with the same problem.
//
//  (1) trajectories in 2-D from the same start, with your update rules: an ill-conditioned
//      quadratic f = (x² + 20y²)/2 (curvatures 1 and 20) and the Rosenbrock function
//      f = (1 − x)² + 100(y − x²)² (a curved, flat-bottomed valley; minimum at (1, 1)).
//      Series "quad_<optimizer>" / "rosen_<optimizer>" are the paths (x, y), drawn over
//      dotted level curves "quad_contours" / "rosen_contours"; "quad_f_<optimizer>" /
//      "rosen_f_<optimizer>" are f along the path, per step (the curves that are scored);
//  (2) one MLP (2 → 64 → ReLU → 3) on a 3-arm spiral, the same initial weights for each
//      optimizer at its usual learning rate: training loss ("mlp_loss_<optimizer>") and
//      validation accuracy ("mlp_val_<optimizer>") over full-batch steps;
//  (3) Adam + L2 against AdamW at the same λ (0.1 and 0.01) and Adam without decay: the
//      weights' norm ("decay_norm_adam_l2_0.1", "decay_norm_adamw_0.1", …) and the
//      validation accuracy ("decay_val_…") over training.
//
// Deterministic: every random draw comes from a fixed seed. The gradients of part (1)
// are written out by hand (no autograd), so only this lab's kernels (and your
// Optimizer::step) differ between your run and the reference.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/metrics.h"
#include "gradlab/optimizer.h"

#include <cmath>
#include <functional>
#include <algorithm>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

// An optimizer by name, built on the given parameters.
using MakeOptimizer = std::function<std::unique_ptr<gradlab::Optimizer>(std::vector<Tensor>)>;
struct NamedOptimizer {
  std::string name;
  MakeOptimizer make;
};

template <class Opt, class Options>
MakeOptimizer with(Options options) {
  return [options](std::vector<Tensor> params) { return std::make_unique<Opt>(std::move(params), options); };
}

// ------------------------------------------------------------------ (1) trajectories

struct Surface {
  std::string name;
  std::function<Scalar(Scalar, Scalar)> f;
  std::function<Matrix(Scalar, Scalar)> grad;  // [1, 2]: (∂f/∂x, ∂f/∂y)
  Scalar x0, y0;
  int steps;
};

Surface quadratic() {
  return {"quad",
          [](Scalar x, Scalar y) { return 0.5 * (x * x + 20.0 * y * y); },
          [](Scalar x, Scalar y) { return Matrix{{x, 20.0 * y}}; },
          -4.0, 1.0, 60};
}

Surface rosenbrock() {
  return {"rosen",
          [](Scalar x, Scalar y) { return (1 - x) * (1 - x) + 100.0 * (y - x * x) * (y - x * x); },
          [](Scalar x, Scalar y) { return Matrix{{-2.0 * (1 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)}}; },
          -1.5, 2.0, 600};
}

// Each optimizer at a rate that suits the surface (stable for SGD: η < 2/curvature).
std::vector<NamedOptimizer> path_optimizers(const std::string& surface) {
  const bool quad = surface == "quad";
  using namespace gradlab;
  return {
      {"sgd", with<SGD>(SGDOptions{.lr = quad ? 0.09 : 1e-3})},
      {"momentum", with<SGD>(SGDOptions{.lr = quad ? 0.02 : 1e-3, .momentum = 0.9})},
      {"nesterov", with<SGD>(SGDOptions{.lr = quad ? 0.02 : 1e-3, .momentum = 0.9, .nesterov = true})},
      {"adagrad", with<Adagrad>(AdagradOptions{.lr = quad ? 1.0 : 0.3})},
      {"rmsprop", with<RMSprop>(RMSpropOptions{.lr = quad ? 0.05 : 0.01})},
      {"adam", with<Adam>(AdamOptions{.lr = quad ? 0.2 : 0.05})},
  };
}

void trajectory(Recorder& rec, const Surface& s, const NamedOptimizer& named) {
  Tensor theta(Matrix{{s.x0, s.y0}}, true);
  auto opt = named.make({theta});
  const std::string tag = s.name + "_" + named.name;
  for (int step = 0; step <= s.steps; ++step) {
    const Scalar x = theta.value()(0, 0), y = theta.value()(0, 1);
    rec.add(tag, x, y);
    rec.add(s.name + "_f_" + named.name, step, s.f(x, y));
    if (step == s.steps) break;
    opt->zero_grad();
    theta.grad() = s.grad(x, y);
    opt->step();
  }
  rec.scalar(tag + "_final_f", rec.series(s.name + "_f_" + named.name).y.back());
}

// Level curves of the quadratic, as dots: ellipses x = √(2c) cos φ, y = √(2c/20) sin φ.
void quadratic_contours(Recorder& rec) {
  for (const Scalar c : {0.5, 2.0, 4.5, 8.0, 12.5, 18.0}) {  // 18: through the start
    const int n = 40 + static_cast<int>(12 * std::sqrt(c));  // about evenly spaced dots
    for (int i = 0; i < n; ++i) {
      const Scalar phi = 2 * std::numbers::pi * i / n;
      rec.add("quad_contours", std::sqrt(2 * c) * std::cos(phi), std::sqrt(2 * c / 20.0) * std::sin(phi));
    }
  }
}

// Level curves of Rosenbrock, as dots: (1 − x)² + 100(y − x²)² = c. With
// 1 − x = √c cos u and y − x² = ±(√c/10) sin u, u ∈ [0, π], both branches are traced
// finely; a dot is kept every 0.06 of arc length inside the window [−2, 2] × [−1, 3].
void rosenbrock_contours(Recorder& rec) {
  const Scalar spacing = 0.06;
  for (const Scalar c : {0.1, 1.0, 4.0, 16.0, 64.0, 256.0}) {
    const Scalar root = std::sqrt(c);
    const int n = 20000;
    for (const Scalar sign : {1.0, -1.0}) {
      Scalar walked = spacing;  // a dot at the first point inside
      Scalar px = 0, py = 0;
      bool was_inside = false;
      for (int i = 0; i <= n; ++i) {
        const Scalar u = std::numbers::pi * i / n;
        const Scalar x = 1 - root * std::cos(u);
        const Scalar y = x * x + sign * root / 10.0 * std::sin(u);
        const bool inside = x >= -2 && x <= 2 && y >= -1 && y <= 3;
        if (inside && was_inside) walked += std::hypot(x - px, y - py);
        if (inside && walked >= spacing) {
          rec.add("rosen_contours", x, y);
          walked = 0;
        }
        px = x;
        py = y;
        was_inside = inside;
      }
    }
  }
}

// ------------------------------------------------------------------ (2), (3) the spiral MLP

constexpr Index kHidden = 64;

struct Mlp {
  explicit Mlp(gradlab::Rng& rng) : hidden(2, kHidden, rng), out(kHidden, 3, rng) {}
  Tensor operator()(const Tensor& x) { return out(gradlab::relu(hidden(x))); }
  std::vector<Tensor> parameters() {
    std::vector<Tensor> p = hidden.parameters();
    for (const Tensor& t : out.parameters()) p.push_back(t);
    return p;
  }
  Scalar weight_norm() { return std::sqrt(hidden.weight().value().squaredNorm() + out.weight().value().squaredNorm()); }
  gradlab::Linear hidden;
  gradlab::Linear out;
};

struct SpiralData {
  ds::Classification train, val;
};

SpiralData spiral_data() {
  gradlab::Rng train_rng(7), val_rng(8);
  return {ds::spiral(3, 100, 0.2, train_rng), ds::spiral(3, 100, 0.2, val_rng)};
}

// Trains a fresh MLP (the same initial weights every time) with full-batch steps and
// records "<prefix>loss_<name>", "<prefix>val_<name>" and, if asked, "<prefix>norm_<name>".
void train_mlp(Recorder& rec, const SpiralData& data, const std::string& prefix, const NamedOptimizer& named, int steps,
               bool record_norm) {
  gradlab::Rng init(2024);
  Mlp model(init);
  auto opt = named.make(model.parameters());
  const Tensor x(data.train.x), x_val(data.val.x);
  for (int step = 0; step <= steps; ++step) {
    opt->zero_grad();
    Tensor loss = gradlab::cross_entropy_loss(model(x), data.train.labels);
    if (step % 10 == 0) {
      gradlab::NoGradGuard no_grad;
      rec.add(prefix + "loss_" + named.name, step, loss.item());
      rec.add(prefix + "val_" + named.name, step, 100.0 * gradlab::accuracy(model(x_val).value(), data.val.labels));
      if (record_norm) rec.add(prefix + "norm_" + named.name, step, model.weight_norm());
    }
    if (step == steps) break;
    loss.backward();
    opt->step();
  }
  rec.scalar(prefix + "final_val_" + named.name, rec.series(prefix + "val_" + named.name).y.back());
}

std::vector<NamedOptimizer> mlp_optimizers() {
  using namespace gradlab;
  return {
      {"sgd", with<SGD>(SGDOptions{.lr = 0.5})},
      {"momentum", with<SGD>(SGDOptions{.lr = 0.05, .momentum = 0.9})},
      {"nesterov", with<SGD>(SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true})},
      {"adagrad", with<Adagrad>(AdagradOptions{.lr = 0.1})},
      {"rmsprop", with<RMSprop>(RMSpropOptions{.lr = 0.003})},
      {"adam", with<Adam>(AdamOptions{.lr = 0.01})},
      {"adamw", with<AdamW>(AdamOptions{.lr = 0.01, .weight_decay = 0.01})},
  };
}

// The same λ for both, at two values: with Adam it is L2 (λθ added to the gradient,
// then divided by √v̂ like the rest of it); with AdamW it is decoupled (θ shrinks by
// ηλθ every step). Adam without decay for comparison.
std::vector<NamedOptimizer> decay_optimizers() {
  using namespace gradlab;
  return {
      {"adam_l2_0.1", with<Adam>(AdamOptions{.lr = 0.01, .weight_decay = 0.1})},
      {"adamw_0.1", with<AdamW>(AdamOptions{.lr = 0.01, .weight_decay = 0.1})},
      {"adam_l2_0.01", with<Adam>(AdamOptions{.lr = 0.01, .weight_decay = 0.01})},
      {"adamw_0.01", with<AdamW>(AdamOptions{.lr = 0.01, .weight_decay = 0.01})},
      {"adam", with<Adam>(AdamOptions{.lr = 0.01})},
  };
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "05", "main", [](Recorder& rec) {
    // Contours do not depend on your code; every optimizer is its own part, so one
    // missing update rule costs only its own curves.
    rec.part("quad_contours", [&] { quadratic_contours(rec); });
    rec.part("rosen_contours", [&] { rosenbrock_contours(rec); });
    for (const Surface& s : {quadratic(), rosenbrock()}) {
      for (const auto& named : path_optimizers(s.name)) {
        rec.part(s.name + "_" + named.name, [&] { trajectory(rec, s, named); });
      }
    }
    const SpiralData data = spiral_data();
    for (const auto& named : mlp_optimizers()) {
      rec.part("mlp_" + named.name, [&] { train_mlp(rec, data, "mlp_", named, 500, false); });
    }
    for (const auto& named : decay_optimizers()) {
      rec.part("decay_" + named.name, [&] { train_mlp(rec, data, "decay_", named, 2000, true); });
    }
  });
}
