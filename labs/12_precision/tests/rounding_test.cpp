// Lab 12 tests: rounding a double to IEEE half and to bfloat16 and back
// (kernels::half_from_double / half_to_double, bfloat16_from_double / bfloat16_to_double)
// and the emulated cast gradlab::quantize (kernels::quantize_forward / _backward).
//
// References independent of your code: a half's value from its three fields, written
// out here; a bfloat16's value as the float whose upper 16 bits it is; and, where the
// processor has it, the F16C instructions (_cvtss_sh / _cvtsh_ss), compared on values
// that are exactly floats (F16C converts from float: on a double it would round twice).
#include "gradlab/kernels/precision.h"
#include "gradlab/ops.h"
#include "gradlab/precision.h"
#include "gradlab/testing/kit.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GRADLAB_HAS_X86 1
#else
#define GRADLAB_HAS_X86 0
#endif

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

const Scalar kInf = std::numeric_limits<Scalar>::infinity();
const Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

// A half's value from its fields: (−1)^s · 2^(e−15) · (1 + m/1024), or 2^−14 · m/1024 for e = 0.
Scalar half_value(std::uint16_t h) {
  const Scalar sign = (h & 0x8000) ? -1.0 : 1.0;
  const int e = (h >> 10) & 0x1F, m = h & 0x3FF;
  if (e == 31) return m == 0 ? sign * kInf : kNaN;
  if (e == 0) return sign * (m / 1024.0) * std::pow(2.0, -14);
  return sign * (1.0 + m / 1024.0) * std::pow(2.0, e - 15);
}

// A bfloat16 is the upper half of a float: its value is that float's.
Scalar bfloat16_value(std::uint16_t b) {
  return static_cast<Scalar>(std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16));
}

// float → bfloat16 with round to nearest even, the usual bit trick (non-NaN floats).
std::uint16_t bfloat16_of_float(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

std::string hex(std::uint16_t h) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", h);
  return buf;
}

}  // namespace

// ------------------------------------------------------------------ half: every value

TEST(HalfRounding, DecodesEveryBitPattern) {
  int wrong = 0;
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    const Scalar got = k::half_to_double(bits), want = half_value(bits);
    const bool ok = std::isnan(want) ? std::isnan(got) : (got == want && std::signbit(got) == std::signbit(want));
    if (!ok && ++wrong <= 5)
      ADD_FAILURE() << "half_to_double(" << hex(bits) << ") = " << got << ", expected " << want
                    << ((h & 0x7C00) == 0 ? " (a subnormal: exponent field 0 means 2^-14 * m/1024, no implicit 1)" : "");
  }
  EXPECT_EQ(wrong, 0) << "bit patterns decoded wrongly";
}

TEST(HalfRounding, EveryHalfRoundsToItself) {
  int wrong = 0;
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    const Scalar v = half_value(bits);
    if (std::isnan(v)) {
      const std::uint16_t got = k::half_from_double(v);
      if ((got & 0x7C00) != 0x7C00 || (got & 0x3FF) == 0) ++wrong;  // any NaN pattern
      continue;
    }
    const std::uint16_t got = k::half_from_double(v);
    if (got != bits && ++wrong <= 5)
      ADD_FAILURE() << "half_from_double(" << v << ") = " << hex(got) << ", but " << v << " IS the half " << hex(bits);
  }
  EXPECT_EQ(wrong, 0) << "exactly representable values not returned as themselves";
}

