// IEEE square root without errno, for Swift code on Linux.
//
// Swift's Double.squareRoot() and Foundation's sqrt reach libm's sqrt, which sets errno for negative inputs
// unless the C side is compiled with -fno-math-errno. With errno possible, every square root is a sqrtsd
// followed by a branch to libm, and no loop that holds one vectorises. The previous fix, an unsafe flag in
// Package.swift, kept the package from being used as a dependency. __builtin_elementwise_sqrt is clang's
// llvm.sqrt: correctly rounded like libm's sqrt (the same bits; NaN for negative input), no errno, and
// vectorisable (sqrtpd). Used through module-internal overloads (Sources/*/FastMath.swift).
#ifndef TANSO_FASTMATH_H
#define TANSO_FASTMATH_H

static inline __attribute__((always_inline)) double tanso_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
static inline __attribute__((always_inline)) float tanso_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }

#endif
