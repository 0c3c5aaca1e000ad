// The backward pass over the graph: topological_order and run_backward.
//
// These tests build graphs from two tiny operations defined right here (their backward
// closures are written in this file), so they depend only on the traversal, not on
// the other backward rules of the lab.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

#include "gradlab/kernels/backprop.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// y = s · x, with the backward rule dx += s · dy.
Tensor scaled(const Tensor& x, Scalar s) {
  Matrix y = s * x.value();
  return record_op(std::move(y), "scaled", {&x}, [s](Node& self) {
    self.parents[0]->ensure_grad() += s * self.grad;
  });
}

// y = a + b (same shapes), with the backward rules da += dy, db += dy.
Tensor plus(const Tensor& a, const Tensor& b) {
  Matrix y = a.value() + b.value();
  return record_op(std::move(y), "plus", {&a, &b}, [](Node& self) {
    for (auto& parent : self.parents) {
      if (Matrix* g = parent->grad_or_null()) *g += self.grad;
    }
  });
}

Scalar grad_of(const Tensor& t) { return t.grad()(0, 0); }

// Checks the contract of topological_order: every node that requires a gradient and
// is reachable from the root appears exactly once, after all of its parents.
::testing::AssertionResult is_topological(const std::vector<Node*>& order, Node& root) {
  std::unordered_map<Node*, std::size_t> position;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (!position.emplace(order[i], i).second) {
      return ::testing::AssertionFailure()
             << "node " << order[i] << " (" << order[i]->op << ") appears twice in the order "
             << "(at " << position[order[i]] << " and " << i << "): each node must be listed once";
    }
  }
  std::vector<Node*> stack{&root};
  std::unordered_set<Node*> seen{&root};
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    auto at = position.find(node);
    if (at == position.end()) {
      if (node->requires_grad) {
        return ::testing::AssertionFailure() << "a reachable node (" << node->op
                                             << ") is missing from the order";
      }
      continue;
    }
    for (auto& parent : node->parents) {
      auto pat = position.find(parent.get());
      if (pat != position.end() && pat->second > at->second) {
        return ::testing::AssertionFailure()
               << "node " << at->second << " (" << node->op << ") comes before its parent at "
               << pat->second << " (" << parent->op << "): every node must come after all of its "
               << "inputs, so that the reverse walk visits it after all of its consumers";
      }
      if (seen.insert(parent.get()).second) stack.push_back(parent.get());
    }
  }
  if (order.empty() || order.back() != &root) {
    return ::testing::AssertionFailure() << "the root must come last in the order";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(Graph, SingleLeafIsItsOwnOrder) {
  Tensor x({{1.0}}, true);
  const auto order = kernels::topological_order(*x.node());
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0], x.node().get());
}

TEST(Graph, ChainGradientByHand) {
  // y = 5 · (3 · (2 · x)): dy/dx = 30.
  Tensor x({{1.0}}, true);
  Tensor y = scaled(scaled(scaled(x, 2.0), 3.0), 5.0);
  y.backward();
  EXPECT_EQ(grad_of(x), 30.0) << "the chain rule multiplies the local derivatives 2 · 3 · 5";
}

TEST(Graph, DiamondSumsBothPaths) {
  // w → x = 2w → a = 3x, b = 5x → c = a + b.   dc/dw = 2 · (3 + 5) = 16.
  // x is an interior node with two consumers: it may pass its gradient on only after
  // both a and b have added theirs.
  Tensor w({{1.0}}, true);
  Tensor x = scaled(w, 2.0);
  Tensor a = scaled(x, 3.0);
  Tensor b = scaled(x, 5.0);
  Tensor c = plus(a, b);
  c.backward();
  EXPECT_EQ(grad_of(w), 16.0)
      << "dc/dw = 2 · (3 + 5) = 16; 2 · 3 = 6 or 2 · 5 = 10 means x passed its gradient back "
         "before both of its consumers had added to it (walk the order from the back, and make "
         "the order list every node after all of its parents)";
  EXPECT_EQ(grad_of(x), 8.0) << "dc/dx = 3 + 5";
  EXPECT_TRUE(is_topological(kernels::topological_order(*c.node()), *c.node()));
}

TEST(Graph, DiamondWithTheLongPathFirst) {
  // c = (7 · (2 · x)) + x: the first parent of c reaches x through a long path, the
  // second directly. dc/dw = 3 · (14 + 1) = 45 where x = 3w.
  Tensor w({{1.0}}, true);
  Tensor x = scaled(w, 3.0);
  Tensor c = plus(scaled(scaled(x, 2.0), 7.0), x);
  c.backward();
  EXPECT_EQ(grad_of(w), 45.0) << "x has two consumers; it must run after both";
  Tensor c2 = plus(x, scaled(scaled(x, 2.0), 7.0));  // the same, parents swapped
  w.zero_grad();
  c2.backward();
  EXPECT_EQ(grad_of(w), 45.0) << "x has two consumers; it must run after both";
}

TEST(Graph, TensorUsedTwiceByOneOperation) {
  // y = x + x through one node whose two parents are the same node.
  Tensor w({{1.0}}, true);
  Tensor x = scaled(w, 3.0);
  Tensor y = plus(x, x);
  y.backward();
  EXPECT_EQ(grad_of(w), 6.0) << "y = 2 · 3w";
  const auto order = kernels::topological_order(*y.node());
  EXPECT_EQ(order.size(), 3u) << "w, x, y: x is listed once even though y uses it twice";
}

