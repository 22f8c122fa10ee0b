/* softmaxlab._simd._core: the CPython face of the SIMD row kernels.
 *
 * Arrays arrive through the buffer protocol: C-contiguous float32 ('f') or float64 ('d'),
 * 2-D for the row functions and 1-D for the pieces of one row (NumPy's headers, where the
 * build has them, serve only to allocate softmax_call's results). Nothing here
 * validates values (the public functions do); shapes, formats and row ranges are checked so
 * that no call can read or write out of bounds. Every kernel runs with the GIL released.
 *
 * The SIMD level is picked once at import (the best the CPU supports among the compiled
 * levels) and may be lowered with set_level() (the Python loader does so for SOFTMAXLAB_SIMD).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#ifdef SLX_NUMPY_API /* only to allocate small results (setup.py's numpy_api) */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
static int g_numpy_api = 0; /* NumPy's C API imported at module init */
#endif

#include <float.h>
#include <math.h>
#include <string.h>

#include "slx_kernels.h"
#include "pool.inc"

enum { LV_BASELINE = 0, LV_AVX2 = 1, LV_AVX512 = 2, LV_COUNT = 3 };
static const char *const LEVEL_NAMES[LV_COUNT] = {"baseline", "avx2", "avx512"};

static const slx_table *TABLES[LV_COUNT] = {
    &slx_table_baseline,
#ifdef SLX_X86
    &slx_table_avx2,
    &slx_table_avx512,
#else
    NULL,
    NULL,
#endif
};

static int g_level = LV_BASELINE;
static const slx_table *g_tab = &slx_table_baseline;

