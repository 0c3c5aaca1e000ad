// An MLP (2 → 8 → tanh → 1) learns XOR with gradlab's reference framework: the same
// program whether gradlab was found with find_package or added as a subdirectory.
// It uses the engine (Tensor, autograd, Linear, Adam) and the kernels of several labs
// (tanh: lab 02; MSE: lab 03; the matrix product: lab 10; the Adam step: lab 05), so it
// links only if the library holds all of them. Exit code 0 when the loss fell.
#include "gradlab/gradlab.h"

#include <cstdio>

int main() {
  using namespace gradlab;
  const Tensor x({{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  const Tensor y({{0}, {1}, {1}, {0}});

  Rng rng(7);
  auto hidden = std::make_shared<Linear>(2, 8, rng);
  auto output = std::make_shared<Linear>(8, 1, rng);
  Sequential model({hidden, std::make_shared<Tanh>(), output});
  Adam optimizer(model.parameters(), AdamOptions{.lr = 0.05});

  Scalar first = 0.0, last = 0.0;
  for (int step = 0; step < 300; ++step) {
    optimizer.zero_grad();
    Tensor loss = mse_loss(model(x), y);
    loss.backward();
    optimizer.step();
    (step == 0 ? first : last) = loss.item();
  }
  std::printf("gradlab example: XOR loss %.4f -> %.4f after 300 Adam steps\n", first, last);
  return last < 0.1 * first ? 0 : 1;
}
