/* AVX-512 (F/BW/DQ/VL) level (x86-64 only), with 512-bit vectors preferred. */
#if defined(__x86_64__) || defined(_M_X64)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,prefer-vector-width=512")
#endif
#include <immintrin.h> /* after the target pragma; this translation unit only */
#define SLX_LEVEL avx512
#define SLX_FMA 1
#define SLX_VEC 512 /* vector bits of the fused linear cross-entropy (linear_ce.inc) */
#define SLX_EXP_T16 1 /* the table-driven exp of the float32 softmax path (kernels.inc) */
#include "kernels.inc"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int slx_no_avx512; /* not x86-64: this level is not compiled */
#endif
