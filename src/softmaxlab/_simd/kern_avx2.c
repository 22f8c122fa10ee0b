/* AVX2 + FMA level (x86-64 only); chosen at run time when the CPU has both. */
#if defined(__x86_64__) || defined(_M_X64)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#define SLX_LEVEL avx2
#define SLX_FMA 1
#include "kernels.inc"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int slx_no_avx2; /* not x86-64: this level is not compiled */
#endif
