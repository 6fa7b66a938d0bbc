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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// printf's "%.*f" of `x` into `buf` (called from Swift without boxing the arguments as CVarArg, which costs
/// protocol-conformance look-ups per call): the number of characters it needs, as snprintf returns.
static inline int tanso_format_fixed(char *buf, int size, int decimals, double x) { return snprintf(buf, (size_t)size, "%.*f", decimals, x); }

/// The scalar loops that finish the terrain loops below, shared by their SSE2 and AVX2 forms (which run them from
/// the first point their vector loop left): each point as the vector lanes compute it.
///
/// `tanso_interpolate_radial`'s points i ..< count.
static inline __attribute__((always_inline)) void tanso_interpolate_radial_from(double *e, const double *h, long i, long count, double ratio) {
#pragma clang fp contract(off)
    for (; i < count; i++) {
        double pos = (double)i * ratio;
        long k = (long)pos;
        double f = pos - (double)k;
        double h0 = h[k], h1 = h[k + 1];
        e[i] = h0 + f * (h1 - h0);
    }
}

/// `tanso_itm_resample`'s samples j ..< count.
static inline __attribute__((always_inline)) void tanso_itm_resample_from(
    double *out, long j, long count, const double *p, long last, double xa, double step, long first) {
#pragma clang fp contract(off)
    for (; j < count; j++) {
        double x = xa + (double)j * step;
        long k = (long)x;
        k += (double)k < x;
        k = k < first ? first : k;
        k = k > last ? last : k;
        double hk = p[k];
        out[j] = hk + (hk - p[k - 1]) * (x - (double)k);
    }
}

/// `tanso_sample_line`'s points i … i1 (out[i − i0] …): how many it flagged.
static inline __attribute__((always_inline)) long tanso_sample_line_from(
    double *out, const float *v, long width, double ca, double ra, double dc, double dr, double colOffset,
    double rowOffset, double m, long i, long i0, long i1, float nd) {
#pragma clang fp contract(off)
    long flagged = 0;
    for (; i <= i1; i++) {
        double f = (double)i / m;
        double fc = ((ca + f * dc) - colOffset) - 0.5, fr = ((ra + f * dr) - rowOffset) - 0.5;
        long c0 = (long)fc, r0 = (long)fr;
        double tx = fc - (double)c0, ty = fr - (double)r0;
        const float *p = v + r0 * width + c0;
        float a = p[0], b = p[1], c = p[width], d = p[width + 1];
        int missing = (a != a) | (b != b) | (c != c) | (d != d) | (a == nd) | (b == nd) | (c == nd) | (d == nd);
        double top = (double)a * (1 - tx) + (double)b * tx;
        double bottom = (double)c * (1 - tx) + (double)d * tx;
        out[i - i0] = missing ? __builtin_nan("") : top * (1 - ty) + bottom * ty;
        flagged += missing;
    }
    return flagged;
}

/// Whether the terrain loops below may take their AVX2 forms (fastmath.c): the CPU has AVX2, the operating system
/// saves its registers, and TANSO_NO_AVX2 is not set. Decided once per process. The AVX2 forms give the same bits
/// as the SSE2 and scalar ones (each lane the scalar loop's operations in its order, no FMA), so the choice changes
/// speed only; TANSO_NO_AVX2=1 takes the SSE2 forms, to compare the two in one binary.
extern int tanso_avx2_state;
int tanso_avx2_detect(void);
/// Whether the CPU and operating system run AVX2, whatever TANSO_NO_AVX2 says (for tests that compare the forms).
int tanso_cpu_has_avx2(void);
static inline __attribute__((always_inline)) int tanso_avx2(void) {
    int state = __atomic_load_n(&tanso_avx2_state, __ATOMIC_RELAXED);
    return state >= 0 ? state : tanso_avx2_detect();
}

/// The AVX2 forms (fastmath.c, compiled for AVX2 whatever the build's target): four points an iteration. Called
/// through `tanso_interpolate_radial`, `tanso_itm_resample` and `tanso_sample_line`, which check `tanso_avx2` first
/// (`tanso_fit_sums_avx2` by ITMTerrain.leastSquares, beside its Swift form `interiorSums`). x86-64 only.
#if defined(__x86_64__)
void tanso_interpolate_radial_avx2(double *e, const double *h, long count, double ratio);
void tanso_itm_resample_avx2(double *out, long count, const double *p, long last, double xa, double step, long first);
void tanso_fit_sums_avx2(const double *z, long k, long jb, double x0, double *sumA, double *sumB);
long tanso_sample_line_avx2(
    double *out, const float *v, long width, double ca, double ra, double dc, double dr, double colOffset,
    double rowOffset, double m, long i0, long i1, float nd);