TEST(Graph, GradientsAccumulateOverBackwardCallsUntilZeroGrad) {
  Tensor w({{1.0}}, true);
  Tensor y = scaled(scaled(w, 2.0), 3.0);
  y.backward();
  EXPECT_EQ(grad_of(w), 6.0);
  y.backward();
  EXPECT_EQ(grad_of(w), 12.0) << "a leaf's gradient accumulates over backward calls";
  w.zero_grad();
  y.backward();
  EXPECT_EQ(grad_of(w), 6.0) << "after zero_grad, one pass's worth";
}

TEST(Graph, InteriorGradientsAreNotDoubleCountedOnASecondBackward) {
  Tensor w({{1.0}}, true);
  Tensor x = scaled(w, 2.0);
  Tensor a = scaled(x, 3.0);
  Tensor c = plus(a, scaled(x, 5.0));
  c.backward();
  c.backward();
  EXPECT_EQ(grad_of(x), 8.0) << "an interior gradient describes the last pass only";
  EXPECT_EQ(grad_of(w), 32.0) << "the leaf receives 16 per pass, twice; more means the interior "
                                 "gradient carried over from the first pass";
}

TEST(Graph, EveryNodeRunsExactlyOnce) {
  // Counts how often each backward closure runs in one pass.
  int runs = 0;
  Tensor w({{1.0}}, true);
  auto counted = [&runs](const Tensor& x) {
    return record_op(x.value(), "counted", {&x}, [&runs](Node& self) {
      ++runs;
      self.parents[0]->ensure_grad() += self.grad;
    });
  };
  Tensor x = counted(w);
  Tensor y = plus(counted(x), counted(x));
  y.backward();
  EXPECT_EQ(runs, 3) << "three nodes with a closure, each must run once per pass";
  EXPECT_EQ(grad_of(w), 2.0);
}

TEST(Graph, ConstantsReceiveNoGradient) {
  Tensor w({{2.0}}, true);
  Tensor k({{10.0}});  // a constant
  Tensor y = plus(scaled(w, 3.0), scaled(k, 4.0));  // the k branch is constant too
  EXPECT_FALSE(scaled(k, 4.0).requires_grad());
  y.backward();
  EXPECT_EQ(grad_of(w), 3.0);
  EXPECT_EQ(k.node()->grad.size(), 0) << "a constant's gradient is never allocated";
  EXPECT_TRUE(is_topological(kernels::topological_order(*y.node()), *y.node()));
}

TEST(Graph, TopologicalOrderOfARandomGraph) {
  // 200 nodes, each combining one or two random earlier nodes; the root sums the last few.
  Rng rng(5);
  std::vector<Tensor> nodes{Tensor({{1.0}}, true), Tensor({{2.0}}, true), Tensor({{3.0}})};
  for (int i = 0; i < 200; ++i) {
    const Tensor& a = nodes[static_cast<std::size_t>(rng.index(static_cast<Index>(nodes.size())))];
    const Tensor& b = nodes[static_cast<std::size_t>(rng.index(static_cast<Index>(nodes.size())))];
    nodes.push_back(rng.uniform() < 0.5 ? scaled(a, 0.5) : plus(a, b));
  }
  Tensor root = plus(plus(nodes[200], nodes[201]), nodes[202]);
  const auto order = kernels::topological_order(*root.node());
  EXPECT_TRUE(is_topological(order, *root.node()));
}

TEST(Graph, TopologicalOrderListsEachSharedNodeOnce) {
  // x feeds 50 consumers that are all summed: x must appear once.
  Tensor x({{1.0}}, true);
  Tensor total = scaled(x, 1.0);
  for (int i = 0; i < 50; ++i) total = plus(total, scaled(x, 1.0));
  const auto order = kernels::topological_order(*total.node());
  EXPECT_EQ(std::count(order.begin(), order.end(), x.node().get()), 1);
  EXPECT_EQ(order.size(), 1u + 51u + 50u) << "x, 51 scaled nodes, 50 sums";
  EXPECT_TRUE(is_topological(order, *total.node()));
  total.backward();
  EXPECT_EQ(grad_of(x), 51.0);
}

TEST(Graph, DeepChainOfTenThousandNodes) {
  // No recursion: neither the order, nor the backward pass, nor the destruction may
  // use one stack frame per node.
  Tensor w({{1.0}}, true);
  {
    Tensor y = w;
    for (int i = 0; i < 10000; ++i) y = scaled(y, 1.0);
    EXPECT_EQ(kernels::topological_order(*y.node()).size(), 10001u);
    y.backward();
    EXPECT_EQ(grad_of(w), 1.0);
  }  // the chain is destroyed here
  EXPECT_EQ(grad_of(w), 1.0);
}

TEST(Graph, DeepChainWithAShortcut) {
  // y = chain(x) + x with a 10,000-node chain: x must wait for the whole chain.
  Tensor w({{1.0}}, true);
  Tensor x = scaled(w, 2.0);
  Tensor y = x;
  for (int i = 0; i < 10000; ++i) y = scaled(y, 1.0);
  Tensor z = plus(x, y);
  z.backward();
  EXPECT_EQ(grad_of(w), 4.0) << "two paths from x, each with derivative 1, times dx/dw = 2";
}

TEST(Graph, VeryDeepChainWithoutRecursion) {
  // 200,000 nodes: a recursive depth-first search overflows the default 8 MB stack.
  Tensor w({{1.0}}, true);
  Tensor y = w;
  for (int i = 0; i < 200000; ++i) y = scaled(y, 1.0);
  y.backward();
  EXPECT_EQ(grad_of(w), 1.0);
}

TEST(Graph, BackwardWithAnUpstreamGradient) {
  Tensor w({{1.0, 2.0}}, true);
  Tensor y = plus(scaled(w, 3.0), w);
  y.backward((Matrix(1, 2) << 1.0, -2.0).finished());
  EXPECT_EQ(w.grad(), (Matrix(1, 2) << 4.0, -8.0).finished()) << "got " << str(w.grad());
}