static int cpu_supports(int level)
{
    if (level == LV_BASELINE)
        return 1;
#if defined(SLX_X86) && defined(__GNUC__)
    __builtin_cpu_init();
    if (level == LV_AVX2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (level == LV_AVX512)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return 0;
}

static int level_index(PyObject *name)
{
    const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    if (s == NULL) {
        PyErr_Clear();
        return -1;
    }
    for (int i = 0; i < LV_COUNT; i++)
        if (strcmp(s, LEVEL_NAMES[i]) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------------ buffers */

typedef struct {
    Py_buffer view;
    int ok;
    int f32;
} slx_buf;

static void release(slx_buf *b)
{
    if (b->ok)
        PyBuffer_Release(&b->view);
    b->ok = 0;
}

/* Release a, b and c (b and c may be NULL). */
static void release3(slx_buf *a, slx_buf *b, slx_buf *c)
{
    release(a);
    if (b)
        release(b);
    if (c)
        release(c);
}

/* release3, then None, or NULL (the error set) if !ok: the common ending of the functions
 * below. */
static PyObject *finish(int ok, slx_buf *a, slx_buf *b, slx_buf *c)
{
    release3(a, b, c);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* A C-contiguous float32/float64 buffer of ``ndim`` dimensions (``ndim`` 0: any). */
static int get_buf(PyObject *obj, slx_buf *b, int writable, int ndim, const char *what)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    b->ok = 0;
    if (PyObject_GetBuffer(obj, &b->view, flags) < 0)
        return -1;
    b->ok = 1;
    const char *f = b->view.format ? b->view.format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (strcmp(f, "f") == 0 && b->view.itemsize == 4) {
        b->f32 = 1;
    } else if (strcmp(f, "d") == 0 && b->view.itemsize == 8) {
        b->f32 = 0;
    } else {
        PyErr_Format(PyExc_TypeError, "%s must be a float32 or float64 buffer, got format '%s'",
                     what, f);
        release(b);
        return -1;
    }
    if (ndim && b->view.ndim != ndim) {
        PyErr_Format(PyExc_ValueError, "%s must be %d-D, got %d-D", what, ndim, b->view.ndim);
        release(b);
        return -1;
    }
    return 0;
}

static int same_layout(slx_buf *a, slx_buf *b, const char *what)
{
    if (a->f32 != b->f32 || a->view.ndim != b->view.ndim ||
        memcmp(a->view.shape, b->view.shape, sizeof(Py_ssize_t) * a->view.ndim) != 0) {
        PyErr_Format(PyExc_ValueError, "%s must have the shape and dtype of x", what);
        return -1;
    }
    return 0;
}

/* x (read) and a writable buffer ``o`` of the same shape and dtype, both ``ndim``-D; on
 * failure both are released. */
static int get_x_out(PyObject *xo, PyObject *oo, slx_buf *x, slx_buf *o, int ndim,
                     const char *oname)
{
    o->ok = 0;
    if (get_buf(xo, x, 0, ndim, "x") < 0)
        return -1;
    if (get_buf(oo, o, 1, ndim, oname) < 0 || same_layout(x, o, oname) < 0) {
        release(x);
        release(o);
        return -1;
    }
    return 0;
}

/* An optional float64 1-D buffer of n entries (None: b->ok stays 0). */
static int get_opt_f64(PyObject *obj, slx_buf *b, Py_ssize_t n, const char *what)
{
    b->ok = 0;
    if (obj == Py_None)
        return 0;
    if (get_buf(obj, b, 0, 1, what) < 0)
        return -1;
    if (b->f32 || b->view.shape[0] != n) {
        PyErr_Format(PyExc_ValueError, "%s must be a float64 buffer of %zd entries", what, n);
        release(b);
        return -1;
    }
    return 0;
}

static int row_range(PyObject *const *args, Py_ssize_t nrows, Py_ssize_t *r0, Py_ssize_t *r1)
{
    *r0 = PyLong_AsSsize_t(args[0]);
    *r1 = PyLong_AsSsize_t(args[1]);
    if (PyErr_Occurred())
        return -1;
    if (*r0 < 0 || *r1 > nrows || *r0 > *r1) {
        PyErr_Format(PyExc_ValueError, "row range [%zd, %zd) outside [0, %zd)", *r0, *r1, nrows);
        return -1;
    }
    return 0;
}

static int nargs_is(Py_ssize_t nargs, Py_ssize_t want, const char *name)
{
    if (nargs != want) {
        PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, want, nargs);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ row functions */

/* The parts of [0, n) through fn over nt threads (slx_parallel), with the GIL released when
 * ``release`` or when threads run: the one place the row functions leave Python. */
static void run_parts(slx_part_fn fn, void *ctx, Py_ssize_t n, int nt, int release)
{
    PyThreadState *ts = release || nt > 1 ? PyEval_SaveThread() : NULL;
    slx_parallel(fn, ctx, n, nt);
    if (ts)
        PyEval_RestoreThread(ts);
}

/* Rows r0..r1 of x (float32 if f32, else float64; rows of n entries) through the running
 * level's softmax kernel into o; mode: bit 0 log_softmax, bit 1 precision="fast" (float32
 * only). */
typedef struct {
    const slx_table *tab;
    const void *x;
    void *o;
    Py_ssize_t n, r0;
    double t; /* float32: 1 / temperature (at most DBL_MAX) */
    int f32, log, fast;
} sm_job;

static void sm_part(void *ctx, Py_ssize_t lo, Py_ssize_t hi, int k)
{
    const sm_job *j = (const sm_job *)ctx;
    (void)k;
    if (j->f32)
        (j->fast ? j->tab->sm32f : j->tab->sm32)((const float *)j->x, (float *)j->o, j->n,
                                                 j->r0 + lo, j->r0 + hi, j->t, j->log);
    else
        j->tab->sm64((const double *)j->x, (double *)j->o, j->n, j->r0 + lo, j->r0 + hi, j->t,
                     j->log);
}

/* The same over ``nt`` threads (row ranges); the GIL is released when ``release``. */
static void run_softmax_rows(int f32, const void *x, void *o, Py_ssize_t n, Py_ssize_t r0,
                             Py_ssize_t r1, double t, long mode, int release, int nt)
{
    sm_job j = {g_tab, x, o, n, r0, t, f32, (int)(mode & 1), (int)((mode >> 1) & 1)};
    if (f32) {
        /* A temperature below 1/DBL_MAX: the largest finite inverse still sends every
         * d < 0 (at least a float32 subnormal) to -inf-like values and d = 0 to 0,
         * where an infinite one would give 0 * inf = NaN at the maxima. */
        j.t = 1.0 / t;
        if (j.t > DBL_MAX)
            j.t = DBL_MAX;
    }
    run_parts(sm_part, &j, r1 - r0, nt, release);
}

/* Threads argument of the row functions: an int >= 1. */
static int get_threads(PyObject *obj, int *nt)
{
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 1) {
        PyErr_Format(PyExc_ValueError, "threads must be >= 1, got %ld", v);
        return -1;
    }
    *nt = v > SLX_MAX_THREADS ? SLX_MAX_THREADS : (int)v;
    return 0;
}

/* softmax(x, out, r0, r1, temperature, mode, threads): rows r0..r1 of x into out. */
static PyObject *py_softmax(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, o;
    Py_ssize_t r0, r1;
    int nt;
    if (nargs_is(nargs, 7, "softmax") < 0 || get_x_out(args[0], args[1], &x, &o, 2, "out") < 0)
        return NULL;
    double t = PyFloat_AsDouble(args[4]);
    /* mode: bit 0 log_softmax, bit 1 precision="fast" (float32 only; float64 ignores it) */
    long mode = PyLong_AsLong(args[5]);
    if (row_range(args + 2, x.view.shape[0], &r0, &r1) < 0 || (t == -1.0 && PyErr_Occurred()) ||
        (mode == -1 && PyErr_Occurred()) || get_threads(args[6], &nt) < 0)
        goto fail;
    Py_ssize_t n = x.view.shape[1];
    if (n > 0 && r1 > r0)
        run_softmax_rows(x.f32, x.view.buf, o.view.buf, n, r0, r1, t, mode, 1, nt);
    return finish(1, &x, &o, NULL);
fail:
    return finish(0, &x, &o, NULL);
}

/* The allocator of softmax_call's results (numpy.empty_like) and the exact type it takes
 * (numpy.ndarray), both set by the loader. */
static PyObject *g_empty_like = NULL;
static PyObject *g_ndarray = NULL;

static PyObject *py_set_allocator(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs_is(nargs, 2, "set_allocator") < 0)
        return NULL;
    if (!PyType_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "set_allocator needs the ndarray type");
        return NULL;
    }
    Py_INCREF(args[0]);
    Py_XSETREF(g_empty_like, args[0]);
    Py_INCREF(args[1]);
    Py_XSETREF(g_ndarray, args[1]);
    Py_RETURN_NONE;
}

/* 1/0 for float32/float64 ('f'/'d' native), -1 for anything else. */
static int plain_float_format(const Py_buffer *v)
{
    const char *f = v->format ? v->format : "B";
    if (f[0] == 'f' && f[1] == 0 && v->itemsize == 4)
        return 1;
    if (f[0] == 'd' && f[1] == 0 && v->itemsize == 8)
        return 0;
    return -1;
}

/* Whether ``s`` is the exact str ``want``. */
static int is_str(PyObject *s, const char *want)
{
    return PyUnicode_CheckExact(s) && PyUnicode_CompareWithASCIIString(s, want) == 0;
}

/* The temperature of the common call: a float in (0, inf) or an int in (0, 2**53); 0 for
 * anything else (which then takes the general path and its checks). */
static double common_temperature(PyObject *t)
{
    if (PyFloat_CheckExact(t)) {
        double v = PyFloat_AS_DOUBLE(t);
        return (v > 0.0 && v < INFINITY) ? v : 0.0;
    }
    if (PyLong_CheckExact(t)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(t, &overflow);
        if (overflow || v <= 0 || v >= (1LL << 53)) {
            PyErr_Clear();
            return 0.0;
        }
        return (double)v;
    }
    return 0.0;
}

/* Whether the call's axis, backend and precision are the common call's: axis an int naming
 * the last of ``ndim >= 1`` axes, backend None or one of the compiled core's names,
 * precision 'exact' or 'fast'. Sets *fast. */
static int common_options(PyObject *axis, PyObject *backend, PyObject *precision, int ndim,
                          int *fast)
{
    if (!PyLong_CheckExact(axis) || ndim < 1)
        return 0;
    long a = PyLong_AsLong(axis);
    if (a == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    if (a != -1 && a != ndim - 1)
        return 0;
    if (backend != Py_None && !is_str(backend, "auto") && !is_str(backend, "compiled") &&
        !is_str(backend, "numba"))
        return 0;
    *fast = is_str(precision, "fast");
    return *fast || is_str(precision, "exact");
}

/* Whether out (a C-contiguous writable view) can take the result of x: the same format and
 * shape, and either x itself or no shared byte. */
static int out_fits(PyObject *x, const Py_buffer *xv, PyObject *out, const Py_buffer *ov)
{
    if (ov->ndim != xv->ndim || plain_float_format(ov) != plain_float_format(xv))
        return 0;
    for (int i = 0; i < xv->ndim; i++)
        if (ov->shape[i] != xv->shape[i])
            return 0;
    if (out == x)
        return 1;
    const char *xb = (const char *)xv->buf, *ob = (const char *)ov->buf;
    return ob + ov->len <= xb || xb + xv->len <= ob;
}

/* softmax_call(x, axis, temperature, backend, out, precision, log, max_bytes): the common
 * call of the public softmax / log_softmax, whole, in one C call; None (no error) for anything
 * else, which then takes the general path with its full validation and the same results.
 *
 * The common call: x an ndarray (exactly, no subclass), C-contiguous native float32/float64,
 * 0 < size, fewer than max_bytes bytes, normalised along its last axis (an int); a
 * temperature as in common_temperature; backend None/'auto'/'compiled'/'numba'; precision
 * 'exact' or 'fast'; out None (a new array from the allocator) or an ndarray that out_fits. */
static PyObject *py_softmax_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs_is(nargs, 8, "softmax_call") < 0)
        return NULL;
    PyObject *x = args[0], *out = args[4];
    int log = PyObject_IsTrue(args[6]);
    Py_ssize_t limit = PyLong_AsSsize_t(args[7]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    if (g_ndarray == NULL || log < 0 || Py_TYPE(x) != (PyTypeObject *)g_ndarray ||
        (out != Py_None && Py_TYPE(out) != (PyTypeObject *)g_ndarray))
        Py_RETURN_NONE;
    double t = common_temperature(args[2]);
    if (t == 0.0)
        Py_RETURN_NONE;
    Py_buffer xv, ov;
    if (PyObject_GetBuffer(x, &xv, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    int f32 = plain_float_format(&xv), fast = 0;
    Py_ssize_t total = xv.len / xv.itemsize;
    Py_ssize_t n = xv.ndim ? xv.shape[xv.ndim - 1] : 0;
    if (f32 < 0 || n == 0 || total == 0 || xv.len >= limit ||
        !common_options(args[1], args[3], args[5], xv.ndim, &fast)) {
        PyBuffer_Release(&xv);
        Py_RETURN_NONE;
    }
    PyObject *res = out;
    if (out == Py_None) {
#ifdef SLX_NUMPY_API
        res = g_numpy_api ? PyArray_NewLikeArray((PyArrayObject *)x, NPY_CORDER, NULL, 0)
                          : PyObject_CallOneArg(g_empty_like, x);
#else
        res = PyObject_CallOneArg(g_empty_like, x);
#endif
        if (res == NULL) {
            PyBuffer_Release(&xv);
            return NULL;
        }
    } else {
        Py_INCREF(out);
    }
    if (PyObject_GetBuffer(res, &ov, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&xv);
        Py_DECREF(res);
        if (out == Py_None) /* the allocator's own array: something is badly wrong */
            return NULL;
        PyErr_Clear(); /* a read-only or strided out: the general path says so */
        Py_RETURN_NONE;
    }
    if (!out_fits(x, &xv, res, &ov)) {
        PyBuffer_Release(&ov);
        PyBuffer_Release(&xv);
        Py_DECREF(res);
        if (out == Py_None) {
            PyErr_SetString(PyExc_ValueError, "the allocator returned a mismatched array");
            return NULL;
        }
        Py_RETURN_NONE;
    }
    /* The GIL is kept for the smallest calls, where releasing it costs more than it frees. */
    run_softmax_rows(f32, xv.buf, ov.buf, n, 0, total / n, t, (fast ? 2 : 0) | log,
                     xv.len >= 16384, 1);
    PyBuffer_Release(&ov);
    PyBuffer_Release(&xv);
    return res;
}

/* logsumexp(x, out, flags, r0, r1): out[i] and flags[i] (uint8) for rows r0..r1. */
/* Rows of x (2-D, float32 or float64) with a per-row kernel writing rows r0 + lo..r0 + hi. */
typedef struct {
    const slx_table *tab;
    int f32;
    const void *x;
    void *o, *aux;
    const void *v;
    Py_ssize_t n, r0;
    slx_ce *ce;
} rows_job;

static void lse_part(void *ctx, Py_ssize_t lo, Py_ssize_t hi, int k)
{
    const rows_job *j = (const rows_job *)ctx;
    (void)k;
    if (j->f32)
        j->tab->lse32((const float *)j->x, (float *)j->o, (uint8_t *)j->aux, j->n, j->r0 + lo,
                      j->r0 + hi);
    else
        j->tab->lse64((const double *)j->x, (double *)j->o, (uint8_t *)j->aux, j->n,
                      j->r0 + lo, j->r0 + hi);
}

static void ce_part(void *ctx, Py_ssize_t lo, Py_ssize_t hi, int k)
{
    const rows_job *j = (const rows_job *)ctx;
    (void)k;
    if (j->f32)
        j->tab->ce32((const float *)j->x, (float *)j->aux, j->n, j->r0 + lo, j->r0 + hi, j->ce);
    else
        j->tab->ce64((const double *)j->x, (double *)j->aux, j->n, j->r0 + lo, j->r0 + hi,
                     j->ce);
}

static void vjp_part(void *ctx, Py_ssize_t lo, Py_ssize_t hi, int k)
{
    const rows_job *j = (const rows_job *)ctx;
    (void)k;
    if (j->f32)
        j->tab->vjp32((const float *)j->x, (const float *)j->v, (float *)j->o, j->n, j->r0 + lo,
                      j->r0 + hi);
    else
        j->tab->vjp64((const double *)j->x, (const double *)j->v, (double *)j->o, j->n,
                      j->r0 + lo, j->r0 + hi);
}

/* Rows r0..r1 of the job over nt threads, the GIL released (see run_parts). */
static void run_rows(slx_part_fn fn, rows_job *j, Py_ssize_t r0, Py_ssize_t r1, int nt,
                     int release)
{
    j->tab = g_tab;
    j->r0 = r0;
    run_parts(fn, j, r1 - r0, nt, release);
}

/* logsumexp(x, out, flags, r0, r1, threads): out[i] = logsumexp of row i for rows r0..r1,
 * flags[i] = 1 where the max and log(sum) cancel. */
static PyObject *py_logsumexp(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, o;
    Py_buffer fl;
    Py_ssize_t r0, r1;
    int nt;
    if (nargs_is(nargs, 6, "logsumexp") < 0 || get_buf(args[0], &x, 0, 2, "x") < 0)
        return NULL;
    if (get_buf(args[1], &o, 1, 1, "out") < 0)
        return finish(0, &x, NULL, NULL);
    if (PyObject_GetBuffer(args[2], &fl, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0)
        return finish(0, &x, &o, NULL);
    int ok = 0;
    Py_ssize_t nrows = x.view.shape[0], n = x.view.shape[1];
    if (o.f32 != x.f32 || o.view.shape[0] != nrows || fl.len != nrows) {
        PyErr_SetString(PyExc_ValueError, "out and flags must hold one entry per row of x");
        goto fail;
    }
    if (row_range(args + 3, nrows, &r0, &r1) < 0 || get_threads(args[5], &nt) < 0)
        goto fail;
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "logsumexp needs rows of at least one entry");
        goto fail;
    }
    rows_job j = {.f32 = x.f32, .x = x.view.buf, .o = o.view.buf, .aux = fl.buf, .n = n};
    run_rows(lse_part, &j, r0, r1, nt, 1);
    ok = 1;
fail:
    PyBuffer_Release(&fl);
    return finish(ok, &x, &o, NULL);
}

/* ------------------------------------------------------------------ pieces of one row */

/* One job over the pieces of a row: ``op`` on x[lo:hi] (and the other buffers alike) for
 * each part of the split, each part's results in res[k]. */
enum { PC_MAX, PC_SUM, PC_WRITE, PC_WSUM, PC_GRAD, PC_MAXSUM };
typedef struct {
    const slx_table *tab;
    int op, f32, log;
    const void *x;
    void *o;         /* out (write), store (sum, float64; or NULL), g (grad) */
    const double *w; /* weight (wsum, grad; or NULL) */
    double m, t, a, b;
    double res[SLX_MAX_THREADS][3];
} piece_job;

static void piece_max(piece_job *j, Py_ssize_t lo, Py_ssize_t n, double *r)
{
    int nan = 0;
    if (j->f32)
        j->tab->max32((const float *)j->x + lo, n, &r[0], &nan);
    else
        j->tab->max64((const double *)j->x + lo, n, &r[0], &nan);
    r[1] = nan;
}

static void piece_write(piece_job *j, Py_ssize_t lo, Py_ssize_t n)
{
    const slx_table *tab = j->tab;
    if (j->f32 && j->log)
        tab->wlsm32((const float *)j->x + lo, (float *)j->o + lo, n, j->m, j->t, j->a);
    else if (j->f32)
        tab->wsm32((const float *)j->x + lo, (float *)j->o + lo, n, j->m, j->t, j->a);
    else if (j->log)
        tab->wlsm64((const double *)j->x + lo, (double *)j->o + lo, n, j->m, j->t, j->a, j->b);
    else
        tab->scale64((double *)j->o + lo, n, j->a);
}

static void piece_part(void *ctx, Py_ssize_t lo, Py_ssize_t hi, int k)
{
    piece_job *j = (piece_job *)ctx;
    const slx_table *tab = j->tab;
    double *r = j->res[k];
    const double *w = j->w ? j->w + lo : NULL;
    Py_ssize_t n = hi - lo;
    r[0] = r[1] = r[2] = 0.0;
    switch (j->op) {
    case PC_MAX:
        piece_max(j, lo, n, r);
        break;
    case PC_SUM:
        if (j->f32)
            tab->sum32((const float *)j->x + lo, n, j->m, j->t, &r[0], &r[1]);
        else
            tab->sum64((const double *)j->x + lo, n, j->m, j->t,
                       j->o ? (double *)j->o + lo : NULL, &r[0], &r[1], &r[2]);
        break;
    case PC_WRITE:
        piece_write(j, lo, n);
        break;
    case PC_MAXSUM: /* float32 only (checked by the caller) */
        tab->maxsum32((const float *)j->x + lo, n, j->t, &r[0], &r[1], &r[2]);
        break;
    case PC_WSUM:
        r[0] = j->f32 ? tab->wsum32((const float *)j->x + lo, w, n, j->m)
                      : tab->wsum64((const double *)j->x + lo, w, n, j->m);
        break;
    default: /* PC_GRAD */
        if (j->f32)
            tab->ceg32((const float *)j->x + lo, w, (float *)j->o + lo, n, j->m, j->a, j->b,
                       NULL);
        else
            tab->ceg64(w, (double *)j->o + lo, n, j->a, j->b);
    }
}

/* Runs the job over ``n`` entries in ``nt`` parts without the GIL; returns the parts. */
static int run_pieces(piece_job *j, Py_ssize_t n, int nt)
{
    Py_ssize_t step;
    int cnt = split_parts(n, nt, &step);
    j->tab = g_tab;
    run_parts(piece_part, j, n, nt, 1);
    return cnt;
}

/* The parts' result triples as a list of tuples. */
static PyObject *part_triples(const piece_job *j, int cnt)
{
    PyObject *res = PyList_New(cnt);
    for (int k = 0; res != NULL && k < cnt; k++) {
        PyObject *t = Py_BuildValue("(ddd)", j->res[k][0], j->res[k][1], j->res[k][2]);
        if (t == NULL)
            Py_CLEAR(res);
        else
            PyList_SET_ITEM(res, k, t);
    }
    return res;
}

/* row_max(x, threads) -> (max, has_nan) of a 1-D buffer (-inf when empty). */
static PyObject *py_row_max(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x;
    piece_job j = {.op = PC_MAX};
    int nt;
    if (nargs_is(nargs, 2, "row_max") < 0 || get_buf(args[0], &x, 0, 1, "x") < 0)
        return NULL;
    if (get_threads(args[1], &nt) < 0)
        return finish(0, &x, NULL, NULL);
    j.f32 = x.f32;
    j.x = x.view.buf;
    int cnt = run_pieces(&j, x.view.shape[0], nt);
    release(&x);
    double m = -INFINITY;
    int nan = 0;
    for (int k = 0; k < cnt; k++) {
        m = j.res[k][0] > m ? j.res[k][0] : m;
        nan |= j.res[k][1] != 0.0;
    }
    return Py_BuildValue("(dO)", m, nan ? Py_True : Py_False);
}

/* row_sum(x, m, t, store, threads) -> [(count of maxima, hi, lo) per part] of
 * sum(exp((x - m) / t)) over the other entries (parts as slx_parallel splits x; the caller
 * adds them up). float32: t is the inverse temperature and lo is 0; float64: ``store`` (a
 * buffer like x, or None) receives every exp. */
static PyObject *py_row_sum(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, s;
    piece_job j = {.op = PC_SUM};
    PyObject *res = NULL;
    int nt;
    if (nargs_is(nargs, 5, "row_sum") < 0 || get_buf(args[0], &x, 0, 1, "x") < 0)
        return NULL;
    s.ok = 0;
    j.m = PyFloat_AsDouble(args[1]);
    j.t = PyFloat_AsDouble(args[2]);
    if (PyErr_Occurred() || get_threads(args[4], &nt) < 0)
        goto fail;
    if (args[3] != Py_None) {
        if (x.f32) {
            PyErr_SetString(PyExc_ValueError, "store is for float64 rows only");
            goto fail;
        }
        if (get_buf(args[3], &s, 1, 1, "store") < 0 || same_layout(&x, &s, "store") < 0)
            goto fail;
        j.o = s.view.buf;
    }
    j.f32 = x.f32;
    j.x = x.view.buf;
    int cnt = run_pieces(&j, x.view.shape[0], nt);
    res = part_triples(&j, cnt);
fail:
    release(&x);
    release(&s);
    return res;
}

/* row_maxsum(x, inv_t, threads) -> [(max, count of maxima, sum of the other exps against
 * that max) per part] of a 1-D float32 buffer, each part read once (the one-pass (max,
 * sum)); the caller merges the parts. max is NaN for a part holding NaN or +inf and -inf
 * for an all -inf part. */
static PyObject *py_row_maxsum(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x;
    piece_job j = {.op = PC_MAXSUM};
    int nt;
    if (nargs_is(nargs, 3, "row_maxsum") < 0 || get_buf(args[0], &x, 0, 1, "x") < 0)
        return NULL;
    j.t = PyFloat_AsDouble(args[1]);
    if (PyErr_Occurred() || get_threads(args[2], &nt) < 0)
        return finish(0, &x, NULL, NULL);
    if (!x.f32) {
        PyErr_SetString(PyExc_TypeError, "row_maxsum takes float32 rows only");
        return finish(0, &x, NULL, NULL);
    }
    j.f32 = 1;
    j.x = x.view.buf;
    int cnt = run_pieces(&j, x.view.shape[0], nt);
    release(&x);
    return part_triples(&j, cnt);
}

/* row_write(x, out, m, t, a, b, log, threads): the write pass of a row.
 * float32 (t = inverse temperature): softmax a = 1 / sum, log a = log(sum).
 * float64: log a, b = log(sum) as a double-double; softmax scales ``out`` in place by a
 * (it holds the exps from row_sum's store). */
static PyObject *py_row_write(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, o;
    piece_job j = {.op = PC_WRITE};
    int nt;
    if (nargs_is(nargs, 8, "row_write") < 0 || get_x_out(args[0], args[1], &x, &o, 1, "out") < 0)
        return NULL;
    j.m = PyFloat_AsDouble(args[2]), j.t = PyFloat_AsDouble(args[3]);
    j.a = PyFloat_AsDouble(args[4]), j.b = PyFloat_AsDouble(args[5]);
    j.log = PyObject_IsTrue(args[6]);
    if (PyErr_Occurred() || j.log < 0 || get_threads(args[7], &nt) < 0)
        return finish(0, &x, &o, NULL);
    j.f32 = x.f32;
    j.x = x.view.buf;
    j.o = o.view.buf;
    run_pieces(&j, x.view.shape[0], nt);
    return finish(1, &x, &o, NULL);
}

/* _exp32(d, out): out = exp(d) for 1-D float64 buffers, d <= 0, with the exp of the running
 * level's float32 softmax passes (a test hook: its accuracy is checked against mpmath). */
static PyObject *py_exp32(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf d, o;
    if (nargs_is(nargs, 2, "_exp32") < 0 || get_x_out(args[0], args[1], &d, &o, 1, "out") < 0)
        return NULL;
    if (d.f32) {
        PyErr_SetString(PyExc_TypeError, "d must be a float64 buffer");
        return finish(0, &d, &o, NULL);
    }
    const slx_table *tab = g_tab;
    Py_ssize_t n = d.view.shape[0];
    Py_BEGIN_ALLOW_THREADS
    tab->exp32v((const double *)d.view.buf, (double *)o.view.buf, n);
    Py_END_ALLOW_THREADS
    return finish(1, &d, &o, NULL);
}

/* _exp_table(on): the private switch of the AVX-512 level's table-driven float32 exp
 * (True/False; None only queries). Returns the previous state, or None where the running
 * level has no table. For benchmarks and tests comparing both exps in one process. */
static PyObject *py_exp_table(PyObject *self, PyObject *arg)
{
    int on = -1;
    if (arg != Py_None) {
        on = PyObject_IsTrue(arg);
        if (on < 0)
            return NULL;
    }
    int old = g_tab->exp_table(on);
    if (old < 0)
        Py_RETURN_NONE;
    return PyBool_FromLong(old);
}

/* _online_min(v): the private switch of the one-pass (max, sum) of long rows (kernels.inc):
 * rows of at least v entries take it; None only queries. Returns the previous threshold. For
 * tests and benchmarks comparing both paths in one process. */
static PyObject *py_online_min(PyObject *self, PyObject *arg)
{
    Py_ssize_t v = -1;
    if (arg != Py_None) {
        v = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        if (v < 0) {
            PyErr_SetString(PyExc_ValueError, "_online_min: v must be >= 0 or None");
            return NULL;
        }
    }
    return PyLong_FromSsize_t((Py_ssize_t)g_tab->online_min((intptr_t)v));
}

/* ------------------------------------------------------------------ cross-entropy, vjp */

/* The class indices of a 1-D int64 buffer ``target`` of ``nrows`` entries: kept ones must be
 * in [0, n) (ignore: skipped). Rows r0..r1 are checked; *denom (unless NULL: only the check)
 * gets the sum of the target weights (w NULL: 1) over them. */
static int check_targets(const int64_t *t, Py_ssize_t r0, Py_ssize_t r1, Py_ssize_t n,
                         int64_t ignore, const double *w, double *denom)
{
    double s = 0.0, err = 0.0; /* compensated (TwoSum): the sum of many weights */
    for (Py_ssize_t i = r0; i < r1; i++) {
        int64_t y = t[i];
        if (y == ignore)
            continue;
        if (y < 0 || y >= n) {
            PyErr_Format(PyExc_ValueError, "target %lld at row %zd is outside [0, %zd)",
                         (long long)y, i, n);
            return -1;
        }
        if (denom == NULL)
            continue;
        double v = w ? w[y] : 1.0;
        double u = s + v, bb = u - s;
        err += (s - (u - bb)) + (v - bb);
        s = u;
    }
    if (denom)
        *denom = s + err;
    return 0;
}

static int get_target(PyObject *obj, Py_buffer *v, Py_ssize_t nrows)
{
    if (PyObject_GetBuffer(obj, v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    const char *f = v->format ? v->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (v->itemsize != 8 || (strcmp(f, "q") != 0 && strcmp(f, "l") != 0) || v->ndim != 1 ||
        v->len != nrows * 8) {
        PyErr_Format(PyExc_ValueError, "target must be an int64 buffer of %zd entries", nrows);
        PyBuffer_Release(v);
        return -1;
    }
    return 0;
}

/* ce_denom(target, weight, n, ignore) -> sum of the target weights over the kept rows (the
 * 'mean' denominator); ValueError for a kept index outside [0, n). */
static PyObject *py_ce_denom(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer tv;
    slx_buf w;
    double denom = 0.0;
    if (nargs_is(nargs, 4, "ce_denom") < 0)
        return NULL;
    Py_ssize_t n = PyLong_AsSsize_t(args[2]);
    long long ignore = PyLong_AsLongLong(args[3]);
    if (PyErr_Occurred())
        return NULL;
    if (PyObject_GetBuffer(args[0], &tv, PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    Py_ssize_t nrows = tv.len / 8;
    PyBuffer_Release(&tv);
    if (get_target(args[0], &tv, nrows) < 0)
        return NULL;
    if (get_opt_f64(args[1], &w, n, "weight") < 0) {
        PyBuffer_Release(&tv);
        return NULL;
    }
    int rc = check_targets((const int64_t *)tv.buf, 0, nrows, n, ignore,
                           w.ok ? (const double *)w.view.buf : NULL, &denom);
    release(&w);
    PyBuffer_Release(&tv);
    return rc < 0 ? NULL : PyFloat_FromDouble(denom);
}

/* Compensated sum of v[r0..r1); a sum of -0s only is -0 (the sign PyTorch's sums keep).
 * Four interleaved TwoSum chains (one chain's latency, not four, per entry), folded with
 * compensation; lanes start at -0 so that the sign rule holds for every lane and the fold. */
static double csum(const double *v, Py_ssize_t r0, Py_ssize_t r1)
{
    double s[4] = {-0.0, -0.0, -0.0, -0.0}, e[4] = {0.0, 0.0, 0.0, 0.0};
    Py_ssize_t i = r0;
    for (; i + 4 <= r1; i += 4)
        for (int k = 0; k < 4; k++) {
            double u = s[k] + v[i + k], bb = u - s[k];
            e[k] += (s[k] - (u - bb)) + (v[i + k] - bb);
            s[k] = u;
        }
    for (; i < r1; i++) {
        double u = s[0] + v[i], bb = u - s[0];
        e[0] += (s[0] - (u - bb)) + (v[i] - bb);
        s[0] = u;
    }
    double h = s[0], err = e[0];
    for (int k = 1; k < 4; k++) {
        double u = h + s[k], bb = u - h;
        err += ((h - (u - bb)) + (s[k] - bb)) + e[k];
        h = u;
    }
    return err == 0.0 ? h : h + err;
}

/* Rows r0..r1 of the cross-entropy over nt threads: per-row parts into p's arrays (indexed
 * by absolute row), gradient rows into g unless NULL, and the compensated sums of the three
 * parts into tot (O(rows), with the GIL). The GIL is released for the rows as run_parts
 * says. */
static void ce_rows(int f32, const void *x, void *g, Py_ssize_t n, Py_ssize_t r0, Py_ssize_t r1,
                    slx_ce *p, int nt, int release, double tot[3])
{
    rows_job j = {.f32 = f32, .x = x, .aux = g, .n = n, .ce = p};
    run_rows(ce_part, &j, r0, r1, nt, release);
    tot[0] = csum(p->nllw, r0, r1);
    /* Without smoothing every entry is +0: their sum is +0 (-0 for no rows). */
    tot[1] = p->eps > 0.0 ? csum(p->smooth, r0, r1) : (r1 > r0 ? 0.0 : -0.0);
    tot[2] = csum(p->wy, r0, r1);
}

/* cross_entropy(x, target, weight, grad, parts, r0, r1, ignore, eps, scale, sum_w, threads) ->
 * (sum of nllw, sum of smooth, sum of wy) over rows r0..r1, whose per-row parts go to
 * ``parts`` (a (3, rows) float64 buffer: nllw, smooth, wy; None: only the sums) and their
 * gradient into ``grad`` (like x, or None). */
static PyObject *py_cross_entropy(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, w, g, pt;
    Py_buffer tv;
    Py_ssize_t r0, r1;
    double *scratch = NULL;
    PyObject *res = NULL;
    int nt;
    if (nargs_is(nargs, 12, "cross_entropy") < 0 || get_buf(args[0], &x, 0, 2, "x") < 0)
        return NULL;
    Py_ssize_t nrows = x.view.shape[0], n = x.view.shape[1];
    w.ok = g.ok = pt.ok = 0;
    if (get_target(args[1], &tv, nrows) < 0) {
        release(&x);
        return NULL;
    }
    slx_ce p;
    p.ignore = PyLong_AsLongLong(args[7]);
    p.eps = PyFloat_AsDouble(args[8]);
    p.scale = PyFloat_AsDouble(args[9]);
    p.sum_w = PyFloat_AsDouble(args[10]);
    if (PyErr_Occurred() || get_threads(args[11], &nt) < 0 ||
        get_opt_f64(args[2], &w, n, "weight") < 0)
        goto fail;
    if (args[3] != Py_None && (get_buf(args[3], &g, 1, 2, "grad") < 0 ||
                               same_layout(&x, &g, "grad") < 0))
        goto fail;
    if (args[4] != Py_None) {
        if (get_buf(args[4], &pt, 1, 2, "parts") < 0)
            goto fail;
        if (pt.f32 || pt.view.shape[0] != 3 || pt.view.shape[1] != nrows) {
            PyErr_Format(PyExc_ValueError, "parts must be a (3, %zd) float64 buffer", nrows);
            goto fail;
        }
    }
    if (row_range(args + 5, nrows, &r0, &r1) < 0)
        goto fail;
    p.target = (const int64_t *)tv.buf;
    p.w = w.ok ? (const double *)w.view.buf : NULL;
    if (check_targets(p.target, r0, r1, n, p.ignore, p.w, NULL) < 0)
        goto fail;
    if (pt.ok) {
        p.nllw = (double *)pt.view.buf;
        p.smooth = p.nllw + nrows;
        p.wy = p.smooth + nrows;
    } else { /* only the sums are wanted: rows r0..r1 in scratch, indexed as absolute rows */
        Py_ssize_t k = r1 - r0;
        scratch = (double *)malloc(sizeof(double) * (size_t)(3 * k + 1));
        if (scratch == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        p.nllw = scratch - r0;
        p.smooth = scratch + k - r0;
        p.wy = scratch + 2 * k - r0;
    }
    double tot[3];
    ce_rows(x.f32, x.view.buf, g.ok ? g.view.buf : NULL, n, r0, r1, &p, nt, 1, tot);
    res = Py_BuildValue("(ddd)", tot[0], tot[1], tot[2]);
fail:
    free(scratch);
    PyBuffer_Release(&tv);
    release(&x);
    release3(&pt, &g, &w);
    return res;
}

/* The float of the common call's label smoothing (a float or int in [0, 1]); -1 otherwise. */
static double common_smoothing(PyObject *v)
{
    double ls = -1.0;
    if (PyFloat_CheckExact(v))
        ls = PyFloat_AS_DOUBLE(v);
    else if (PyLong_CheckExact(v)) /* 0 or 1; anything else is out of range */
        ls = PyObject_RichCompareBool(v, Py_False, Py_EQ) == 1   ? 0.0
             : PyObject_RichCompareBool(v, Py_True, Py_EQ) == 1 ? 1.0
                                                                 : -1.0;
    PyErr_Clear();
    return ls >= 0.0 && ls <= 1.0 ? ls : -1.0;
}

#ifdef SLX_NUMPY_API
/* The kernel rows of the common small cross-entropy call: *res = (sum of nllw, sum of
 * smooth, sum of wy, gradient or None), as cross_entropy returns them; 0, or -1 (a Python
 * error) where allocating fails. The buffers are checked; targets in range. The 'mean'
 * gradient is scaled by 1 / (the sum of the kept target weights), as core._ce_kernel's
 * _kernel_ce asks the kernel to (that sum is >= 0: 1/0 is +inf there too). */
static int ce_call_rows(const Py_buffer *xv, int f32, const Py_buffer *tv, long long ignore,
                        double ls, int mean_grad, int want_grad, PyObject *x, PyObject **res)
{
    Py_ssize_t nrows = xv->shape[0], n = xv->shape[1];
    double denom = 0.0, tot[3], stack[3 * 64];
    check_targets((const int64_t *)tv->buf, 0, nrows, n, ignore, NULL, &denom);
    slx_ce p = {(const int64_t *)tv->buf, NULL, ignore, ls, 1.0, (double)n, NULL, NULL, NULL};
    if (mean_grad)
        p.scale = 1.0 / denom;
    double *parts = nrows <= 64 ? stack : (double *)malloc(sizeof(double) * (size_t)(3 * nrows));
    PyObject *g = NULL;
    if (parts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (want_grad) {
        g = g_numpy_api ? PyArray_NewLikeArray((PyArrayObject *)x, NPY_CORDER, NULL, 0)
                        : PyObject_CallOneArg(g_empty_like, x);
        if (g == NULL) {
            if (parts != stack)
                free(parts);
            return -1;
        }
    }
    p.nllw = parts;
    p.smooth = parts + nrows;
    p.wy = parts + 2 * nrows;
    ce_rows(f32, xv->buf, g ? PyArray_DATA((PyArrayObject *)g) : NULL, n, 0, nrows, &p, 1,
            xv->len >= 16384, tot);
    if (parts != stack)
        free(parts);
    *res = Py_BuildValue("(dddN)", tot[0], tot[1], tot[2], g ? g : Py_NewRef(Py_None));
    return *res == NULL ? -1 : 0;
}
#endif

/* ce_call(logits, target, axis, ignore_index, label_smoothing, reduction, backend, want_grad,
 * max_bytes): the common call of the public cross_entropy / cross_entropy_and_grad, whole,
 * in one C call; None (no error) for anything else, which then takes the general path with
 * its full validation and the same results.
 *
 * The common call: logits an ndarray (exactly), C-contiguous native float32/float64, 2-D,
 * not empty, fewer than max_bytes bytes, classes along axis -1 or 1 (an int); target an
 * ndarray of native int64, C-contiguous, one per row, kept ones in range; ignore_index an
 * int64; label_smoothing a float or int in [0, 1]; reduction 'mean' or 'sum'; backend None
 * or one of the compiled core's names; no class weights (not an argument). Returns (sum of
 * nllw, sum of smooth, sum of wy, gradient or None): the caller applies the reduction, as for
 * every other kernel call (core._ce_kernel._reduce). */
static PyObject *py_ce_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs_is(nargs, 9, "ce_call") < 0)
        return NULL;
#ifndef SLX_NUMPY_API
    Py_RETURN_NONE;
#else
    PyObject *x = args[0], *tg = args[1], *res = NULL;
    int want_grad = PyObject_IsTrue(args[7]), overflow = 0;
    Py_ssize_t limit = PyLong_AsSsize_t(args[8]);
    if (want_grad < 0 || (limit == -1 && PyErr_Occurred()))
        return NULL;
    if (!g_numpy_api || g_ndarray == NULL || Py_TYPE(x) != (PyTypeObject *)g_ndarray ||
        Py_TYPE(tg) != (PyTypeObject *)g_ndarray || !PyLong_CheckExact(args[2]) ||
        !PyLong_CheckExact(args[3]))
        Py_RETURN_NONE;
    long axis = PyLong_AsLong(args[2]);
    long long ignore = PyLong_AsLongLongAndOverflow(args[3], &overflow);
    double ls = common_smoothing(args[4]);
    int sum = is_str(args[5], "sum");
    PyErr_Clear();
    if ((axis != -1 && axis != 1) || overflow || ls < 0.0 || (!sum && !is_str(args[5], "mean")) ||
        (args[6] != Py_None && !is_str(args[6], "auto") && !is_str(args[6], "compiled") &&
         !is_str(args[6], "numba")))
        Py_RETURN_NONE;
    Py_buffer xv, tv;
    if (PyObject_GetBuffer(x, &xv, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    int f32 = plain_float_format(&xv);
    if (f32 < 0 || xv.ndim != 2 || xv.len == 0 || xv.len >= limit) {
        PyBuffer_Release(&xv);
        Py_RETURN_NONE;
    }
    if (get_target(tg, &tv, xv.shape[0]) < 0) {
        PyErr_Clear();
        PyBuffer_Release(&xv);
        Py_RETURN_NONE;
    }
    if (check_targets((const int64_t *)tv.buf, 0, xv.shape[0], xv.shape[1], ignore, NULL,
                      NULL) < 0) { /* the general path says which target */
        PyErr_Clear();
        res = Py_None;
        Py_INCREF(res);
    } else if (ce_call_rows(&xv, f32, &tv, ignore, ls, want_grad && !sum, want_grad, x, &res) < 0) {
        res = NULL;
    }
    PyBuffer_Release(&tv);
    PyBuffer_Release(&xv);
    return res;
#endif
}

/* ce_wsum(x, weight, m, threads) -> [sum_c w_c (x_c - m) per part] of a 1-D buffer (weight
 * alike, or None). */
static PyObject *py_ce_wsum(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, w;
    piece_job j = {.op = PC_WSUM};
    int nt;
    if (nargs_is(nargs, 4, "ce_wsum") < 0 || get_buf(args[0], &x, 0, 1, "x") < 0)
        return NULL;
    j.m = PyFloat_AsDouble(args[2]);
    if (PyErr_Occurred() || get_threads(args[3], &nt) < 0 ||
        get_opt_f64(args[1], &w, x.view.shape[0], "weight") < 0)
        return finish(0, &x, NULL, NULL);
    j.f32 = x.f32;
    j.x = x.view.buf;
    j.w = w.ok ? (const double *)w.view.buf : NULL;
    int cnt = run_pieces(&j, x.view.shape[0], nt);
    release(&w);
    release(&x);
    PyObject *res = PyList_New(cnt);
    for (int k = 0; res != NULL && k < cnt; k++) {
        PyObject *v = PyFloat_FromDouble(j.res[k][0]);
        if (v == NULL)
            Py_CLEAR(res);
        else
            PyList_SET_ITEM(res, k, v);
    }
    return res;
}

/* ce_grad_chunk(x, weight, g, m, a, b, threads): g = a exp(x - m) - b w over a 1-D buffer; a
 * float64 g already holds exp(x - m) (row_sum's store), a float32 one is computed from x. */
static PyObject *py_ce_grad_chunk(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, w, g;
    piece_job j = {.op = PC_GRAD};
    int nt;
    if (nargs_is(nargs, 7, "ce_grad_chunk") < 0 || get_x_out(args[0], args[2], &x, &g, 1, "g") < 0)
        return NULL;
    j.m = PyFloat_AsDouble(args[3]), j.a = PyFloat_AsDouble(args[4]);
    j.b = PyFloat_AsDouble(args[5]);
    if (PyErr_Occurred() || get_threads(args[6], &nt) < 0 ||
        get_opt_f64(args[1], &w, x.view.shape[0], "weight") < 0)
        return finish(0, &x, &g, NULL);
    j.f32 = x.f32;
    j.x = x.view.buf;
    j.o = g.view.buf;
    j.w = w.ok ? (const double *)w.view.buf : NULL;
    run_pieces(&j, x.view.shape[0], nt);
    return finish(1, &w, &g, &x);
}

/* vjp(p, v, out, r0, r1, threads): out = p (v - sum(p v)) for rows r0..r1 (2-D, all alike). */
static PyObject *py_vjp(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf p, v, o;
    Py_ssize_t r0, r1;
    int nt;
    if (nargs_is(nargs, 6, "vjp") < 0 || get_x_out(args[0], args[2], &p, &o, 2, "out") < 0)
        return NULL;
    v.ok = 0;
    if (get_buf(args[1], &v, 0, 2, "v") < 0 || same_layout(&p, &v, "v") < 0 ||
        row_range(args + 3, p.view.shape[0], &r0, &r1) < 0 || get_threads(args[5], &nt) < 0)
        return finish(0, &v, &o, &p);
    rows_job j = {.f32 = p.f32, .x = p.view.buf, .v = v.view.buf, .o = o.view.buf};
    j.n = p.view.shape[1];
    run_rows(vjp_part, &j, r0, r1, nt, 1);
    return finish(1, &v, &o, &p);
}

/* linear_ce(x, wt, b, y, s, gt, r0, r1) -> sum_i s_i nll_i over rows r0..r1 of the logits
 * Z = x wt + b (x (rows, d), wt (d, K) and b (K) of one dtype; b None: no intercept), the
 * targets y (int64, in [0, K)), the float64 row factors s (or None: 1); unless gt is None,
 * gt ((d + 1, K) float64) += [x^T (s G); sum_i s_i G_i] with G = softmax(Z) - onehot(y).
 * ValueError where K is above linear_ce_max_classes(x's itemsize). */
static PyObject *py_linear_ce(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf x, wt, b, s, gt;
    Py_buffer tv;
    Py_ssize_t r0, r1;
    PyObject *res = NULL;
    int have_t = 0;
    x.ok = wt.ok = b.ok = s.ok = gt.ok = 0;
    if (nargs_is(nargs, 8, "linear_ce") < 0 || get_buf(args[0], &x, 0, 2, "x") < 0 ||
        get_buf(args[1], &wt, 0, 2, "wt") < 0)
        goto done;
    Py_ssize_t nrows = x.view.shape[0], d = x.view.shape[1], K = wt.view.shape[1];
    const slx_table *tab = g_tab;
    if (wt.f32 != x.f32 || wt.view.shape[0] != d) {
        PyErr_Format(PyExc_ValueError, "wt must be (%zd, K) and of x's dtype", d);
        goto done;
    }
    if (K < 1 || K > tab->lce_max_k(x.f32)) {
        PyErr_Format(PyExc_ValueError, "linear_ce takes 1 to %zd classes, got %zd",
                     (Py_ssize_t)tab->lce_max_k(x.f32), K);
        goto done;
    }
    if (args[2] != Py_None) {
        if (get_buf(args[2], &b, 0, 1, "b") < 0)
            goto done;
        if (b.f32 != x.f32 || b.view.shape[0] != K) {
            PyErr_Format(PyExc_ValueError, "b must have %zd entries of x's dtype", K);
            goto done;
        }
    }
    if (get_opt_f64(args[4], &s, nrows, "s") < 0)
        goto done;
    if (args[5] != Py_None) {
        if (get_buf(args[5], &gt, 1, 2, "gt") < 0)
            goto done;
        if (gt.f32 || gt.view.shape[0] != d + 1 || gt.view.shape[1] != K) {
            PyErr_Format(PyExc_ValueError, "gt must be a (%zd, %zd) float64 buffer", d + 1, K);
            goto done;
        }
    }
    if (get_target(args[3], &tv, nrows) < 0)
        goto done;
    have_t = 1;
    if (row_range(args + 6, nrows, &r0, &r1) < 0)
        goto done;
    const int64_t *y = (const int64_t *)tv.buf;
    if (check_targets(y, r0, r1, K, -1, NULL, NULL) < 0)
        goto done;
    double loss;
    int oom = 0;
    const double *sp = s.ok ? (const double *)s.view.buf : NULL;
    double *gp = gt.ok ? (double *)gt.view.buf : NULL;
    Py_BEGIN_ALLOW_THREADS
    if (x.f32)
        loss = tab->lce32((const float *)x.view.buf, (const float *)wt.view.buf,
                          b.ok ? (const float *)b.view.buf : NULL, y, sp, gp, d, K, r0, r1,
                          &oom);
    else
        loss = tab->lce64((const double *)x.view.buf, (const double *)wt.view.buf,
                          b.ok ? (const double *)b.view.buf : NULL, y, sp, gp, d, K, r0, r1,
                          &oom);
    Py_END_ALLOW_THREADS
    if (oom)
        PyErr_NoMemory();
    else
        res = PyFloat_FromDouble(loss);
done:
    if (have_t)
        PyBuffer_Release(&tv);
    release3(&x, &wt, &b);
    release(&s);
    release(&gt);
    return res;
}

static PyObject *py_linear_ce_max_classes(PyObject *self, PyObject *itemsize)
{
    long v = PyLong_AsLong(itemsize);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t((Py_ssize_t)g_tab->lce_max_k(v == 4));
}

/* ------------------------------------------------------------------ levels */

/* adam_step(coef, g, mu, nu, one_m_b1, one_m_b2, b2, c2, eps, c1): one Adam step in place,
 * mu += (g - mu) one_m_b1, nu = nu b2 + (g g) one_m_b2, coef += mu / (sqrt(nu) / c2 + eps) c1:
 * each operation of models._solvers.adam's update and apply_updates in the same order, each
 * rounded once (IEEE; no contraction), so the results are NumPy's bit for bit. Float64 1-D
 * buffers of one length; g is only read. */
static PyObject *py_adam_step(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    slx_buf c, g, m, v;
    double k[6];
    if (nargs_is(nargs, 10, "adam_step") < 0)
        return NULL;
    for (int i = 0; i < 6; i++) {
        k[i] = PyFloat_AsDouble(args[4 + i]);
        if (k[i] == -1.0 && PyErr_Occurred())
            return NULL;
    }
    g.ok = m.ok = v.ok = 0;
    if (get_buf(args[0], &c, 1, 1, "coef") < 0)
        return NULL;
    if (get_buf(args[1], &g, 0, 1, "g") < 0 || get_buf(args[2], &m, 1, 1, "mu") < 0 ||
        get_buf(args[3], &v, 1, 1, "nu") < 0)
        goto fail;
    Py_ssize_t n = c.view.shape[0];
    if (c.f32 || g.f32 || m.f32 || v.f32 || g.view.shape[0] != n || m.view.shape[0] != n ||
        v.view.shape[0] != n) {
        PyErr_SetString(PyExc_ValueError,
                        "adam_step: coef, g, mu and nu must be float64 buffers of one length");
        goto fail;
    }
    double *cp = (double *)c.view.buf, *mp = (double *)m.view.buf, *vp = (double *)v.view.buf;
    const double *gp = (const double *)g.view.buf;
    const double omb1 = k[0], omb2 = k[1], b2 = k[2], c2 = k[3], eps = k[4], c1 = k[5];
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        double gi = gp[i];
        double mi = mp[i] + (gi - mp[i]) * omb1;
        double vi = vp[i] * b2 + (gi * gi) * omb2;
        double den = sqrt(vi) / c2 + eps;
        mp[i] = mi;
        vp[i] = vi;
        cp[i] = cp[i] + (mi / den) * c1;
    }
    Py_END_ALLOW_THREADS
    release(&v);
    return finish(1, &c, &g, &m);
fail:
    release(&v);
    return finish(0, &c, &g, &m);
}

static PyObject *py_pool_threads(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(slx_pool_threads());
}

static PyObject *py_get_level(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(LEVEL_NAMES[g_level]);
}

/* set_level(name): run the named level; ValueError if it is unknown, not compiled, or not
 * supported by this CPU. */
static PyObject *py_set_level(PyObject *self, PyObject *name)
{
    int i = level_index(name);
    if (i < 0) {
        PyErr_Format(PyExc_ValueError, "unknown SIMD level %R (baseline, avx2, avx512)", name);
        return NULL;
    }
    if (TABLES[i] == NULL) {
        PyErr_Format(PyExc_ValueError, "SIMD level '%s' is not compiled in this build",
                     LEVEL_NAMES[i]);
        return NULL;
    }
    if (!cpu_supports(i)) {
        PyErr_Format(PyExc_ValueError, "this CPU does not support SIMD level '%s'",
                     LEVEL_NAMES[i]);
        return NULL;
    }
    g_level = i;
    g_tab = TABLES[i];
    Py_RETURN_NONE;
}

static PyObject *level_list(int need_cpu)
{
    PyObject *lst = PyList_New(0);
    for (int i = 0; lst && i < LV_COUNT; i++) {
        if (TABLES[i] == NULL || (need_cpu && !cpu_supports(i)))
            continue;
        PyObject *s = PyUnicode_FromString(LEVEL_NAMES[i]);
        if (s == NULL || PyList_Append(lst, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(lst);
            return NULL;
        }
        Py_DECREF(s);
    }
    return lst;
}

/* Whether the running level has a fast float32 kernel (baseline runs the exact one). */
static PyObject *py_has_fast(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(g_tab->has_fast & 1);
}

/* Whether that kernel also computes log_softmax (on AVX-512 the exact kernel does). */
static PyObject *py_has_fast_log(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong((g_tab->has_fast >> 1) & 1);
}

static PyObject *py_compiled_levels(PyObject *self, PyObject *unused)
{
    return level_list(0);
}

static PyObject *py_supported_levels(PyObject *self, PyObject *unused)
{
    return level_list(1);
}

/* A METH_FASTCALL entry of the method table. */
#define FASTCALL(name, fn, doc) {name, (PyCFunction)(void (*)(void))fn, METH_FASTCALL, doc}

static PyMethodDef methods[] = {
    FASTCALL("softmax", py_softmax,
             "softmax(x, out, r0, r1, temperature, mode, threads): rows r0..r1 of x into out "
             "(mode: 1 log_softmax, 2 precision='fast', OR-ed)."),
    {"has_fast", py_has_fast, METH_NOARGS, "Whether the running level has a fast kernel."},
    {"has_fast_log", py_has_fast_log, METH_NOARGS,
     "Whether the fast kernel also computes log_softmax."},
    FASTCALL("softmax_call", py_softmax_call,
             "softmax_call(x, axis, temperature, backend, out, precision, log, max_bytes) "
             "-> the result, or None: the common public call in one C call."),
    FASTCALL("set_allocator", py_set_allocator,
             "set_allocator(empty_like, ndarray): the allocator of softmax_call and its type."),
    FASTCALL("logsumexp", py_logsumexp,
             "logsumexp(x, out, flags, r0, r1, threads): log-sum-exp of rows r0..r1."),
    FASTCALL("row_max", py_row_max, "row_max(x, threads) -> (max, has_nan) of a 1-D row."),
    FASTCALL("row_sum", py_row_sum,
             "row_sum(x, m, t, store, threads) -> [(count of maxima, hi, lo) per part]."),
    FASTCALL("row_maxsum", py_row_maxsum,
             "row_maxsum(x, inv_t, threads) -> [(max, count of maxima, sum) per part] of a "
             "float32 row, read once."),
    FASTCALL("row_write", py_row_write,
             "row_write(x, out, m, t, a, b, log, threads): write pass of a 1-D row."),
    FASTCALL("cross_entropy", py_cross_entropy,
             "cross_entropy(x, target, weight, grad, parts, r0, r1, ignore, eps, scale, "
             "sum_w, threads) -> (sums of nllw, smooth, wy)."),
    FASTCALL("ce_call", py_ce_call,
             "ce_call(logits, target, axis, ignore_index, label_smoothing, reduction, backend, "
             "want_grad, max_bytes) -> (nll, smooth, wy sums, grad or None), or None: the "
             "common small cross-entropy call in one C call."),
    FASTCALL("ce_denom", py_ce_denom,
             "ce_denom(target, weight, n, ignore) -> sum of the kept target weights."),
    FASTCALL("ce_wsum", py_ce_wsum,
             "ce_wsum(x, weight, m, threads) -> [sum of w (x - m) per part] of a 1-D row."),
    FASTCALL("ce_grad_chunk", py_ce_grad_chunk,
             "ce_grad_chunk(x, weight, g, m, a, b, threads): g = a exp(x - m) - b w over a 1-D row "
             "(float64: g holds exp(x - m), row_sum's store)."),
    FASTCALL("vjp", py_vjp,
             "vjp(p, v, out, r0, r1, threads): softmax vector-Jacobian product of rows r0..r1."),
    FASTCALL("linear_ce", py_linear_ce,
             "linear_ce(x, wt, b, y, s, gt, r0, r1) -> loss sum: fused linear cross-entropy "
             "of rows r0..r1 (gradient added into gt unless None)."),
    {"linear_ce_max_classes", py_linear_ce_max_classes, METH_O,
     "linear_ce_max_classes(itemsize) -> the largest K linear_ce takes on the running level."},
    FASTCALL("adam_step", py_adam_step,
             "adam_step(coef, g, mu, nu, one_m_b1, one_m_b2, b2, c2, eps, c1): one Adam step "
             "in place (float64)."),
    FASTCALL("_exp32", py_exp32, "exp of the float32 softmax passes (test hook)."),
    {"_exp_table", py_exp_table, METH_O, "Private switch of the AVX-512 table exp."},
    {"_online_min", py_online_min, METH_O, "Private switch of the one-pass (max, sum)."},
    {"_pool_threads", py_pool_threads, METH_NOARGS,
     "Threads of the core's pool started in this process, the caller's included."},
    {"get_level", py_get_level, METH_NOARGS, "The SIMD level running."},
    {"set_level", py_set_level, METH_O, "Run the named SIMD level (ValueError if impossible)."},
    {"compiled_levels", py_compiled_levels, METH_NOARGS, "Levels compiled in this build."},
    {"supported_levels", py_supported_levels, METH_NOARGS,
     "Compiled levels this CPU supports."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_core", "SIMD row kernels of the softmax family.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__core(void)
{
    for (int i = LV_COUNT - 1; i >= 0; i--) {
        if (TABLES[i] != NULL && cpu_supports(i)) {
            g_level = i;
            g_tab = TABLES[i];
            break;
        }
    }
#ifdef SLX_NUMPY_API
    /* Where the NumPy at run time cannot serve the C API this was built against, results
     * come from numpy.empty_like (set_allocator) instead. */
    g_numpy_api = _import_array() >= 0;
    if (!g_numpy_api)
        PyErr_Clear();
#endif
    if (pool_init() < 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_atfork failed");
        return NULL;
    }
    return PyModule_Create(&module);
}