#endif

/// e[i] = h0 + f (h1 − h0) for i in 0 ..< count, with pos = i·ratio, k = (long)pos, f = pos − k and h0, h1 the
/// samples k and k + 1 of `h`: a profile interpolated from a sampled radial. The same roundings as the Swift
/// expression (no contraction into FMA), without Swift's overflow and range checks per point; the caller
/// guarantees 0 ≤ pos and k + 1 within `h`.
///
/// With SSE2 (every x86-64) two points at a time: i·ratio, the truncation and f in one register each, and the
/// pairs (h[k], h[k + 1]) of both points in two loads, regrouped by two shuffles. Each lane does the scalar
/// loop's operations in its order (int → double is exact, truncation is truncation), so the values are the
/// same bits; 600-point profiles took 0.65–0.73 µs against 1.0–1.1 µs. The lanes' indices are 32-bit: positions
/// from 2^30 on take the scalar loop.
static inline __attribute__((always_inline)) void tanso_interpolate_radial_sse2(double *e, const double *h, long count, double ratio) {
#pragma clang fp contract(off)
    long i = 0;
#if defined(__SSE2__)
    if ((double)count * ratio < 1073741824.0) {
        __m128d r = _mm_set1_pd(ratio);
        __m128i idx = _mm_set_epi32(0, 0, 1, 0), two = _mm_set_epi32(0, 0, 2, 2);
        for (; i + 2 <= count; i += 2) {
            __m128d pos = _mm_mul_pd(_mm_cvtepi32_pd(idx), r);
            __m128i k = _mm_cvttpd_epi32(pos);
            __m128d f = _mm_sub_pd(pos, _mm_cvtepi32_pd(k));
            int k0 = _mm_cvtsi128_si32(k), k1 = _mm_cvtsi128_si32(_mm_shuffle_epi32(k, 1));
            __m128d a = _mm_loadu_pd(h + k0), b = _mm_loadu_pd(h + k1);
            __m128d h0 = _mm_unpacklo_pd(a, b), h1 = _mm_unpackhi_pd(a, b);
            _mm_storeu_pd(e + i, _mm_add_pd(h0, _mm_mul_pd(f, _mm_sub_pd(h1, h0))));
            idx = _mm_add_epi32(idx, two);
        }
    }
#endif
    tanso_interpolate_radial_from(e, h, i, count, ratio);
}

/// The highest of each group of 8 points of p (n points; the last group may be shorter): out[g] = max p[8g …
/// min(8g + 8, n) − 1], for g < ⌈n/8⌉. With SSE2 two lanes at a time.
static inline __attribute__((always_inline)) void tanso_group_max8(double *out, const double *p, long n) {
    long g = 0, i = 0;
#if defined(__SSE2__)
    for (; i + 8 <= n; i += 8, g++) {
        __m128d a = _mm_max_pd(_mm_loadu_pd(p + i), _mm_loadu_pd(p + i + 2));
        __m128d b = _mm_max_pd(_mm_loadu_pd(p + i + 4), _mm_loadu_pd(p + i + 6));
        a = _mm_max_pd(a, b);
        a = _mm_max_sd(a, _mm_unpackhi_pd(a, a));
        out[g] = _mm_cvtsd_f64(a);
    }
#endif
    for (; i < n; i += 8, g++) {
        double m = p[i];
        for (long k = i + 1; k < i + 8 && k < n; k++) m = p[k] > m ? p[k] : m;
        out[g] = m;
    }
}

