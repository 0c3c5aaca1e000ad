// A spiral classifier trained with the tools of labs 05-07, as a PyTorch user would
// write it: AdamW, a linear warmup into a cosine decay, dropout, clipping by norm.
#include "gradlab/datasets/synthetic.h"
#include "gradlab/gradlab.h"

#include <cstdio>
#include <memory>

using namespace gradlab;

int main() {
  manual_seed(0);
  Rng data_rng(1);
  const auto train = datasets::spiral(3, 200, 0.1, data_rng), valid = datasets::spiral(3, 100, 0.1, data_rng);

  Sequential model({std::make_shared<Linear>(2, 128), std::make_shared<ReLU>(), std::make_shared<Dropout>(0.1),
                    std::make_shared<Linear>(128, 128), std::make_shared<ReLU>(), std::make_shared<Linear>(128, 3)});
  AdamW optimizer(model.parameters(), {.lr = 0.01, .weight_decay = 1e-2});
  WarmupCosineLR schedule(optimizer, {.warmup_steps = 20, .total_steps = 400});

  for (int step = 1; step <= 400; ++step) {
    model.train();
    optimizer.zero_grad();
    Tensor loss = cross_entropy_loss(model(Tensor(train.x)), train.labels);
    loss.backward();
    const Scalar norm = clip_grad_norm_(model.parameters(), 1.0);
    optimizer.step();
    schedule.step();
    if (step % 100 == 0) {
      model.eval();
      NoGradGuard no_grad;
      std::printf("step %3d  loss %.4f  grad norm %.3f  lr %.5f  validation accuracy %.3f\n", step, loss.item(),
                  norm, optimizer.lr(), accuracy(model(Tensor(valid.x)), valid.labels));
    }
  }
}
