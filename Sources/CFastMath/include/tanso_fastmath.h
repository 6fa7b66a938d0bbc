// libm without errno, for Swift code on Linux.
//
// Swift reaches libm's sqrt, log, cos, … as C functions that may set errno, unless the C side is compiled with
// -fno-math-errno. With errno possible, a call is a side effect: a square root is a sqrtsd plus a branch to
// libm and no loop holding one vectorises; a cos or log of a loop-invariant value cannot be hoisted out of the
// loop or shared between two uses. The earlier fix, an unsafe flag in Package.swift, kept the package from being
// used as a dependency. Clang's __builtin_elementwise_* functions are LLVM's math intrinsics: the same libm
// functions (the same bits: sqrt is exact, the others are calls to glibc), but without errno, so the optimiser
// may hoist, share and vectorise them. Used through module-internal overloads (Sources/*/FastMath.swift).
#ifndef TANSO_FASTMATH_H
#define TANSO_FASTMATH_H

#define TANSO_MATH1(name) \
    static inline __attribute__((always_inline)) double tanso_##name(double x) { return __builtin_elementwise_##name(x); } \
    static inline __attribute__((always_inline)) float tanso_##name##f(float x) { return __builtin_elementwise_##name(x); }

TANSO_MATH1(sqrt)
TANSO_MATH1(log)
TANSO_MATH1(log10)
TANSO_MATH1(log2)
TANSO_MATH1(exp)
TANSO_MATH1(exp2)
TANSO_MATH1(sin)
TANSO_MATH1(cos)
TANSO_MATH1(tan)
TANSO_MATH1(asin)
TANSO_MATH1(acos)
TANSO_MATH1(atan)

static inline __attribute__((always_inline)) double tanso_pow(double x, double y) { return __builtin_elementwise_pow(x, y); }

/// Asks the cache for the line holding `p` ahead of its use (no effect on results; a hint the CPU may drop).
static inline __attribute__((always_inline)) void tanso_prefetch(const void *p) { __builtin_prefetch(p); }
static inline __attribute__((always_inline)) float tanso_powf(float x, float y) { return __builtin_elementwise_pow(x, y); }
static inline __attribute__((always_inline)) double tanso_atan2(double y, double x) { return __builtin_elementwise_atan2(y, x); }
static inline __attribute__((always_inline)) float tanso_atan2f(float y, float x) { return __builtin_elementwise_atan2(y, x); }

#include <stdio.h>

/// printf's "%.*f" of `x` into `buf` (called from Swift without boxing the arguments as CVarArg, which costs
/// protocol-conformance look-ups per call): the number of characters it needs, as snprintf returns.
static inline int tanso_format_fixed(char *buf, int size, int decimals, double x) { return snprintf(buf, (size_t)size, "%.*f", decimals, x); }

#endif