/// ITM D1THX's resampling of profile `p` (points 0 … last) at x_j = xa + j·step, j < count (in intervals, xa ≥ 0):
/// out[j] = p[k] + (p[k] − p[k − 1]) (x_j − k) with k = min(max(⌈x_j⌉, first), last), which is where the
/// Algorithm's advancing bracket stands (see ITMTerrain.resample). Branch-free; no contraction into FMA.
///
/// With SSE2 two points at a time, as `tanso_interpolate_radial`: x, ⌈x⌉ and its clamping in doubles (whole
/// numbers below 2^30, so exact), each lane's operations those of the scalar loop in its order; the pair
/// (p[k − 1], p[k]) of each point in one load.
static inline __attribute__((always_inline)) void tanso_itm_resample_sse2(double *out, long count, const double *p, long last, double xa, double step, long first) {
#pragma clang fp contract(off)
    long j = 0;
#if defined(__SSE2__)
    if (xa + (double)count * step < 1073741824.0 && last < 1073741824L) {
        __m128d vxa = _mm_set1_pd(xa), vstep = _mm_set1_pd(step), one = _mm_set1_pd(1.0), two = _mm_set1_pd(2.0);
        __m128d lo = _mm_set1_pd((double)first), hi = _mm_set1_pd((double)last);
        __m128d vj = _mm_set_pd(1.0, 0.0);
        for (; j + 2 <= count; j += 2) {
            __m128d x = _mm_add_pd(vxa, _mm_mul_pd(vj, vstep));
            __m128d kd = _mm_cvtepi32_pd(_mm_cvttpd_epi32(x));
            kd = _mm_add_pd(kd, _mm_and_pd(_mm_cmplt_pd(kd, x), one));
            kd = _mm_min_pd(_mm_max_pd(kd, lo), hi);
            __m128i k = _mm_cvttpd_epi32(kd);
            int k0 = _mm_cvtsi128_si32(k), k1 = _mm_cvtsi128_si32(_mm_shuffle_epi32(k, 1));
            __m128d a = _mm_loadu_pd(p + k0 - 1), b = _mm_loadu_pd(p + k1 - 1);
            __m128d pm = _mm_unpacklo_pd(a, b), hk = _mm_unpackhi_pd(a, b);
            _mm_storeu_pd(out + j, _mm_add_pd(hk, _mm_mul_pd(_mm_sub_pd(hk, pm), _mm_sub_pd(x, kd))));
            vj = _mm_add_pd(vj, two);
        }
    }
#endif
    tanso_itm_resample_from(out, j, count, p, last, xa, step, first);
}

/// `tanso_interpolate_radial_sse2`, in AVX2 when `tanso_avx2` (the same values).
static inline __attribute__((always_inline)) void tanso_interpolate_radial(double *e, const double *h, long count, double ratio) {
#if defined(__x86_64__)
    if (tanso_avx2()) { tanso_interpolate_radial_avx2(e, h, count, ratio); return; }
#endif
    tanso_interpolate_radial_sse2(e, h, count, ratio);
}

/// `tanso_itm_resample_sse2`, in AVX2 when `tanso_avx2` (the same values).
static inline __attribute__((always_inline)) void tanso_itm_resample(double *out, long count, const double *p, long last, double xa, double step, long first) {
#if defined(__x86_64__)
    if (tanso_avx2()) { tanso_itm_resample_avx2(out, count, p, last, xa, step, first); return; }
#endif
    tanso_itm_resample_sse2(out, count, p, last, xa, step, first);
}