TEST(HalfRounding, MidpointsTieToTheEvenNeighbour) {
  // Between two consecutive positive halves a < b (bits h, h + 1), the midpoint goes to
  // the one with the even mantissa (the even bit pattern); just above it to b, just below to a.
  int wrong = 0;
  for (std::uint32_t h = 0; h < 0x7BFF; ++h) {
    const auto lo = static_cast<std::uint16_t>(h), hi = static_cast<std::uint16_t>(h + 1);
    const Scalar a = half_value(lo), b = half_value(hi), mid = 0.5 * (a + b);
    const std::uint16_t even = (lo % 2 == 0) ? lo : hi;
    for (const Scalar sign : {1.0, -1.0}) {
      const std::uint16_t s = sign < 0 ? 0x8000 : 0;
      const std::uint16_t tie = k::half_from_double(sign * mid);
      const std::uint16_t above = k::half_from_double(sign * std::nextafter(mid, kInf));
      const std::uint16_t below = k::half_from_double(sign * std::nextafter(mid, 0.0));
      if (tie != (even | s) && ++wrong <= 5)
        ADD_FAILURE() << "the midpoint " << sign * mid << " between " << hex(lo | s) << " and " << hex(hi | s)
                      << " gave " << hex(tie) << "; ties go to the EVEN mantissa " << hex(even | s)
                      << " (not away from zero)";
      if (above != (hi | s) && ++wrong <= 5)
        ADD_FAILURE() << "just above the midpoint " << sign * mid << " gave " << hex(above) << ", expected " << hex(hi | s);
      if (below != (lo | s) && ++wrong <= 5)
        ADD_FAILURE() << "just below the midpoint " << sign * mid << " gave " << hex(below) << ", expected " << hex(lo | s);
    }
  }
  EXPECT_EQ(wrong, 0);
}

