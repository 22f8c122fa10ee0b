/* Table of the row kernels one SIMD level provides (see kernels.inc). */
#ifndef SLX_KERNELS_H
#define SLX_KERNELS_H

#include <stdint.h>

/* Arguments of the cross-entropy rows (ce_rows.inc): per-row parts indexed by absolute row. */
typedef struct {
    const int64_t *target; /* class index per row, or ``ignore`` */
    const double *w;       /* class weights, NULL: unweighted */
    int64_t ignore;
    double eps, scale, sum_w; /* label smoothing, gradient scale, sum of the weights (or C) */
    double *nllw, *smooth, *wy;
} slx_ce;

typedef struct {
    /* softmax (log=0) or log_softmax (log=1) of rows r0..r1 of an (rows, n) array. */
    void (*sm32)(const float *x, float *out, intptr_t n, intptr_t r0, intptr_t r1,
                 double inv_t, int log);
    void (*sm64)(const double *x, double *out, intptr_t n, intptr_t r0, intptr_t r1, double t,
                 int log);
    /* logsumexp per row; flags[i] = 1 where the max and log(sum) cancel. */
    void (*lse32)(const float *x, float *out, uint8_t *flags, intptr_t n, intptr_t r0,
                  intptr_t r1);
    void (*lse64)(const double *x, double *out, uint8_t *flags, intptr_t n, intptr_t r0,
                  intptr_t r1);
    /* Pieces of one row, for a row split across threads. */
    void (*max32)(const float *x, intptr_t n, double *m, int *nan);
    void (*max64)(const double *x, intptr_t n, double *m, int *nan);
    void (*sum32)(const float *x, intptr_t n, double m, double inv_t, double *cnt,
                  double *rest);
    void (*sum64)(const double *x, intptr_t n, double m, double t, double *store, double *cnt,
                  double *hi, double *lo);
    void (*wsm32)(const float *x, float *o, intptr_t n, double m, double inv_t, double inv_s);
    void (*wlsm32)(const float *x, float *o, intptr_t n, double m, double inv_t, double lse);
    void (*wlsm64)(const double *x, double *o, intptr_t n, double m, double t, double lh,
                   double ll);
    void (*scale64)(double *o, intptr_t n, double inv);
    /* out[i] = exp(d[i]) (d <= 0) as the float32 softmax and log_softmax passes compute it. */
    void (*exp32v)(const double *d, double *out, intptr_t n);
    /* Private switch of the AVX-512 table-driven exp (1 on, 0 off, -1 query): previous state,
     * -1 where the level has none. */
    int (*exp_table)(int on);
    /* Cross-entropy parts (and the gradient into g unless NULL) of rows r0..r1. */
    void (*ce32)(const float *x, float *g, intptr_t n, intptr_t r0, intptr_t r1,
                 const slx_ce *p);
    void (*ce64)(const double *x, double *g, intptr_t n, intptr_t r0, intptr_t r1,
                 const slx_ce *p);
    /* Pieces of one long cross-entropy row: sum_c w_c (x_c - m); g = a e - b w. */
    double (*wsum32)(const float *x, const double *w, intptr_t n, double m);
    double (*wsum64)(const double *x, const double *w, intptr_t n, double m);
    void (*ceg32)(const float *x, const double *w, float *g, intptr_t n, double m, double a,
                  double b, const double *store);
    void (*ceg64)(const double *w, double *g, intptr_t n, double a, double b);
    /* softmax_vjp: out = p (v - sum(p v)) per row. */
    void (*vjp32)(const float *p, const float *v, float *out, intptr_t n, intptr_t r0,
                  intptr_t r1);
    void (*vjp64)(const double *p, const double *v, double *out, intptr_t n, intptr_t r0,
                  intptr_t r1);
    /* sm32 with precision="fast" (float32 exp lanes, fast32.inc), and which of its functions
     * the level has a kernel of: bit 0 softmax, bit 1 log_softmax (0: sm32f is sm32). */
    void (*sm32f)(const float *x, float *out, intptr_t n, intptr_t r0, intptr_t r1,
                  double inv_t, int log);
    int has_fast;
    /* Fused linear cross-entropy of rows r0..r1 (linear_ce.inc): Z = X Wt + b, the loss
     * sum_i s_i nll_i (returned) and gt (d + 1, K) += [X^T (s G); sum_i s_i G_i] unless gt
     * is NULL; b and s may be NULL. *oom set (NAN returned) if work memory ran out. */
    double (*lce32)(const float *x, const float *wt, const float *b, const int64_t *y,
                    const double *s, double *gt, intptr_t d, intptr_t K, intptr_t r0,
                    intptr_t r1, int *oom);
    double (*lce64)(const double *x, const double *wt, const double *b, const int64_t *y,
                    const double *s, double *gt, intptr_t d, intptr_t K, intptr_t r0,
                    intptr_t r1, int *oom);
    /* The largest K lce32 (f32 = 1) or lce64 takes. */
    intptr_t (*lce_max_k)(int f32);
    /* Private switch: rows of at least v entries take the one-pass (max, sum) (v < 0 only
     * queries); the previous threshold. */
    intptr_t (*online_min)(intptr_t v);
    /* One read of a float32 row (part) for (max m, count of maxima, sum of the other exps
     * against m): the one-pass (max, sum) of long rows. m is NaN where the part holds a NaN or
     * +inf, -inf (count and sum 0) where every entry is -inf. */
    void (*maxsum32)(const float *x, intptr_t n, double inv_t, double *m, double *cnt,
                     double *rest);
} slx_table;

extern const slx_table slx_table_baseline;
#if defined(__x86_64__) || defined(_M_X64)
#define SLX_X86 1
extern const slx_table slx_table_avx2;
extern const slx_table slx_table_avx512;
#endif

#endif