/// Bilinear heights of a Float raster `v` (`width` columns) at f = i/m, i = i0 … i1, on the line from whole-raster
/// pixel position (ca, ra) along (dc, dr): out[i − i0], as DEMSampler.sample computes them (the same roundings, no
/// contraction into FMA). The caller guarantees that every point's four neighbours lie inside the raster (checked
/// at the two ends: the positions are monotone in i). A point with a NaN or `nd` among its neighbours gets NaN, for
/// the caller to sample again the slow way; returns how many did.
static inline __attribute__((always_inline)) long tanso_sample_line_sse2(
    double *out, const float *v, long width, double ca, double ra, double dc, double dr, double colOffset,
    double rowOffset, double m, long i0, long i1, float nd) {
#pragma clang fp contract(off)
    long flagged = 0;
    long i = i0;
#if defined(__SSE2__)
    // Two points at a time, each lane the scalar loop's operations in its order (so the same bits): the positions
    // and weights in doubles, ⌊fc⌋ and ⌊fr⌋ by truncation (both are ≥ 0 and below 2^31), and each point's two pairs
    // of neighbours (a, b) and (c, d) in one 8-byte load each.
    if (width < 2147483647L) {
        const __m128d vm = _mm_set1_pd(m), vca = _mm_set1_pd(ca), vra = _mm_set1_pd(ra), vdc = _mm_set1_pd(dc);
        const __m128d vdr = _mm_set1_pd(dr), vco = _mm_set1_pd(colOffset), vro = _mm_set1_pd(rowOffset);
        const __m128d half = _mm_set1_pd(0.5), one = _mm_set1_pd(1.0), two = _mm_set1_pd(2.0);
        const __m128 vnd = _mm_set1_ps(nd);
        __m128d vi = _mm_set_pd((double)(i0 + 1), (double)i0);
        for (; i + 1 <= i1; i += 2) {
            __m128d f = _mm_div_pd(vi, vm);
            __m128d fc = _mm_sub_pd(_mm_sub_pd(_mm_add_pd(vca, _mm_mul_pd(f, vdc)), vco), half);
            __m128d fr = _mm_sub_pd(_mm_sub_pd(_mm_add_pd(vra, _mm_mul_pd(f, vdr)), vro), half);
            __m128i c0 = _mm_cvttpd_epi32(fc), r0 = _mm_cvttpd_epi32(fr);
            __m128d tx = _mm_sub_pd(fc, _mm_cvtepi32_pd(c0)), ty = _mm_sub_pd(fr, _mm_cvtepi32_pd(r0));
            const float *p0 = v + (long)_mm_cvtsi128_si32(r0) * width + _mm_cvtsi128_si32(c0);
            const float *p1 = v + (long)_mm_cvtsi128_si32(_mm_srli_si128(r0, 4)) * width + _mm_cvtsi128_si32(_mm_srli_si128(c0, 4));
            __m128 q0 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p0)),
                                      _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p0 + width)))); // a b c d
            __m128 q1 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p1)),
                                      _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p1 + width))));
            int m0 = _mm_movemask_ps(_mm_or_ps(_mm_cmpunord_ps(q0, q0), _mm_cmpeq_ps(q0, vnd))) != 0;
            int m1 = _mm_movemask_ps(_mm_or_ps(_mm_cmpunord_ps(q1, q1), _mm_cmpeq_ps(q1, vnd))) != 0;
            __m128d ab0 = _mm_cvtps_pd(q0), cd0 = _mm_cvtps_pd(_mm_movehl_ps(q0, q0));
            __m128d ab1 = _mm_cvtps_pd(q1), cd1 = _mm_cvtps_pd(_mm_movehl_ps(q1, q1));
            __m128d a = _mm_unpacklo_pd(ab0, ab1), b = _mm_unpackhi_pd(ab0, ab1);
            __m128d c = _mm_unpacklo_pd(cd0, cd1), d = _mm_unpackhi_pd(cd0, cd1);
            __m128d sx = _mm_sub_pd(one, tx), sy = _mm_sub_pd(one, ty);
            __m128d top = _mm_add_pd(_mm_mul_pd(a, sx), _mm_mul_pd(b, tx));
            __m128d bottom = _mm_add_pd(_mm_mul_pd(c, sx), _mm_mul_pd(d, tx));
            _mm_storeu_pd(out + (i - i0), _mm_add_pd(_mm_mul_pd(top, sy), _mm_mul_pd(bottom, ty)));
            if (m0 | m1) {
                if (m0) out[i - i0] = __builtin_nan("");
                if (m1) out[i + 1 - i0] = __builtin_nan("");
                flagged += m0 + m1;
            }
            vi = _mm_add_pd(vi, two);
        }
    }
#endif
    return flagged + tanso_sample_line_from(out, v, width, ca, ra, dc, dr, colOffset, rowOffset, m, i, i0, i1, nd);
}

/// `tanso_sample_line_sse2`, in AVX2 when `tanso_avx2` (the same values and flags).
static inline __attribute__((always_inline)) long tanso_sample_line(
    double *out, const float *v, long width, double ca, double ra, double dc, double dr, double colOffset,
    double rowOffset, double m, long i0, long i1, float nd) {
#if defined(__x86_64__)
    if (tanso_avx2()) return tanso_sample_line_avx2(out, v, width, ca, ra, dc, dr, colOffset, rowOffset, m, i0, i1, nd);
#endif
    return tanso_sample_line_sse2(out, v, width, ca, ra, dc, dr, colOffset, rowOffset, m, i0, i1, nd);
}