TEST(HalfRounding, BoundaryValues) {
  struct Case {
    Scalar x;
    std::uint16_t bits;
    const char* what;
  };
  const Scalar tiny = std::ldexp(1.0, -24);  // the smallest subnormal
  const std::vector<Case> cases = {
      {1.0, 0x3C00, "one"},
      {1.0 / 3.0, 0x3555, "1/3 rounds down to 0.333251953125"},
      {-2.5, 0xC100, "-2.5"},
      {65504.0, 0x7BFF, "the largest half"},
      {65519.0, 0x7BFF, "below the midpoint 65520: still the largest half"},
      {65520.0, 0x7C00, "the midpoint 65520 between 65504 and 2^16 ties to the even 2^16: overflow to +inf"},
      {1e6, 0x7C00, "far beyond: +inf"},
      {-1e6, 0xFC00, "far beyond, negative: -inf"},
      {kInf, 0x7C00, "+inf stays +inf"},
      {-kInf, 0xFC00, "-inf stays -inf"},
      {std::ldexp(1.0, -14), 0x0400, "the smallest normal 2^-14"},
      {std::ldexp(1.0, -14) - tiny, 0x03FF, "the largest subnormal"},
      {std::ldexp(1.0, -14) - 0.5 * tiny, 0x0400, "midway from the largest subnormal to the smallest normal: even, 0x0400"},
      {tiny, 0x0001, "the smallest subnormal 2^-24"},
      {3.0 * tiny, 0x0003, "3 * 2^-24 (a subnormal, not flushed to zero)"},
      {2.5 * tiny, 0x0002, "2.5 * 2^-24 ties to the even 2"},
      {1.5 * tiny, 0x0002, "1.5 * 2^-24 ties to the even 2"},
      {0.5 * tiny, 0x0000, "2^-25 ties to the even 0"},
      {std::nextafter(0.5 * tiny, 1.0), 0x0001, "just above 2^-25: the smallest subnormal"},
      {0.25 * tiny, 0x0000, "2^-26 underflows to 0"},
      {-0.25 * tiny, 0x8000, "-2^-26 underflows to -0"},
      {0.0, 0x0000, "+0"},
      {-0.0, 0x8000, "-0 keeps its sign"},
      {1.0 + std::ldexp(1.0, -11), 0x3C00, "1 + 2^-11 is the midpoint after 1: ties to the even 1"},
      {1.0 + 3 * std::ldexp(1.0, -11), 0x3C02, "1 + 3 * 2^-11 ties to the even 0x3C02"},
      {6.1e-5, 0x03FF, "6.1e-5 is just below the smallest normal: the largest subnormal"},
      {1e-7, 0x0002, "1e-7 = 1.68 * 2^-24: the subnormal 2 * 2^-24"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(hex(k::half_from_double(c.x)), hex(c.bits)) << "half_from_double(" << c.x << "): " << c.what;
  const std::uint16_t nan = k::half_from_double(kNaN);
  EXPECT_TRUE((nan & 0x7C00) == 0x7C00 && (nan & 0x3FF) != 0) << "NaN must stay a NaN (exponent 31, mantissa non-zero), got " << hex(nan);
  EXPECT_TRUE(std::isnan(k::half_to_double(nan))) << "and decode as a NaN";
  const std::uint16_t negative_nan = k::half_from_double(-kNaN);
  EXPECT_TRUE((negative_nan & 0x7C00) == 0x7C00 && (negative_nan & 0x3FF) != 0) << "a negative NaN is a NaN too, got " << hex(negative_nan);
}

TEST(HalfRounding, RoundsOnceFromTheDoubleNotThroughFloat) {
  // x = 1 + 2^-11 + 2^-40 lies just above the midpoint between 1 and 1 + 2^-10: it rounds
  // UP to 0x3C01. Through float, (float)x = 1 + 2^-11 (the 2^-40 is lost), an exact tie,
  // which then goes to the even 0x3C00: double rounding gives the wrong answer.
  const Scalar x = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  ASSERT_EQ(static_cast<Scalar>(static_cast<float>(x)), 1.0 + std::ldexp(1.0, -11));
  EXPECT_EQ(hex(k::half_from_double(x)), "0x3C01") << "round the double directly, not (float)x";
  EXPECT_EQ(hex(k::half_from_double(-x)), "0xBC01");
  // The same in the subnormal range: 2^-25 + 2^-60 is above the tie at 2^-25.
  EXPECT_EQ(hex(k::half_from_double(std::ldexp(1.0, -25) + std::ldexp(1.0, -60))), "0x0001");
}

#if GRADLAB_HAS_X86
namespace {
__attribute__((target("f16c"))) std::uint16_t f16c_from_float(float f) {
  return static_cast<std::uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}
__attribute__((target("f16c"))) float f16c_to_float(std::uint16_t h) { return _cvtsh_ss(h); }
}  // namespace
#endif

TEST(HalfRounding, AgreesWithTheProcessorsF16C) {
  // Reaches the kernel first; then compares with the CPU where it has F16C (x86 since
  // 2012). Without it there is nothing to compare with: the test says so and passes.
  const std::uint16_t one = k::half_from_double(1.0);
  EXPECT_EQ(hex(one), "0x3C00");
#if GRADLAB_HAS_X86
  if (!__builtin_cpu_supports("f16c")) {
    std::printf("[ INFO     ] this processor has no F16C: comparison skipped\n");
    return;
  }
  int wrong = 0;
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    const Scalar got = k::half_to_double(bits), want = f16c_to_float(bits);
    if (!(std::isnan(want) ? std::isnan(got) : got == want) && ++wrong <= 5)
      ADD_FAILURE() << "half_to_double(" << hex(bits) << ") = " << got << ", F16C says " << want;
  }
  // Floats of every exponent from 2^-30 to 2^17 (beyond half's range on both sides),
  // random mantissas, both signs; plus every float with 13 random low bits zeroed
  // (exact midpoints).
  Rng rng(12);
  for (int i = 0; i < 200000; ++i) {
    const int e = static_cast<int>(rng.index(48)) - 30;
    std::uint32_t mantissa = static_cast<std::uint32_t>(rng.next() & 0x7FFFFF);
    if (i % 2 == 1) mantissa = (mantissa & ~0x1FFFu) | 0x1000u;  // a tie in the normal range
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>((rng.next() & 1) << 31) | (static_cast<std::uint32_t>(e + 127) << 23) | mantissa);
    const std::uint16_t got = k::half_from_double(static_cast<Scalar>(f)), want = f16c_from_float(f);
    if (got != want && ++wrong <= 5)
      ADD_FAILURE() << "half_from_double(" << f << ") = " << hex(got) << ", F16C says " << hex(want);
  }
  EXPECT_EQ(wrong, 0);
#endif
}

// ------------------------------------------------------------------ bfloat16

