// CFastMath: mostly header-only (include/tanso_fastmath.h). This file holds what is compiled once: the CPU check
// and the AVX2 forms of the terrain loops, built for AVX2 by a function attribute whatever the build's target, and
// called only when the CPU has it (`tanso_avx2`).
#include "tanso_fastmath.h"
#include <stdlib.h>

int tanso_avx2_state = -1;

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// AVX2 is usable when CPUID says so (leaf 7, EBX bit 5) and the operating system saves the YMM registers (OSXSAVE,
/// then XCR0 bits 1 and 2).
int tanso_cpu_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2) != 0;
}

/// The CPU's answer unless TANSO_NO_AVX2 is set (to anything but "" or "0"). Threads that race here store the same.
int tanso_avx2_detect(void) {
    const char *off = getenv("TANSO_NO_AVX2");
    int usable = (off == NULL || off[0] == '\0' || (off[0] == '0' && off[1] == '\0')) && tanso_cpu_has_avx2();
    __atomic_store_n(&tanso_avx2_state, usable, __ATOMIC_RELAXED);
    return usable;
}

/// `tanso_interpolate_radial_sse2` four points an iteration: pos = i·ratio, its truncation (a rounding toward zero,
/// the same whole number as the SSE2 form's conversion for 0 ≤ pos < 2^30) and f = pos − k in one register each; the
/// pairs (h[k], h[k + 1]) of the four points in four 16-byte loads, regrouped by two unpacks. The same bits.
__attribute__((target("avx2"))) void tanso_interpolate_radial_avx2(double *e, const double *h, long count, double ratio) {
#pragma clang fp contract(off)
    long i = 0;
    if ((double)count * ratio < 1073741824.0) {
        const __m256d r = _mm256_set1_pd(ratio), four = _mm256_set1_pd(4.0);
        __m256d vi = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        for (; i + 4 <= count; i += 4) {
            __m256d pos = _mm256_mul_pd(vi, r);
            __m256d kd = _mm256_round_pd(pos, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
            __m128i k = _mm256_cvttpd_epi32(kd);
            __m256d f = _mm256_sub_pd(pos, kd);
            int k0 = _mm_cvtsi128_si32(k), k1 = _mm_extract_epi32(k, 1), k2 = _mm_extract_epi32(k, 2), k3 = _mm_extract_epi32(k, 3);
            // (h[k0], h[k0 + 1] | h[k2], h[k2 + 1]) and (h[k1], h[k1 + 1] | h[k3], h[k3 + 1])
            __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(h + k0)), _mm_loadu_pd(h + k2), 1);
            __m256d b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(h + k1)), _mm_loadu_pd(h + k3), 1);
            __m256d h0 = _mm256_unpacklo_pd(a, b), h1 = _mm256_unpackhi_pd(a, b);
            _mm256_storeu_pd(e + i, _mm256_add_pd(h0, _mm256_mul_pd(f, _mm256_sub_pd(h1, h0))));
            vi = _mm256_add_pd(vi, four);
        }
    }
    for (; i < count; i++) {
        double pos = (double)i * ratio;
        long k = (long)pos;
        double f = pos - (double)k;
        double h0 = h[k], h1 = h[k + 1];
        e[i] = h0 + f * (h1 - h0);
    }
}

/// `tanso_itm_resample_sse2` four points an iteration: ⌈x⌉ by a rounding up (for 0 ≤ x < 2^30 the whole number the
/// SSE2 form reaches by truncation and a compare), clamped in doubles; the pairs (p[k − 1], p[k]) in four 16-byte
/// loads. The same bits.
__attribute__((target("avx2"))) void tanso_itm_resample_avx2(double *out, long count, const double *p, long last, double xa, double step, long first) {
#pragma clang fp contract(off)
    double jd = 0.0;
    long j = 0;
    if (xa + (double)count * step < 1073741824.0 && last < 1073741824L) {
        const __m256d vxa = _mm256_set1_pd(xa), vstep = _mm256_set1_pd(step), four = _mm256_set1_pd(4.0);
        const __m256d lo = _mm256_set1_pd((double)first), hi = _mm256_set1_pd((double)last);
        __m256d vj = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        for (; j + 4 <= count; j += 4) {
            __m256d x = _mm256_add_pd(vxa, _mm256_mul_pd(vj, vstep));
            __m256d kd = _mm256_min_pd(_mm256_max_pd(_mm256_ceil_pd(x), lo), hi);
            __m128i k = _mm256_cvttpd_epi32(kd);
            int k0 = _mm_cvtsi128_si32(k), k1 = _mm_extract_epi32(k, 1), k2 = _mm_extract_epi32(k, 2), k3 = _mm_extract_epi32(k, 3);
            __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p + k0 - 1)), _mm_loadu_pd(p + k2 - 1), 1);
            __m256d b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p + k1 - 1)), _mm_loadu_pd(p + k3 - 1), 1);
            __m256d pm = _mm256_unpacklo_pd(a, b), hk = _mm256_unpackhi_pd(a, b);
            _mm256_storeu_pd(out + j, _mm256_add_pd(hk, _mm256_mul_pd(_mm256_sub_pd(hk, pm), _mm256_sub_pd(x, kd))));
            vj = _mm256_add_pd(vj, four);
        }
        jd = (double)j;
    }
    for (; j < count; j++) {
        double x = xa + jd * step;
        long k = (long)x;
        k += (double)k < x;
        k = k < first ? first : k;
        k = k > last ? last : k;
        double hk = p[k];
        out[j] = hk + (hk - p[k - 1]) * (x - (double)k);
        jd += 1.0;
    }
}
#else
int tanso_cpu_has_avx2(void) { return 0; }

int tanso_avx2_detect(void) {
    __atomic_store_n(&tanso_avx2_state, 0, __ATOMIC_RELAXED);
    return 0;
}
#endif