/// Calls `body(scratch, context)` with `scratch` pointing at 1,024 doubles on this stack frame, not initialised:
/// Swift's stack buffers (`InlineArray`) are zeroed first, which cost ITM's Δh an 8 KB memset a call.
static inline void tanso_with_stack_scratch(void (*body)(double *, void *), void *context) {
    double scratch[1024];
    body(scratch, context);
}

/// The range of a[0 ..< m] for `tanso_bucket_histogram_in`: its minimum and maximum in `lo` and `hi` (two
/// independent lanes), and 1 when a value is NaN.
static inline __attribute__((always_inline)) int tanso_range(const double *a, long m, double *lo, double *hi) {
    double lo0 = a[0], hi0 = a[0], lo1 = a[0], hi1 = a[0];
    int nan = 0;
    long j = 0;
    for (; j + 2 <= m; j += 2) {
        double x = a[j], y = a[j + 1];
        lo0 = x < lo0 ? x : lo0; hi0 = x > hi0 ? x : hi0;
        lo1 = y < lo1 ? y : lo1; hi1 = y > hi1 ? y : hi1;
        nan |= (x != x) | (y != y);
    }
    for (; j < m; j++) {
        double x = a[j];
        lo0 = x < lo0 ? x : lo0; hi0 = x > hi0 ? x : hi0;
        nan |= x != x;
    }
    *lo = lo1 < lo0 ? lo1 : lo0;
    *hi = hi1 > hi0 ? hi1 : hi0;
    return nan;
}

/// ITM D1THX's residuals about its fitted line, s_j −= z_0 + j·slope for j < n (each lane as the scalar
/// expression rounds it, without contraction into FMA), and their range as `tanso_range` gives it, in one pass.
/// Returns 1 when a residual is NaN.
static inline __attribute__((always_inline)) int tanso_subtract_line_range(double *s, long n, double z0, double slope, double *lo, double *hi) {
#pragma clang fp contract(off)
    long j = 0;
    int nan = 0;
#if defined(__SSE2__)
    if (n >= 2) {
        __m128d vz0 = _mm_set1_pd(z0), vslope = _mm_set1_pd(slope), two = _mm_set1_pd(2.0);
        __m128d jv = _mm_set_pd(1.0, 0.0);
        __m128d first = _mm_sub_pd(_mm_loadu_pd(s), _mm_add_pd(vz0, _mm_mul_pd(jv, vslope)));
        __m128d vlo = first, vhi = first, vnan = _mm_cmpunord_pd(first, first);
        _mm_storeu_pd(s, first);
        jv = _mm_add_pd(jv, two);
        for (j = 2; j + 2 <= n; j += 2) {
            __m128d r = _mm_sub_pd(_mm_loadu_pd(s + j), _mm_add_pd(vz0, _mm_mul_pd(jv, vslope)));
            _mm_storeu_pd(s + j, r);
            vlo = _mm_min_pd(r, vlo); // (r < lo ? r : lo, as tanso_range)
            vhi = _mm_max_pd(r, vhi);
            vnan = _mm_or_pd(vnan, _mm_cmpunord_pd(r, r));
            jv = _mm_add_pd(jv, two);
        }
        double l[2], h[2];
        _mm_storeu_pd(l, vlo);
        _mm_storeu_pd(h, vhi);
        nan = _mm_movemask_pd(vnan) != 0;
        double lo0 = l[0], hi0 = h[0];
        for (; j < n; j++) {
            double x = s[j] - (z0 + (double)j * slope);
            s[j] = x;
            lo0 = x < lo0 ? x : lo0; hi0 = x > hi0 ? x : hi0;
            nan |= x != x;
        }
        *lo = l[1] < lo0 ? l[1] : lo0;
        *hi = h[1] > hi0 ? h[1] : hi0;
        return nan;
    }
#endif
    for (; j < n; j++) s[j] -= z0 + (double)j * slope;
    return tanso_range(s, n, lo, hi);
}

