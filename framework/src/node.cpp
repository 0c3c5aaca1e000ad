#include "gradlab/node.h"

#include <cstddef>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gradlab {

namespace {

// Matrices of fewer elements go straight back to malloc, which serves them from its
// own free lists without touching new pages.
constexpr Index kSmallestCached = 2048;             // 16 KiB of doubles
constexpr std::size_t kCacheLimitBytes = 256u << 20;  // per thread

// The per-thread cache of new_matrix(): free matrices by element count. Only memory
// that new_matrix() handed out comes back: a matrix the caller allocated itself (a
// batch of data, say) would pile up here, as nothing would ever ask for it again.
struct MatrixCache {
  std::unordered_map<Index, std::vector<Matrix>> free_by_size;
  std::unordered_set<const Scalar*> handed_out;
  std::size_t bytes = 0;
  ~MatrixCache();
};

// Set once this thread's cache is destroyed (thread exit, or the end of main for the
// main thread): nodes freed after that, by static objects, free their memory directly.
thread_local bool cache_destroyed = false;
MatrixCache::~MatrixCache() { cache_destroyed = true; }

MatrixCache* this_thread_cache() {
  thread_local MatrixCache cache;
  return cache_destroyed ? nullptr : &cache;
}

}  // namespace

Matrix new_matrix(Index rows, Index cols) {
  MatrixCache* cache = this_thread_cache();
  if (cache == nullptr || rows * cols < kSmallestCached) return Matrix(rows, cols);
  Matrix m;
  auto it = cache->free_by_size.find(rows * cols);
  if (it != cache->free_by_size.end() && !it->second.empty()) {
    m = std::move(it->second.back());
    it->second.pop_back();
    cache->bytes -= static_cast<std::size_t>(m.size()) * sizeof(Scalar);
    m.resize(rows, cols);  // the same number of elements: Eigen keeps the memory
  } else {
    m.resize(rows, cols);
  }
  cache->handed_out.insert(m.data());
  return m;
}

void recycle(Matrix& m) {
  const auto bytes = static_cast<std::size_t>(m.size()) * sizeof(Scalar);
  MatrixCache* cache = this_thread_cache();
  if (cache != nullptr && m.size() >= kSmallestCached && cache->handed_out.erase(m.data()) == 1 &&
      cache->bytes + bytes <= kCacheLimitBytes) {
    cache->free_by_size[m.size()].push_back(std::move(m));
    cache->bytes += bytes;
  }
  m.resize(0, 0);  // a moved-from Eigen matrix is already empty; otherwise this frees it
}

Matrix& Node::ensure_grad() {
  if (grad.rows() != value.rows() || grad.cols() != value.cols()) zero_grad();
  return grad;
}

void Node::zero_grad() {
  if (grad.rows() != value.rows() || grad.cols() != value.cols()) {
    recycle(grad);
    grad = new_matrix(value.rows(), value.cols());
  }
  grad.setZero();
}

// Destroying a long chain a -> b -> c -> ... through shared_ptr destructors would
// recurse once per node and overflow the stack for deep graphs. Instead we move the
// parents we hold the last reference to onto an explicit stack and release them here.
Node::~Node() {
  recycle(value);
  recycle(grad);
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
