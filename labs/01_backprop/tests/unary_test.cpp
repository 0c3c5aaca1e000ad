// Unary operations: neg, add_scalar, mul_scalar, exp, log, pow, sqrt, abs, maximum, minimum.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::testing;

namespace {

struct UnaryCase {
  const char* name;
  ElementwiseFunction f;
  Tensor x;  // an input inside the op's domain, at least 0.1 away from kinks
};

// Printed by GoogleTest in failure messages (instead of the raw bytes).
void PrintTo(const UnaryCase& c, std::ostream* os) { *os << c.name; }


std::vector<UnaryCase> unary_cases() {
  return {
      {"neg", [](const Tensor& x) { return -x; }, random_tensor(3, 4, 1)},
      {"add_scalar", [](const Tensor& x) { return x + 2.5; }, random_tensor(3, 4, 2)},
      {"mul_scalar", [](const Tensor& x) { return x * -3.0; }, random_tensor(3, 4, 3)},
      {"exp", [](const Tensor& x) { return exp(x); }, random_tensor(3, 4, 4, -2.0, 2.0)},
      {"log", [](const Tensor& x) { return log(x); }, random_tensor(3, 4, 5, 0.2, 3.0)},
      {"pow3", [](const Tensor& x) { return pow(x, 3.0); }, random_tensor(3, 4, 6, -2.0, 2.0)},
      {"pow_half", [](const Tensor& x) { return pow(x, 0.5); }, random_tensor(3, 4, 7, 0.2, 3.0)},
      {"pow_minus2", [](const Tensor& x) { return pow(x, -2.0); }, random_tensor(3, 4, 8, 0.5, 2.0)},
      {"sqrt", [](const Tensor& x) { return sqrt(x); }, random_tensor(3, 4, 9, 0.2, 3.0)},
      {"abs", [](const Tensor& x) { return abs(x); },
       Tensor(away_from_kink(random_matrix(3, 4, 10, -2.0, 2.0), 0.0, 0.1))},
      {"maximum", [](const Tensor& x) { return maximum(x, 0.3); },
       Tensor(away_from_kink(random_matrix(3, 4, 11, -2.0, 2.0), 0.3, 0.1))},
      {"minimum", [](const Tensor& x) { return minimum(x, -0.2); },
       Tensor(away_from_kink(random_matrix(3, 4, 12, -2.0, 2.0), -0.2, 0.1))},
  };
}

std::string case_name(const ::testing::TestParamInfo<UnaryCase>& info) { return info.param.name; }

class UnaryGrad : public ::testing::TestWithParam<UnaryCase> {};

}  // namespace

TEST_P(UnaryGrad, MatchesFiniteDifferences) {
  const auto& c = GetParam();
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return c.f(in[0]); }, {c.x}, {}, {"x"}))
      << c.name;
}

TEST_P(UnaryGrad, Accumulates) {
  const auto& c = GetParam();
  EXPECT_TRUE(accumulates([&](const std::vector<Tensor>& in) { return c.f(in[0]); }, {c.x}, {"x"}))
      << c.name;
}

TEST_P(UnaryGrad, AddsToOtherUsesOfTheInput) {
  // y = f(x) + 2x: the other branch's contribution reaches x first; f's rule must add
  // to it (2x rather than x, so that −x + 2x = x still depends on x).
  const auto& c = GetParam();
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return c.f(in[0]) + in[0] * 2.0; }, {c.x}, {},
                              {"x"}))
      << c.name << "(x) + 2x";
}

INSTANTIATE_TEST_SUITE_P(Ops, UnaryGrad, ::testing::ValuesIn(unary_cases()), case_name);

TEST(UnaryGradByHand, KnownDerivatives) {
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return -x; }, 5.0), -1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return x + 7.0; }, 5.0), 1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return x * 3.0; }, 5.0), 3.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return exp(x); }, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return exp(x); }, 1.0), std::exp(1.0));
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return log(x); }, 2.0), 0.5)
      << "d/dx ln x = 1/x, which is 0.5 at x = 2";
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return pow(x, 3.0); }, 2.0), 12.0)
      << "d/dx x³ = 3x², which is 12 at x = 2";
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return sqrt(x); }, 4.0), 0.25)
      << "d/dx √x = 1/(2√x), which is 0.25 at x = 4";
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return abs(x); }, -3.0), -1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return abs(x); }, 3.0), 1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return maximum(x, 1.0); }, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return maximum(x, 1.0); }, 0.0), 0.0)
      << "max(x, 1) is constant where x < 1";
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return minimum(x, 1.0); }, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return minimum(x, 1.0); }, 2.0), 0.0)
      << "min(x, 1) is constant where x > 1";
}

