// The whole training loop of a small MLP on three interleaved spirals, the way it is
// written in PyTorch: a model, an optimizer, and four lines per step.
#include "gradlab/datasets/synthetic.h"
#include "gradlab/gradlab.h"

#include <cstdio>
#include <memory>

using namespace gradlab;

int main() {
  manual_seed(0);  // the layers' initial weights come from the default generator
  Rng data_rng(1);
  const auto data = datasets::spiral(3, 100, 0.1, data_rng);  // 300 points in 2-D, 3 classes
  const Tensor x(data.x);

  Sequential model({std::make_shared<Linear>(2, 64), std::make_shared<ReLU>(),
                    std::make_shared<Linear>(64, 64), std::make_shared<ReLU>(),
                    std::make_shared<Linear>(64, 3)});
  Adam optimizer(model.parameters(), {.lr = 0.01});

  for (int epoch = 1; epoch <= 300; ++epoch) {
    optimizer.zero_grad();
    Tensor loss = cross_entropy_loss(model(x), data.labels);
    loss.backward();
    optimizer.step();
    if (epoch % 100 == 0) {
      NoGradGuard no_grad;  // evaluation records no graph
      std::printf("epoch %3d  loss %.4f  accuracy %.3f\n", epoch, loss.item(),
                  accuracy(model(x), data.labels));
    }
  }
}
