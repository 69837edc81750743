/*
 * plugbench: times a Vigor plugin through the C ABI only (vigor_plugin.h), the way the host
 * calls it, with no Vigor code in between.
 *
 *   plugbench load [--preload LIB]... PLUGIN.so
 *       dlopen (RTLD_NOW|RTLD_LOCAL), dlsym of the entry, the entry call, on_init, on_describe;
 *       one JSON line with each step in microseconds. --preload dlopens libraries first
 *       (untimed): pass the Swift runtime and Foundation, which the host has already mapped
 *       when it scans its plugin folder, so the figure is what one more plugin costs it.
 *
 *   plugbench translate PLUGIN.so COMPONENT BUILD_INPUT PARSE_INPUT STREAM_REQUEST SSE_BODY ITERS
 *       ITERS calls each of provider.build_request, provider.parse_response, and one stream
 *       (on_stream_open "provider.stream" + one on_stream_feed of the whole SSE body +
 *       on_stream_close), in 5 batches; one JSON line with the median ns per call.
 *       The *_INPUT files hold the exact JSON the host passes (see bench/tools/plugin_inputs.py).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigor_plugin.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---------------------------------------------------------------- minimal host services */

static void host_log(void *ctx, int32_t level, vigor_str message) {
    (void)ctx;
    if (level >= VIGOR_LOG_WARNING) fprintf(stderr, "plugin log %d: %.*s\n", level, (int)message.len, message.ptr);
}
static int64_t host_now_ms(void *ctx) {
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
static uint64_t host_monotonic_ns(void *ctx) {
    (void)ctx;
    return (uint64_t)now_ns();
}
static vigor_status host_unavailable(void *ctx, const vigor_call *call, vigor_str req, vigor_buf *out) {
    (void)ctx; (void)call; (void)req; (void)out;
    return VIGOR_ERR_UNAVAILABLE;
}

static const vigor_log_v1 LOG_SERVICE = {sizeof(vigor_log_v1), host_log};
static const vigor_clock_v1 CLOCK_SERVICE = {sizeof(vigor_clock_v1), host_now_ms, host_monotonic_ns};
static const vigor_http_v1 HTTP_SERVICE = {sizeof(vigor_http_v1), host_unavailable};
static const vigor_llm_v1 LLM_SERVICE = {sizeof(vigor_llm_v1), host_unavailable};

static const void *get_service(void *ctx, const char *id) {
    (void)ctx;
    if (strcmp(id, VIGOR_SERVICE_LOG) == 0) return &LOG_SERVICE;
    if (strcmp(id, VIGOR_SERVICE_CLOCK) == 0) return &CLOCK_SERVICE;
    if (strcmp(id, VIGOR_SERVICE_HTTP) == 0) return &HTTP_SERVICE;
    if (strcmp(id, VIGOR_SERVICE_LLM) == 0) return &LLM_SERVICE;
    return NULL;
}

static const vigor_host_api HOST = {sizeof(vigor_host_api), VIGOR_ABI_MAJOR, VIGOR_ABI_MINOR, NULL, get_service};

static void release(vigor_buf *b) {
    if (b->release) b->release(b);
    memset(b, 0, sizeof *b);
}

static int die(const char *what, const char *detail) {
    fprintf(stderr, "plugbench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

/* ---------------------------------------------------------------- loading */

typedef struct {
    void *lib;
    const vigor_plugin_table *table;
    vigor_instance *instance;
    double dlopen_us, entry_us, init_us, describe_us;
    vigor_buf descriptor;
} loaded_plugin;

static int load_plugin(const char *path, loaded_plugin *p) {
    memset(p, 0, sizeof *p);
    double t0 = now_ns();
    p->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    double t1 = now_ns();
    if (!p->lib) return die("dlopen failed", dlerror());
    vigor_plugin_entry_fn entry = (vigor_plugin_entry_fn)dlsym(p->lib, VIGOR_ENTRY_SYMBOL);
    if (!entry) return die("no entry symbol", path);
    p->table = entry();
    double t2 = now_ns();
    if (!p->table || p->table->magic != VIGOR_PLUGIN_MAGIC) return die("bad plugin table", path);
    vigor_buf err = {0};
    vigor_status st = p->table->on_init(&HOST, &p->instance, &err);
    double t3 = now_ns();
    if (st != VIGOR_OK) {
        fprintf(stderr, "on_init: %d %.*s\n", st, (int)err.len, err.ptr ? err.ptr : "");
        release(&err);
        return 1;
    }
    st = p->table->on_describe(p->instance, &p->descriptor);
    double t4 = now_ns();
    if (st != VIGOR_OK) return die("on_describe failed", path);
    p->dlopen_us = (t1 - t0) / 1e3;
    p->entry_us = (t2 - t1) / 1e3;
    p->init_us = (t3 - t2) / 1e3;
    p->describe_us = (t4 - t3) / 1e3;
    return 0;
}

static int cmd_load(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--preload") == 0 && i + 1 < argc) {
            if (!dlopen(argv[++i], RTLD_NOW | RTLD_GLOBAL)) return die("preload failed", dlerror());
        } else {
            path = argv[i];
        }
    }
    if (!path) return die("usage: plugbench load [--preload LIB]... PLUGIN.so", NULL);
    loaded_plugin p;
    if (load_plugin(path, &p)) return 1;
    printf("{\"path\":\"%s\",\"dlopen_us\":%.1f,\"entry_us\":%.1f,\"init_us\":%.1f,\"describe_us\":%.1f,\"total_us\":%.1f,"
           "\"descriptor_bytes\":%zu}\n",
           path, p.dlopen_us, p.entry_us, p.init_us, p.describe_us, p.dlopen_us + p.entry_us + p.init_us + p.describe_us,
           p.descriptor.len);
    return 0;
}

/* ---------------------------------------------------------------- translate calls */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int32_t zero_flag = 0;
static size_t stream_events, stream_done;
static vigor_status stream_status;

static void on_event(void *user, vigor_str ev) { (void)user; (void)ev; stream_events++; }
static void on_done(void *user, vigor_status st, vigor_str msg) { (void)user; (void)msg; stream_done++; stream_status = st; }

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define BATCHES 5

static int cmd_translate(int argc, char **argv) {
    if (argc != 7) return die("usage: plugbench translate PLUGIN.so COMPONENT BUILD_INPUT PARSE_INPUT STREAM_REQUEST SSE_BODY ITERS", NULL);
    const char *path = argv[0], *component = argv[1];
    size_t build_len, parse_len, sreq_len, sse_len;
    char *build_in = slurp(argv[2], &build_len), *parse_in = slurp(argv[3], &parse_len);
    char *sreq = slurp(argv[4], &sreq_len), *sse = slurp(argv[5], &sse_len);
    long iters = atol(argv[6]);
    if (!build_in || !parse_in || !sreq || !sse || iters <= 0) return die("cannot read inputs", NULL);

    loaded_plugin p;
    if (load_plugin(path, &p)) return 1;
    const vigor_plugin_table *t = p.table;
    vigor_call call = {sizeof(vigor_call), 0, 1, 0, &zero_flag};
    vigor_str comp = {component, strlen(component)};
    vigor_str op_build = {"provider.build_request", strlen("provider.build_request")};
    vigor_str op_parse = {"provider.parse_response", strlen("provider.parse_response")};
    vigor_str op_stream = {"provider.stream", strlen("provider.stream")};
    vigor_str in_build = {build_in, build_len}, in_parse = {parse_in, parse_len}, in_sreq = {sreq, sreq_len};
    vigor_str body = {sse, sse_len}, none = {NULL, 0};
    vigor_stream_sink sink = {sizeof(vigor_stream_sink), 0, NULL, on_event, on_done};

    /* One checked call of each, so a broken input fails loudly instead of timing an error path. */
    vigor_buf out = {0};
    if (t->on_invoke(p.instance, &call, comp, op_build, in_build, &out) != VIGOR_OK)
        return die("build_request failed", out.ptr ? out.ptr : "");
    size_t build_out_len = out.len;
    release(&out);
    if (t->on_invoke(p.instance, &call, comp, op_parse, in_parse, &out) != VIGOR_OK || !out.ptr || !strstr(out.ptr, "\"response\""))
        return die("parse_response did not return a response", out.ptr ? out.ptr : "");
    size_t parse_out_len = out.len;
    release(&out);
    vigor_stream *s = NULL;
    stream_events = stream_done = 0;
    if (t->on_stream_open(p.instance, &call, comp, op_stream, in_sreq, &sink, &s, &out) != VIGOR_OK)
        return die("stream open failed", out.ptr ? out.ptr : "");
    t->on_stream_feed(s, body);
    t->on_stream_close(s, VIGOR_OK, none);
    if (stream_done != 1 || stream_status != VIGOR_OK) return die("stream did not finish OK", NULL);
    size_t events_per_stream = stream_events;

    double build_ns[BATCHES], parse_ns[BATCHES], stream_ns[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            t->on_invoke(p.instance, &call, comp, op_build, in_build, &out);
            release(&out);
        }
        double t1 = now_ns();
        for (long i = 0; i < iters; i++) {
            t->on_invoke(p.instance, &call, comp, op_parse, in_parse, &out);
            release(&out);
        }
        double t2 = now_ns();
        for (long i = 0; i < iters; i++) {
            t->on_stream_open(p.instance, &call, comp, op_stream, in_sreq, &sink, &s, &out);
            t->on_stream_feed(s, body);
            t->on_stream_close(s, VIGOR_OK, none);
        }
        double t3 = now_ns();
        build_ns[b] = (t1 - t0) / (double)iters;
        parse_ns[b] = (t2 - t1) / (double)iters;
        stream_ns[b] = (t3 - t2) / (double)iters;
    }
    qsort(build_ns, BATCHES, sizeof(double), cmp_double);
    qsort(parse_ns, BATCHES, sizeof(double), cmp_double);
    qsort(stream_ns, BATCHES, sizeof(double), cmp_double);
    printf("{\"path\":\"%s\",\"component\":\"%s\",\"iters_per_batch\":%ld,\"batches\":%d,"
           "\"build_request_ns\":%.0f,\"parse_response_ns\":%.0f,\"translate_ns\":%.0f,"
           "\"stream_ns\":%.0f,\"stream_events\":%zu,\"stream_body_bytes\":%zu,"
           "\"build_input_bytes\":%zu,\"build_output_bytes\":%zu,\"parse_input_bytes\":%zu,\"parse_output_bytes\":%zu}\n",
           path, component, iters, BATCHES, build_ns[BATCHES / 2], parse_ns[BATCHES / 2],
           build_ns[BATCHES / 2] + parse_ns[BATCHES / 2], stream_ns[BATCHES / 2], events_per_stream, sse_len,
           build_len, build_out_len, parse_len, parse_out_len);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "load") == 0) return cmd_load(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "translate") == 0) return cmd_translate(argc - 2, argv + 2);
    return die("usage: plugbench load|translate ...", NULL);
}