TEST(UnaryGradByHand, AbsHasZeroDerivativeAtZero) {
  EXPECT_EQ(derivative_of([](const Tensor& x) { return abs(x); }, 0.0), 0.0)
      << "the convention of the course: d|x|/dx at 0 is 0";
  EXPECT_EQ(derivative_of([](const Tensor& x) { return abs(x); }, row({0.0, -2.0, 2.0})), row({0.0, -1.0, 1.0}));
}

TEST(UnaryGradByHand, ReluAsMaximumWithZero) {
  // relu(x) = max(x, 0): gradient passes where x > 0 and is blocked elsewhere.
  Tensor x({{-1.0, 0.5, 2.0, -0.1}}, true);
  maximum(x, 0.0).backward((Matrix(1, 4) << 1, 2, 3, 4).finished());
  EXPECT_EQ(x.grad(), (Matrix(1, 4) << 0, 2, 3, 0).finished()) << "got " << str(x.grad());
}

TEST(UnaryGradByHand, HugeAndTinyInputsStayFinite) {
  // log and sqrt of tiny positive numbers, exp of large ones: large but finite gradients.
  Tensor x({{1e-12, 1e12}}, true);
  sum(log(x) + sqrt(x)).backward();
  EXPECT_TRUE(all_finite(x.grad())) << str(x.grad());
  EXPECT_NEAR(x.grad()(0, 0), 1e12 + 0.5e6, 1.0);
  Tensor z({{50.0}}, true);
  exp(z).backward();
  EXPECT_DOUBLE_EQ(z.grad()(0, 0), std::exp(50.0));
}

TEST(UnaryGradByHand, MaximumAndMinimumAtATieSendNoGradient) {
  // max(x, s) and min(x, s) have a kink where x = s. The course's convention: the
  // gradient reaches x only where x wins strictly (x > s for max, x < s for min), so at a
  // tie it is 0, as for ReLU = max(x, 0) at x = 0. With dy = (1, 2, 3):
  //   max(x, 0.5) at x = (0.5, 0.7, 0.2): dx = (0, 2, 0)
  //   min(x, 0.5) at x = (0.5, 0.7, 0.2): dx = (0, 0, 3)
  //   max(x, 0)   at x = (0, −0, 1e-300): dx = (0, 0, 3)   (−0 = 0 is a tie as well)
  const Matrix dy = row({1.0, 2.0, 3.0});
  Tensor a({{0.5, 0.7, 0.2}}, true);
  maximum(a, 0.5).backward(dy);
  EXPECT_EQ(a.grad(), row({0.0, 2.0, 0.0})) << "max(x, s) at x = s: got " << str(a.grad());
  Tensor b({{0.5, 0.7, 0.2}}, true);
  minimum(b, 0.5).backward(dy);
  EXPECT_EQ(b.grad(), row({0.0, 0.0, 3.0})) << "min(x, s) at x = s: got " << str(b.grad());
  Tensor c({{0.0, -0.0, 1e-300}}, true);
  maximum(c, 0.0).backward(dy);
  EXPECT_EQ(c.grad(), row({0.0, 0.0, 3.0})) << "max(x, 0) at x = 0 and x = −0: got " << str(c.grad());
}

TEST(UnaryGradByHand, PowersAtZeroAndAtNegativeInputs) {
  // d/dx xᵖ = p xᵖ⁻¹ is finite at x = 0 for p ≥ 1: 3·0² = 0, 2·0¹ = 0, 1·0⁰ = 1 (0⁰ = 1).
  // Writing it as p·y/x (with y = xᵖ) gives 0/0 = NaN there.
  EXPECT_EQ(derivative_of([](const Tensor& x) { return pow(x, 3.0); }, 0.0), 0.0) << "3x² at x = 0";
  EXPECT_EQ(derivative_of([](const Tensor& x) { return pow(x, 2.0); }, 0.0), 0.0) << "2x at x = 0";
  EXPECT_EQ(derivative_of([](const Tensor& x) { return pow(x, 1.0); }, 0.0), 1.0) << "1·x⁰ = 1 at x = 0";
  // Integer powers of a negative base: 2·(−1.5) = −3, 3·(−1.5)² = 6.75.
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return pow(x, 2.0); }, -1.5), -3.0);
  EXPECT_DOUBLE_EQ(derivative_of([](const Tensor& x) { return pow(x, 3.0); }, -1.5), 6.75);
  // The kink of |x|: sign(−0) is 0 too.
  EXPECT_EQ(derivative_of([](const Tensor& x) { return abs(x); }, -0.0), 0.0) << "d|x|/dx at −0 is 0 as well";
}
