/// \file
/// \brief Deep networks: the residual operation and module (lab 09's kernels behind
/// them), and a GradientMonitor that records gradient-health statistics at every step.
///
/// A training loop with a monitor:
/// \code
///   gradlab::GradientMonitor monitor;
///   monitor.watch("fc1", fc1->weight(), gradlab::UnitKind::ReLU);
///   monitor.watch("fc2", fc2->weight());
///   for (...) {
///     Tensor h = gradlab::relu(fc1->forward(x));
///     monitor.observe(0, h.value());                 // dead / saturated units
///     Tensor loss = gradlab::cross_entropy(fc2->forward(h), labels);
///     opt.zero_grad();
///     loss.backward();
///     monitor.before_update();                        // gradient norms, weights kept
///     opt.step();
///     monitor.after_update(loss.item(), opt.lr());    // update ratios; one record
///   }
/// \endcode
/// \sa \ref notes_vanishing
#pragma once

#include "gradlab/kernels/deep.h"
#include "gradlab/module.h"
#include "gradlab/random.h"
#include "gradlab/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gradlab {

/// \brief \f$ y = x + F(x) \f$: the identity skip added to the branch's output \p fx
/// (both `[N, D]`; else gradlab::Error). Backward: kernels::residual_backward.
Tensor residual(const Tensor& x, const Tensor& fx);

/// \brief \f$ y = xP + F(x) \f$: the skip path projected by \p proj P `[D_in, D_out]`
/// (x `[N, D_in]`, fx `[N, D_out]`; else gradlab::Error).
Tensor residual(const Tensor& x, const Tensor& fx, const Tensor& proj);

/// \brief A residual block around any module F: y = x + F(x), or y = xP + F(x) with a
/// learned projection P when F changes the width.
class Residual : public Module {
 public:
  /// \brief Identity skip: F must keep the width.
  explicit Residual(std::shared_ptr<Module> branch);
  /// \brief Projected skip, P `[in, out]` drawn from U(−1/√in, 1/√in) (Linear's default).
  Residual(std::shared_ptr<Module> branch, Index in_features, Index out_features, Rng& rng = default_generator());
  /// \brief Projected skip with the given P `[in, out]`.
  Residual(std::shared_ptr<Module> branch, Matrix projection);
  /// \brief residual(x, F(x)) or residual(x, F(x), P).
  Tensor forward(const Tensor& x) override;

  Module& branch() { return *branch_; }                        ///< F
  bool has_projection() const { return projection_.defined(); }  ///< whether the skip is projected
  Tensor& projection() { return projection_; }                  ///< P `[in, out]` (undefined for identity)

 private:
  std::shared_ptr<Module> branch_;
  Tensor projection_;
};

/// \brief What a watched layer's activation is, for the unit statistics.
enum class UnitKind {
  Linear,   ///< no unit statistics
  ReLU,     ///< dead-unit fraction (kernels::dead_fraction)
  Sigmoid,  ///< saturated fraction with asymptotes 0 and 1
  Tanh,     ///< saturated fraction with asymptotes −1 and 1
};

/// \brief One layer's statistics at one step. NaN where a statistic does not apply
/// (dead fraction of a non-ReLU layer, no activation observed, …).
struct LayerStats {
  std::string name;                ///< the name given to watch()
  Scalar grad_norm = 0.0;          ///< ‖∂L/∂W‖ before the update
  Scalar update_ratio = 0.0;       ///< ‖ΔW‖ / ‖W_before‖
  Scalar dead_fraction = 0.0;      ///< ReLU layers: dead columns / D
  Scalar saturated_fraction = 0.0; ///< sigmoid/tanh layers: saturated share of the activations
};

/// \brief One training step's record.
struct StepRecord {
  std::int64_t step = 0;           ///< 0, 1, 2, …: the index of the record
  Scalar loss = 0.0;               ///< the loss given to after_update()
  Scalar lr = 0.0;                 ///< the learning rate given to after_update()
  std::vector<LayerStats> layers;  ///< in the order of watch()
};

/// \brief Records, at every step of a training loop, the loss, the learning rate and
/// per watched layer the gradient norm, the update-to-weight ratio and the dead or
/// saturated unit fraction (lab 09's kernels).
class GradientMonitor {
 public:
  /// \brief \p saturation_margin in (0, 0.5) (else gradlab::Error): how close to an
  /// asymptote a sigmoid/tanh activation counts as saturated.
  explicit GradientMonitor(Scalar saturation_margin = 0.01);
  /// \brief Watches the weight \p weight (a handle sharing the layer's parameter) of a
  /// layer followed by an activation of kind \p kind. Returns the layer's index.
  std::size_t watch(std::string name, Tensor weight, UnitKind kind = UnitKind::Linear);
  /// \brief The activation output \p a `[N, D]` of layer \p layer in this step's forward pass.
  void observe(std::size_t layer, const Matrix& a);
  /// \brief After backward(), before the optimizer's step: gradient norms, weights kept.
  void before_update();
  /// \brief After the optimizer's step: update ratios; appends one StepRecord.
  void after_update(Scalar loss, Scalar lr);
  /// \brief Every record so far, one per after_update().
  const std::vector<StepRecord>& records() const { return records_; }
  /// \brief The number of watched layers.
  std::size_t layers() const { return watched_.size(); }

 private:
  struct Watched {
    std::string name;
    Tensor weight;
    UnitKind kind;
    Matrix before;      // the weights at before_update()
    Scalar grad_norm;   // at before_update()
    Scalar dead;        // from observe()
    Scalar saturated;   // from observe()
  };
  Scalar margin_;
  bool pending_ = false;
  std::vector<Watched> watched_;
  std::vector<StepRecord> records_;
};

}  // namespace gradlab
