/* AVX2 + FMA level (x86-64 only); chosen at run time when the CPU has both. */
#if defined(__x86_64__) || defined(_M_X64)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#include <immintrin.h> /* after the target pragma; this translation unit only */
#define SLX_LEVEL avx2
#define SLX_FMA 1
#define SLX_VEC 256 /* vector bits of the fused linear cross-entropy (linear_ce.inc) */
#define SLX_AVX2_V 1 /* the float32 softmax passes in intrinsics (exp_avx2.inc) */
#include "kernels.inc"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int slx_no_avx2; /* not x86-64: this level is not compiled */
#endif
