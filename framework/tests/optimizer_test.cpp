// The optimizers' plumbing (gradlab/optimizer.h) that does not depend on lab 05's
// kernels: option validation, parameter registration, learning rates per group, state
// loading checks. The update rules and the step loop are tested by lab 05.
#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <functional>
#include <string>

using namespace gradlab;
using namespace gradlab::testing;

TEST(Optimizer, SetLrChangesEveryGroupAndSetGroupLrOnlyOne) {
  Tensor a(row({0.0}), true), b(row({0.0}), true);
  RMSprop opt({{{a}, RMSpropOptions{.lr = 0.1}}, {{b}, RMSpropOptions{.lr = 0.2}}});
  opt.set_group_lr(1, 0.3);
  EXPECT_EQ(opt.group_lr(0), 0.1);
  EXPECT_EQ(opt.group_lr(1), 0.3);
  opt.set_lr(0.05);
  EXPECT_EQ(opt.group_lr(0), 0.05);
  EXPECT_EQ(opt.group_lr(1), 0.05);
  EXPECT_EQ(opt.lr(), 0.05);
  EXPECT_TRUE(throws_error_mentioning([&] { opt.set_group_lr(0, -1.0); }, {"lr", ">= 0", "-1"}));
  EXPECT_TRUE(throws_error_mentioning([&] { opt.set_group_lr(2, 0.1); }, {"group 2"}));
}

TEST(Optimizer, LoadStateChecksCountAndShapes) {
  Tensor p(Matrix::Zero(2, 2), true);
  Adam opt({p});
  EXPECT_TRUE(throws_error_mentioning([&] { opt.load_state({}, 0); }, {"0 states", "1 parameters"}));
  ParamState wrong;
  wrong.buffers["exp_avg"] = Matrix::Zero(3, 2);
  EXPECT_TRUE(throws_error_mentioning([&] { opt.load_state({wrong}, 1); }, {"exp_avg", "[3, 2]", "[2, 2]"}));
}

TEST(Optimizer, RejectsNonParametersAndDuplicates) {
  Tensor p(row({1.0}), true);
  EXPECT_TRUE(throws_error_mentioning([&] { SGD({Tensor(row({1.0}))}, 0.1); }, {"does not require a gradient"}));
  EXPECT_TRUE(throws_error_mentioning([&] { SGD({p, p}, 0.1); }, {"twice"}));
}

TEST(OptimizerOptions, EveryInvalidValueIsNamedWithItsRange) {
  const auto rejects = [](const std::function<void()>& make, const std::string& name, const std::string& range) {
    return throws_error_mentioning(make, {name, range});
  };
  std::vector<Tensor> p{Tensor(row({1.0}), true)};
  EXPECT_TRUE(rejects([&] { SGD(p, -0.1); }, "lr", ">= 0"));
  EXPECT_TRUE(rejects([&] { SGD(p, SGDOptions{.momentum = 1.0}); }, "momentum", "[0, 1)"));
  EXPECT_TRUE(rejects([&] { SGD(p, SGDOptions{.dampening = 1.5}); }, "dampening", "[0, 1]"));
  EXPECT_TRUE(rejects([&] { SGD(p, SGDOptions{.weight_decay = -1}); }, "weight_decay", ">= 0"));
  EXPECT_TRUE(rejects([&] { SGD(p, SGDOptions{.nesterov = true}); }, "momentum", "nesterov"));
  EXPECT_TRUE(rejects([&] { SGD(p, SGDOptions{.momentum = 0.9, .dampening = 0.1, .nesterov = true}); }, "dampening",
                      "nesterov"));
  EXPECT_TRUE(rejects([&] { Adagrad(p, AdagradOptions{.lr_decay = -1}); }, "lr_decay", ">= 0"));
  EXPECT_TRUE(rejects([&] { Adagrad(p, AdagradOptions{.initial_accumulator_value = -1}); }, "initial_accumulator_value",
                      ">= 0"));
  EXPECT_TRUE(rejects([&] { Adagrad(p, AdagradOptions{.eps = 0}); }, "eps", "> 0"));
  EXPECT_TRUE(rejects([&] { RMSprop(p, RMSpropOptions{.alpha = 1.0}); }, "alpha", "[0, 1)"));
  EXPECT_TRUE(rejects([&] { RMSprop(p, RMSpropOptions{.eps = -1e-8}); }, "eps", "> 0"));
  EXPECT_TRUE(rejects([&] { RMSprop(p, RMSpropOptions{.momentum = -0.5}); }, "momentum", "[0, 1)"));
  EXPECT_TRUE(rejects([&] { Adam(p, AdamOptions{.beta1 = 1.0}); }, "beta1", "[0, 1)"));
  EXPECT_TRUE(rejects([&] { Adam(p, AdamOptions{.beta2 = -0.1}); }, "beta2", "[0, 1)"));
  EXPECT_TRUE(rejects([&] { Adam(p, AdamOptions{.eps = 0}); }, "eps", "> 0"));
  EXPECT_TRUE(rejects([&] { AdamW(p, AdamOptions{.lr = std::nan("")}); }, "lr", "finite"));
  EXPECT_TRUE(rejects([&] { Adam({{{p[0]}, AdamOptions{}}, {{}, AdamOptions{.weight_decay = -1}}}); }, "weight_decay",
                      ">= 0"));
}

TEST(OptimizerOptions, AdamWDefaultsToPyTorchsDecay) {
  Tensor theta(row({1.0}), true);
  AdamW opt({theta});
  EXPECT_EQ(opt.options().weight_decay, 0.01);
  EXPECT_EQ(opt.options().lr, 1e-3);
  Adam adam({theta});
  EXPECT_EQ(adam.options().weight_decay, 0.0);
}
