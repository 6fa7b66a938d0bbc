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
    tanso_interpolate_radial_from(e, h, i, count, ratio);
}

/// `tanso_itm_resample_sse2` four points an iteration: ⌈x⌉ by a rounding up (for 0 ≤ x < 2^30 the whole number the
/// SSE2 form reaches by truncation and a compare), clamped in doubles; the pairs (p[k − 1], p[k]) in four 16-byte
/// loads. The same bits.
__attribute__((target("avx2"))) void tanso_itm_resample_avx2(double *out, long count, const double *p, long last, double xa, double step, long first) {
#pragma clang fp contract(off)
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
    }
    tanso_itm_resample_from(out, j, count, p, last, xa, step, first);
}
/// `tanso_sample_line_sse2` four points an iteration: the positions, weights and truncations as there, lane by lane;
/// each point's neighbours (a b | c d) in two 8-byte loads, the four points' sets transposed into a, b, c and d. The
/// same bits, the same points flagged.
__attribute__((target("avx2"))) long tanso_sample_line_avx2(
    double *out, const float *v, long width, double ca, double ra, double dc, double dr, double colOffset,
    double rowOffset, double m, long i0, long i1, float nd) {
#pragma clang fp contract(off)
    long flagged = 0;
    long i = i0;
    if (width < 2147483647L) {
        const __m256d vm = _mm256_set1_pd(m), vca = _mm256_set1_pd(ca), vra = _mm256_set1_pd(ra), vdc = _mm256_set1_pd(dc);
        const __m256d vdr = _mm256_set1_pd(dr), vco = _mm256_set1_pd(colOffset), vro = _mm256_set1_pd(rowOffset);
        const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0), four = _mm256_set1_pd(4.0);
        const __m128 vnd = _mm_set1_ps(nd);
        __m256d vi = _mm256_set_pd((double)(i0 + 3), (double)(i0 + 2), (double)(i0 + 1), (double)i0);
        for (; i + 3 <= i1; i += 4) {
            __m256d f = _mm256_div_pd(vi, vm);
            __m256d fc = _mm256_sub_pd(_mm256_sub_pd(_mm256_add_pd(vca, _mm256_mul_pd(f, vdc)), vco), half);
            __m256d fr = _mm256_sub_pd(_mm256_sub_pd(_mm256_add_pd(vra, _mm256_mul_pd(f, vdr)), vro), half);
            __m128i c0 = _mm256_cvttpd_epi32(fc), r0 = _mm256_cvttpd_epi32(fr);
            __m256d tx = _mm256_sub_pd(fc, _mm256_cvtepi32_pd(c0)), ty = _mm256_sub_pd(fr, _mm256_cvtepi32_pd(r0));
            const float *p0 = v + (long)_mm_cvtsi128_si32(r0) * width + _mm_cvtsi128_si32(c0);
            const float *p1 = v + (long)_mm_extract_epi32(r0, 1) * width + _mm_extract_epi32(c0, 1);
            const float *p2 = v + (long)_mm_extract_epi32(r0, 2) * width + _mm_extract_epi32(c0, 2);
            const float *p3 = v + (long)_mm_extract_epi32(r0, 3) * width + _mm_extract_epi32(c0, 3);
            __m128 q0 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p0)), _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p0 + width))));
            __m128 q1 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p1)), _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p1 + width))));
            __m128 q2 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p2)), _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p2 + width))));
            __m128 q3 = _mm_movelh_ps(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p3)), _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(p3 + width))));
            _MM_TRANSPOSE4_PS(q0, q1, q2, q3); // q0 = the four a, q1 the b, q2 the c, q3 the d
            __m128 bad = _mm_or_ps(_mm_or_ps(_mm_cmpunord_ps(q0, q0), _mm_cmpeq_ps(q0, vnd)), _mm_or_ps(_mm_cmpunord_ps(q1, q1), _mm_cmpeq_ps(q1, vnd)));
            bad = _mm_or_ps(bad, _mm_or_ps(_mm_or_ps(_mm_cmpunord_ps(q2, q2), _mm_cmpeq_ps(q2, vnd)), _mm_or_ps(_mm_cmpunord_ps(q3, q3), _mm_cmpeq_ps(q3, vnd))));
            __m256d a = _mm256_cvtps_pd(q0), b = _mm256_cvtps_pd(q1), c = _mm256_cvtps_pd(q2), d = _mm256_cvtps_pd(q3);
            __m256d sx = _mm256_sub_pd(one, tx), sy = _mm256_sub_pd(one, ty);
            __m256d top = _mm256_add_pd(_mm256_mul_pd(a, sx), _mm256_mul_pd(b, tx));
            __m256d bottom = _mm256_add_pd(_mm256_mul_pd(c, sx), _mm256_mul_pd(d, tx));
            _mm256_storeu_pd(out + (i - i0), _mm256_add_pd(_mm256_mul_pd(top, sy), _mm256_mul_pd(bottom, ty)));
            int missing = _mm_movemask_ps(bad);
            if (missing) {
                for (int q = 0; q < 4; q++) {
                    if (missing & (1 << q)) { out[i + q - i0] = __builtin_nan(""); flagged += 1; }
                }
            }
            vi = _mm256_add_pd(vi, four);
        }
    }
    return flagged + tanso_sample_line_from(out, v, width, ca, ra, dc, dr, colOffset, rowOffset, m, i, i0, i1, nd);
}
/// ITMTerrain.interiorSums (Z1SQ1's Σ z_i and Σ z_i x_i over points k … jb − 1, k < jb) in AVX2: the Swift loop's two
/// SIMD4 accumulators of each sum are one register each here, with the same lanes, the same operations in the same
/// order (no FMA), the lanes then summed in order and the remaining points added one by one. The same bits.
__attribute__((target("avx2"))) void tanso_fit_sums_avx2(const double *z, long k, long jb, double x0, double *sumA, double *sumB) {
#pragma clang fp contract(off)
    __m256d sa0 = _mm256_setzero_pd(), sa1 = _mm256_setzero_pd(), sb0 = _mm256_setzero_pd(), sb1 = _mm256_setzero_pd();
    __m256d xv0 = _mm256_set_pd(x0 + 4, x0 + 3, x0 + 2, x0 + 1);
    const __m256d four = _mm256_set1_pd(4.0), eight = _mm256_set1_pd(8.0);
    __m256d xv1 = _mm256_add_pd(xv0, four);
    for (; k + 8 <= jb; k += 8) {
        __m256d z0 = _mm256_loadu_pd(z + k), z1 = _mm256_loadu_pd(z + k + 4);
        sa0 = _mm256_add_pd(sa0, z0);
        sa1 = _mm256_add_pd(sa1, z1);
        sb0 = _mm256_add_pd(sb0, _mm256_mul_pd(z0, xv0));
        sb1 = _mm256_add_pd(sb1, _mm256_mul_pd(z1, xv1));
        xv0 = _mm256_add_pd(xv0, eight);
        xv1 = _mm256_add_pd(xv1, eight);
    }
    double la[4], lb[4], lx[4];
    _mm256_storeu_pd(la, _mm256_add_pd(sa0, sa1));
    _mm256_storeu_pd(lb, _mm256_add_pd(sb0, sb1));
    _mm256_storeu_pd(lx, xv0);
    double a = ((la[0] + la[1]) + la[2]) + la[3], b = ((lb[0] + lb[1]) + lb[2]) + lb[3], x = lx[0];
    for (; k < jb; k++) {
        a += z[k];
        b += z[k] * x;
        x += 1;
    }
    *sumA = a;
    *sumB = b;
}
#else
int tanso_cpu_has_avx2(void) { return 0; }

int tanso_avx2_detect(void) {
    __atomic_store_n(&tanso_avx2_state, 0, __ATOMIC_RELAXED);
    return 0;
}
#endif