TEST(BFloat16Rounding, DecodesAndEncodesEveryBitPattern) {
  int wrong = 0;
  for (std::uint32_t b = 0; b < 65536; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const Scalar want = bfloat16_value(bits), got = k::bfloat16_to_double(bits);
    if (std::isnan(want)) {
      if (!std::isnan(got) && ++wrong <= 5) ADD_FAILURE() << "bfloat16_to_double(" << hex(bits) << ") must be NaN, got " << got;
      const std::uint16_t back = k::bfloat16_from_double(want);
      if (!((back & 0x7F80) == 0x7F80 && (back & 0x7F) != 0) && ++wrong <= 5)
        ADD_FAILURE() << "a NaN must stay a NaN, got " << hex(back);
      continue;
    }
    if (!(got == want && std::signbit(got) == std::signbit(want)) && ++wrong <= 5)
      ADD_FAILURE() << "bfloat16_to_double(" << hex(bits) << ") = " << got << ", expected " << want;
    const std::uint16_t back = k::bfloat16_from_double(want);
    if (back != bits && ++wrong <= 5)
      ADD_FAILURE() << "bfloat16_from_double(" << want << ") = " << hex(back) << ", but it IS " << hex(bits);
  }
  EXPECT_EQ(wrong, 0);
}

TEST(BFloat16Rounding, RoundsToNearestEvenNotTruncation) {
  const Scalar u = std::ldexp(1.0, -8);  // half of bfloat16's step after 1
  EXPECT_EQ(hex(k::bfloat16_from_double(1.0)), "0x3F80");
  EXPECT_EQ(hex(k::bfloat16_from_double(1.0 + u)), "0x3F80") << "1 + 2^-8: a tie, to the even 1";
  EXPECT_EQ(hex(k::bfloat16_from_double(1.0 + 3 * u)), "0x3F82") << "1 + 3 * 2^-8: a tie, to the even 0x3F82";
  EXPECT_EQ(hex(k::bfloat16_from_double(1.0 + 1.5 * u)), "0x3F81") << "above the tie: up (truncation gives 0x3F80)";
  EXPECT_EQ(hex(k::bfloat16_from_double(0.1)), "0x3DCD") << "0.1 rounds up to 0x3DCD (truncation gives 0x3DCC)";
  EXPECT_EQ(hex(k::bfloat16_from_double(-0.1)), "0xBDCD");
  EXPECT_EQ(hex(k::bfloat16_from_double(1.0 + u + std::ldexp(1.0, -40))), "0x3F81")
      << "just above the tie, by less than a float can hold: round the double, not (float)x";
  const Scalar max = std::ldexp(1.0, 128) - std::ldexp(1.0, 120);
  EXPECT_EQ(hex(k::bfloat16_from_double(max)), "0x7F7F") << "the largest bfloat16";
  EXPECT_EQ(hex(k::bfloat16_from_double(std::ldexp(1.0, 128) - std::ldexp(1.0, 119))), "0x7F80") << "the midpoint above it: +inf";
  EXPECT_EQ(hex(k::bfloat16_from_double(1e39)), "0x7F80") << "beyond float's range: +inf";
  EXPECT_EQ(hex(k::bfloat16_from_double(-1e300)), "0xFF80");
  EXPECT_EQ(hex(k::bfloat16_from_double(std::ldexp(1.0, -133))), "0x0001") << "the smallest subnormal 2^-133";
  EXPECT_EQ(hex(k::bfloat16_from_double(std::ldexp(1.0, -134))), "0x0000") << "2^-134 ties to the even 0";
  EXPECT_EQ(hex(k::bfloat16_from_double(3 * std::ldexp(1.0, -134))), "0x0002") << "1.5 * 2^-133 ties to the even 2";
  EXPECT_EQ(hex(k::bfloat16_from_double(1e-39)), "0x000B") << "a subnormal, not flushed to zero";
  const std::uint16_t nan = k::bfloat16_from_double(kNaN);
  EXPECT_TRUE((nan & 0x7F80) == 0x7F80 && (nan & 0x7F) != 0) << "NaN must stay a NaN, got " << hex(nan);
}

