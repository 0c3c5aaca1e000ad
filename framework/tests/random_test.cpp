// Framework tests of gradlab/random.h: a generator's state round trip (what a checkpoint
// saves to resume the data loader's shuffles bit for bit).
#include "gradlab/random.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {
// A mix of every kind of draw: uniforms, integers, and normals (which come in pairs:
// after an odd number of them the generator holds a spare).
std::vector<Scalar> draws(Rng& rng) {
  std::vector<Scalar> out;
  for (int i = 0; i < 5; ++i) {
    out.push_back(rng.uniform());
    out.push_back(static_cast<Scalar>(rng.index(1000)));
    out.push_back(rng.normal());
  }
  return out;
}
}  // namespace

TEST(RngState, SetStateContinuesTheSameStreamIncludingTheSpareNormal) {
  Rng a(42);
  (void)a.normal();  // leaves a spare normal in the state
  const std::string saved = a.state();
  const std::vector<Scalar> expected = draws(a);

  Rng b(7);
  b.set_state(saved);
  EXPECT_EQ(draws(b), expected);
  EXPECT_EQ(b.state(), a.state());

  Rng fresh(42);
  EXPECT_NE(fresh.state(), saved) << "drawing changes the state";
}

TEST(RngState, ATextThatIsNotAStateIsAnErrorThatChangesNothing) {
  Rng rng(3);
  const std::string before = rng.state();
  for (const std::string& bad : {std::string(""), std::string("1 2 3"), before + " 5", std::string("not a state")}) {
    EXPECT_TRUE(throws_error_mentioning([&] { rng.set_state(bad); }, {"Rng::set_state"})) << bad;
    EXPECT_EQ(rng.state(), before);
  }
}
