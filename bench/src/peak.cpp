// The machine's double-precision peak, measured: every thread runs independent chains
// of fused multiply-adds on registers only (no memory traffic), with the widest vectors
// this build targets. The best of several runs is the peak: the roofline's flat roof.
#include "gradlab/bench/bench.h"

#include <omp.h>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace gradlab::bench {
namespace {

// 24 independent accumulators: more than FMA latency (4 cycles) x FMA ports (2).
constexpr int kChains = 24;

#if defined(__AVX512F__)
constexpr int kLanes = 8;
// Runs `iterations` rounds of kChains vector FMAs; returns a value that depends on all.
double fma_loop(long iterations) {
  __m512d acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_pd(1e-3 * i);
  const __m512d a = _mm512_set1_pd(0.999999), b = _mm512_set1_pd(1e-9);
  for (long it = 0; it < iterations; ++it) {
#pragma GCC unroll 24
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_pd(acc[i], a, b);
  }
  double sum = 0.0;
  for (int i = 0; i < kChains; ++i) sum += _mm512_reduce_add_pd(acc[i]);
  return sum;
}
#elif defined(__AVX2__) && defined(__FMA__)
constexpr int kLanes = 4;
double fma_loop(long iterations) {
  constexpr int chains = 12;  // 16 ymm registers
  __m256d acc[chains];
  for (int i = 0; i < chains; ++i) acc[i] = _mm256_set1_pd(1e-3 * i);
  const __m256d a = _mm256_set1_pd(0.999999), b = _mm256_set1_pd(1e-9);
  for (long it = 0; it < iterations * kChains / chains; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < chains; ++i) acc[i] = _mm256_fmadd_pd(acc[i], a, b);
  }
  alignas(32) double lanes[4];
  double sum = 0.0;
  for (int i = 0; i < chains; ++i) {
    _mm256_store_pd(lanes, acc[i]);
    sum += lanes[0] + lanes[1] + lanes[2] + lanes[3];
  }
  return sum;
}
#else
constexpr int kLanes = 1;
double fma_loop(long iterations) {
  double acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = 1e-3 * i;
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < kChains; ++i) acc[i] = acc[i] * 0.999999 + 1e-9;
  double sum = 0.0;
  for (double x : acc) sum += x;
  return sum;
}
#endif

}  // namespace

std::string peak_vector_name() {
#if defined(__AVX512F__)
  return "AVX-512 FMA (8 doubles per vector)";
#elif defined(__AVX2__) && defined(__FMA__)
  return "AVX2 FMA (4 doubles per vector)";
#else
  return "scalar multiply-add (portable build)";
#endif
}

double measure_peak_gflops(int threads, bool cpu_clock) {
  const long iterations = 4'000'000;  // ~0.1 s per run at 60 GFLOP/s per thread
  double best = 0.0;
  double sink = 0.0;
  for (int run = 0; run < 5; ++run) {
    const double start = clock_seconds(cpu_clock);
#pragma omp parallel num_threads(threads)
    {
      const double s = fma_loop(iterations);
#pragma omp atomic
      sink += s;
    }
    double seconds = clock_seconds(cpu_clock) - start;
    if (cpu_clock) seconds /= threads;  // the threads' CPU times add up
    const double flops = 2.0 * kLanes * kChains * double(iterations) * threads;
    best = std::max(best, flops / seconds * 1e-9);
  }
  // Use the sums so that the loops cannot be optimized away.
  if (sink == 42.0) best += 1e-12;
  return best;
}

CpuInfo cpu_info() {
  CpuInfo info;
  info.cores = std::max(1, omp_get_num_procs());
  std::ifstream in("/proc/cpuinfo");
  static const std::set<std::string> interesting = {
      "sse2", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
      "avx512cd", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "neon", "asimd", "sve"};
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    key.erase(key.find_last_not_of(" \t") + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (info.name.empty() && (key == "model name" || key == "Model" || key == "cpu model")) info.name = value;
    if (info.extensions.empty() && (key == "flags" || key == "Features")) {
      std::istringstream flags(value);
      for (std::string f; flags >> f;)
        if (interesting.count(f)) info.extensions.push_back(f);
    }
  }
  if (info.name.empty()) info.name = "unknown CPU";
  return info;
}

}  // namespace gradlab::bench