/// The histogram of ITM's QTILE selection (`Interdecile.histogram`, Sources/Propagation/ITM/ITMTerrain.swift) of
/// a[0 ..< m] with minimum `lo` and maximum `hi` (`nan`: one is NaN): with scale = 64/(hi − lo), each value's
/// bucket min((long)((x − lo)·scale), 63) in `keys` and the buckets' counts in four interleaved sets of 64 `counts`
/// (zeroed here first). Returns 0, writing nothing, when a value is NaN, all are equal, or scale is not finite and
/// positive. The same arithmetic as the Swift it replaces, without Swift's range checks on the conversion; two
/// buckets at a time with SSE2 (the truncation of a value in [0, 64] is the same in 32 bits).
static inline __attribute__((always_inline)) int tanso_bucket_histogram_in(
    const double *a, long m, double lo, double hi, int nan, int *counts, unsigned char *keys) {
#pragma clang fp contract(off)
    double scale = 64.0 / (hi - lo);
    if (nan || !(hi > lo) || !(scale <= __DBL_MAX__) || !(scale > 0)) return 0;
    for (int b = 0; b < 4 * 64; b++) counts[b] = 0;
    long j = 0;
#if defined(__SSE2__)
    __m128d vlo = _mm_set1_pd(lo), vscale = _mm_set1_pd(scale);
    __m128i top = _mm_set1_epi32(63);
    for (; j + 4 <= m; j += 4) {
        __m128i b01 = _mm_cvttpd_epi32(_mm_mul_pd(_mm_sub_pd(_mm_loadu_pd(a + j), vlo), vscale));
        __m128i b23 = _mm_cvttpd_epi32(_mm_mul_pd(_mm_sub_pd(_mm_loadu_pd(a + j + 2), vlo), vscale));
        __m128i b = _mm_unpacklo_epi64(b01, b23);
        __m128i over = _mm_cmpgt_epi32(b, top);
        b = _mm_or_si128(_mm_andnot_si128(over, b), _mm_and_si128(over, top));
        int k[4];
        _mm_storeu_si128((__m128i *)k, b);
        for (int q = 0; q < 4; q++) {
            keys[j + q] = (unsigned char)k[q];
            counts[q * 64 + k[q]] += 1;
        }
    }
#else
    for (; j + 4 <= m; j += 4) {
        for (int q = 0; q < 4; q++) {
            long b = (long)((a[j + q] - lo) * scale);
            b = b < 63 ? b : 63;
            keys[j + q] = (unsigned char)b;
            counts[q * 64 + b] += 1;
        }
    }
#endif
    for (; j < m; j++) {
        long b = (long)((a[j] - lo) * scale);
        b = b < 63 ? b : 63;
        keys[j] = (unsigned char)b;
        counts[b] += 1;
    }
    return 1;
}

/// `tanso_bucket_histogram_in` of a[0 ..< m] with its range found first.
static inline __attribute__((always_inline)) int tanso_bucket_histogram(const double *a, long m, int *counts, unsigned char *keys) {
    double lo, hi;
    int nan = tanso_range(a, m, &lo, &hi);
    return tanso_bucket_histogram_in(a, m, lo, hi, nan, counts, keys);
}

/// The values of a[0 ..< m] whose key is `key`, in order, copied to `out` (which may be `a`): every value is
/// stored, the position advances only past those of the bucket (no branch). Returns how many.
static inline __attribute__((always_inline)) long tanso_bucket_gather(const double *a, long m, const unsigned char *keys, unsigned char key, double *out) {
    long c = 0;
    for (long j = 0; j < m; j++) {
        double x = a[j];
        out[c] = x;
        c += keys[j] == key;
    }
    return c;
}

/// Both gathers of a two-rank selection in one pass: the values whose key is `key0` to `out0` and those whose key is
/// `key1` to `out1` (neither may be `a`), each in order, as two `tanso_bucket_gather` calls would; their counts in
/// `count0` and `count1`.
static inline __attribute__((always_inline)) void tanso_bucket_gather2(
    const double *a, long m, const unsigned char *keys, unsigned char key0, unsigned char key1, double *out0, double *out1,
    long *count0, long *count1) {
    long c0 = 0, c1 = 0;
    for (long j = 0; j < m; j++) {
        double x = a[j];
        unsigned char k = keys[j];
        out0[c0] = x;
        out1[c1] = x;
        c0 += k == key0;
        c1 += k == key1;
    }
    *count0 = c0;
    *count1 = c1;
}

#endif