TEST(BFloat16Rounding, AgreesWithTheFloatBitTrick) {
  // On doubles that are exactly floats, rounding the double and rounding the float
  // agree; the float rounding is the classic bit trick (bits + 0x7FFF + lsb) >> 16.
  Rng rng(21);
  int wrong = 0;
  for (int i = 0; i < 200000; ++i) {
    const int e = static_cast<int>(rng.index(254)) + 1;  // every normal exponent (0x01 … 0xFE)
    std::uint32_t mantissa = static_cast<std::uint32_t>(rng.next() & 0x7FFFFF);
    if (i % 2 == 1) mantissa = (mantissa & ~0xFFFFu) | 0x8000u;  // exact ties
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>((rng.next() & 1) << 31) | (static_cast<std::uint32_t>(e) << 23) | mantissa);
    const std::uint16_t got = k::bfloat16_from_double(static_cast<Scalar>(f)), want = bfloat16_of_float(f);
    if (got != want && ++wrong <= 5)
      ADD_FAILURE() << "bfloat16_from_double(" << f << ") = " << hex(got) << ", expected " << hex(want);
  }
  EXPECT_EQ(wrong, 0);
}

// ------------------------------------------------------------------ the emulated cast

TEST(Quantize, ForwardRoundsEveryElement) {
  const Matrix x = mat({{1.0 / 3.0, 1e5, -1e-9}, {65504.0, 1e-7, -2.5}});
  Matrix y = Matrix::Constant(2, 3, 42.0);
  k::quantize_forward(x, FloatFormat::Half, y);
  EXPECT_EQ(y(0, 0), 0.333251953125);
  EXPECT_EQ(y(0, 1), kInf) << "1e5 overflows half";
  EXPECT_EQ(y(0, 2), 0.0);
  EXPECT_TRUE(std::signbit(y(0, 2))) << "-1e-9 underflows to -0";
  EXPECT_EQ(y(1, 0), 65504.0);
  EXPECT_EQ(y(1, 1), 2 * std::ldexp(1.0, -24));
  EXPECT_EQ(y(1, 2), -2.5);
  k::quantize_forward(x, FloatFormat::BFloat16, y);
  EXPECT_EQ(y(0, 0), 0.333984375) << "bfloat16 keeps 8 significant bits: 1/3 → 0x3EAB";
  EXPECT_EQ(y(0, 1), 99840.0) << "1e5 fits in bfloat16's range (to 3 significant digits)";
  EXPECT_NEAR(y(0, 2), -1e-9, 4e-12) << "1e-9 is far inside bfloat16's range";
}

TEST(Quantize, BackwardRoundsTheGradientAndAddsIt) {
  const Matrix dy = mat({{1.0 / 3.0, 1e-9}, {1e5, -3e-8}});
  Matrix dx = mat({{1.0, 2.0}, {3.0, 4.0}});
  k::quantize_backward(dy, FloatFormat::Half, dx);
  EXPECT_EQ(dx(0, 0), 1.0 + 0.333251953125) << "dx += round(dy): the gradient is a half too";
  EXPECT_EQ(dx(0, 1), 2.0) << "a gradient of 1e-9 underflows to 0 in half";
  EXPECT_EQ(dx(1, 0), kInf) << "a gradient of 1e5 overflows to inf in half";
  EXPECT_EQ(dx(1, 1), 4.0 - std::ldexp(1.0, -24)) << "-3e-8 is just beyond -2^-25: it rounds to the subnormal -2^-24, not to 0";
}

TEST(Quantize, TheOperationRoundsValueAndGradient) {
  Tensor x(mat({{1.0 / 3.0, 3.0}}), true);
  Tensor y = quantize(x);
  EXPECT_EQ(y.value()(0, 0), 0.333251953125);
  EXPECT_EQ(y.value()(0, 1), 3.0);
  // L = Σ c ⊙ y with c = (1e-9, 0.1): dL/dx = round(c) = (0, 0.0999755859375).
  Tensor loss = sum(y * Tensor(mat({{1e-9, 0.1}})));
  loss.backward();
  EXPECT_EQ(x.grad()(0, 0), 0.0) << "the upstream 1e-9 underflows in half";
  EXPECT_EQ(x.grad()(0, 1), 0.0999755859375);
}
