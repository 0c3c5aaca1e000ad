/// \file
/// \brief Module: a piece of a network that owns parameters; Sequential chains them.
#pragma once

#include "gradlab/tensor.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gradlab {

/// \brief A parameter together with its dotted name, e.g. `"0.weight"`.
struct NamedParameter {
  std::string name;  ///< dotted path: child name, then the parameter's own name
  Tensor tensor;     ///< a handle sharing the module's parameter
};

/// \brief Base class of network layers: owns parameters and child modules.
///
/// A subclass registers its parameters (register_parameter) and children
/// (register_module) in its constructor and implements forward(). Modules start in
/// training mode; eval() switches layers such as dropout and batch norm to their
/// evaluation behaviour.
class Module {
 public:
  virtual ~Module() = default;

  /// \brief The layer's computation.
  virtual Tensor forward(const Tensor& x) = 0;
  /// \brief Same as forward().
  Tensor operator()(const Tensor& x) { return forward(x); }

  /// \brief Every parameter of this module and its children, depth first, with dotted names.
  std::vector<NamedParameter> named_parameters() const;
  /// \brief Every parameter (handles sharing the module's tensors).
  std::vector<Tensor> parameters() const;
  /// \brief Total number of scalar parameters.
  Index parameter_count() const;

  /// \brief Sets training (true) or evaluation (false) mode, here and in every child.
  void train(bool on = true);
  /// \brief `train(false)`.
  void eval() { train(false); }
  /// \brief Whether the module is in training mode.
  bool is_training() const { return training_; }
  /// \brief Zeroes the gradient of every parameter.
  void zero_grad();

 protected:
  /// \brief Adds a parameter (it is marked as requiring a gradient); returns the stored handle.
  Tensor& register_parameter(const std::string& name, Tensor tensor);
  /// \brief Adds a child module; its parameters are listed under `name.`.
  void register_module(const std::string& name, std::shared_ptr<Module> module);

 private:
  bool training_ = true;
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

/// \brief Applies its modules one after the other: `y = m_k(… m_2(m_1(x)))`.
class Sequential : public Module {
 public:
  Sequential() = default;
  /// \brief A chain of \p modules, named "0", "1", … in order.
  explicit Sequential(std::vector<std::shared_ptr<Module>> modules);
  /// \brief Appends \p module (named by its position); returns *this for chaining.
  Sequential& add(std::shared_ptr<Module> module);
  /// \brief Runs every module in order.
  Tensor forward(const Tensor& x) override;
  /// \brief The number of modules.
  std::size_t size() const { return modules_.size(); }
  /// \brief The module at position \p i.
  Module& operator[](std::size_t i) { return *modules_.at(i); }

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace gradlab
