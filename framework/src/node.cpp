#include "gradlab/node.h"

namespace gradlab {

Matrix& Node::ensure_grad() {
  if (grad.rows() != value.rows() || grad.cols() != value.cols()) {
    grad = Matrix::Zero(value.rows(), value.cols());
  }
  return grad;
}

// Destroying a long chain a -> b -> c -> ... through shared_ptr destructors would
// recurse once per node and overflow the stack for deep graphs. Instead we move the
// parents we hold the last reference to onto an explicit stack and release them here.
Node::~Node() {
  std::vector<std::shared_ptr<Node>> pending = std::move(parents);
  while (!pending.empty()) {
    std::shared_ptr<Node> node = std::move(pending.back());
    pending.pop_back();
    if (node && node.use_count() == 1) {
      for (auto& parent : node->parents) pending.push_back(std::move(parent));
      node->parents.clear();
    }
    // `node` is released here; its parents were already taken, so no recursion.
  }
}

}  // namespace gradlab
