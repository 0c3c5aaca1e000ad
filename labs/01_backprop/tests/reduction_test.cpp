// Reductions (sum and mean, of everything or along one axis) and row selection.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::testing;

namespace {

struct ReductionCase {
  const char* name;
  std::function<Tensor(const Tensor&)> f;
};

// Printed by GoogleTest in failure messages (instead of the raw bytes).
void PrintTo(const ReductionCase& c, std::ostream* os) { *os << c.name; }


std::vector<ReductionCase> reduction_cases() {
  return {
      {"sum_all", [](const Tensor& x) { return sum(x); }},
      {"sum_rows", [](const Tensor& x) { return sum(x, Axis::Rows); }},
      {"sum_cols", [](const Tensor& x) { return sum(x, Axis::Cols); }},
      {"mean_all", [](const Tensor& x) { return mean(x); }},
      {"mean_rows", [](const Tensor& x) { return mean(x, Axis::Rows); }},
      {"mean_cols", [](const Tensor& x) { return mean(x, Axis::Cols); }},
      {"select_rows",
       [](const Tensor& x) {
         std::vector<Index> rows{2, 0, 2, 2};  // repeats; wrapped for inputs with fewer rows
         for (Index& r : rows) r %= x.rows();
         return select_rows(x, rows);
       }},
  };
}

std::string case_name(const ::testing::TestParamInfo<ReductionCase>& info) { return info.param.name; }

class ReductionGrad : public ::testing::TestWithParam<ReductionCase> {};

}  // namespace

TEST_P(ReductionGrad, MatchesFiniteDifferences) {
  // x: [3, 5], so a mean over rows (n = 3) and over columns (n = 5) differ.
  const auto& c = GetParam();
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return c.f(in[0]); },
                              {random_tensor(3, 5, 1)}, {}, {"x"}))
      << c.name << " of a [3, 5] input";
}

TEST_P(ReductionGrad, Accumulates) {
  const auto& c = GetParam();
  EXPECT_TRUE(accumulates([&](const std::vector<Tensor>& in) { return c.f(in[0]); },
                          {random_tensor(3, 5, 2)}, {"x"}))
      << c.name;
}

TEST_P(ReductionGrad, BatchOfOne) {
  const auto& c = GetParam();
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return c.f(in[0]); },
                              {random_tensor(1, 4, 3)}, {}, {"x"}))
      << c.name << " of a [1, 4] input";
}

INSTANTIATE_TEST_SUITE_P(Ops, ReductionGrad, ::testing::ValuesIn(reduction_cases()), case_name);

TEST(ReductionGradByHand, SumSpreadsTheUpstreamGradient) {
  Tensor x = Tensor::zeros(2, 3, true);
  sum(x).backward((Matrix(1, 1) << 2.0).finished());
  EXPECT_EQ(x.grad(), Matrix::Constant(2, 3, 2.0)) << "every element of x receives dL/dsum; got "
                                                   << str(x.grad());
  x.zero_grad();
  sum(x, Axis::Rows).backward((Matrix(1, 3) << 1, 2, 3).finished());
  EXPECT_EQ(x.grad(), (Matrix(2, 3) << 1, 2, 3, 1, 2, 3).finished())
      << "column j's sum passes its gradient to every row of column j; got " << str(x.grad());
  x.zero_grad();
  sum(x, Axis::Cols).backward((Matrix(2, 1) << 1, 2).finished());
  EXPECT_EQ(x.grad(), (Matrix(2, 3) << 1, 1, 1, 2, 2, 2).finished()) << "got " << str(x.grad());
}

TEST(ReductionGradByHand, MeanDividesByTheCount) {
  // x: [2, 3]; mean of all: n = 6; over rows: n = 2; over columns: n = 3.
  Tensor x = Tensor::zeros(2, 3, true);
  mean(x).backward();
  EXPECT_EQ(x.grad(), Matrix::Constant(2, 3, 1.0 / 6.0))
      << "the mean of 6 numbers has gradient 1/6 for each; got " << str(x.grad());
  x.zero_grad();
  mean(x, Axis::Rows).backward(Matrix::Ones(1, 3));
  EXPECT_EQ(x.grad(), Matrix::Constant(2, 3, 0.5))
      << "a mean over 2 rows has gradient 1/2 per element; got " << str(x.grad());
  x.zero_grad();
  mean(x, Axis::Cols).backward(Matrix::Ones(2, 1));
  EXPECT_EQ(x.grad(), Matrix::Constant(2, 3, 1.0 / 3.0))
      << "a mean over 3 columns has gradient 1/3 per element; got " << str(x.grad());
}

TEST(ReductionGradByHand, RepeatedRowsReceiveEveryGradient) {
  // select_rows(x, {2, 0, 2, 2}): row 2 was picked three times, row 1 never.
  Tensor x = Tensor::zeros(3, 2, true);
  Tensor y = select_rows(x, {2, 0, 2, 2});
  y.backward((Matrix(4, 2) << 1, 1, 10, 10, 100, 100, 1000, 1000).finished());
  EXPECT_EQ(x.grad(), (Matrix(3, 2) << 10, 10, 0, 0, 1101, 1101).finished())
      << "row 2 was selected at positions 0, 2 and 3: it receives 1 + 100 + 1000; got "
      << str(x.grad());
}

TEST(ReductionGradByHand, EmptySelectionAndEmptySum) {
  Tensor x = random_tensor(3, 2, 4).set_requires_grad(true);
  Tensor y = select_rows(x, {});
  EXPECT_EQ(y.rows(), 0);
  y.backward(Matrix::Zero(0, 2));
  EXPECT_EQ(x.grad(), Matrix::Zero(3, 2));
  Tensor e = Tensor::zeros(0, 3, true);
  sum(e, Axis::Rows).backward(Matrix::Ones(1, 3));
  EXPECT_EQ(e.grad().rows(), 0);
  // Row 2 selected twice receives both rows of dy; the others nothing.
  Tensor x2 = random_tensor(3, 2, 5).set_requires_grad(true);
  select_rows(x2, {2, 2}).backward(mat({{1.0, 2.0}, {10.0, 20.0}}));
  EXPECT_EQ(x2.grad(), mat({{0.0, 0.0}, {0.0, 0.0}, {11.0, 22.0}})) << "got " << str(x2.grad());
}

TEST(ReductionGradByHand, MeanSquaredErrorByHand) {
  // L = mean((p - t)²) over 4 values: dL/dp = 2 (p - t) / 4.
  Tensor p({{1.0, 2.0}, {3.0, 4.0}}, true);
  Tensor t({{0.0, 0.0}, {0.0, 8.0}});
  Tensor d = p - t;
  mean(d * d).backward();
  EXPECT_EQ(p.grad(), (Matrix(2, 2) << 0.5, 1.0, 1.5, -2.0).finished()) << "got " << str(p.grad());
}
