/*
 * Deliberately broken plugins for the loader tests. Exactly one BAD_* macro is defined
 * per build; each produces one rejection reason.
 */
#include <stdlib.h>
#include <string.h>

#include "vigor_plugin.h"

static void release_buf(vigor_buf *buf) { free(buf->ptr); buf->ptr = NULL; buf->len = 0; }

static vigor_status put(vigor_buf *out, const char *text, vigor_status status) {
    size_t len = strlen(text);
    out->ptr = malloc(len + 1);
    memcpy(out->ptr, text, len);
    out->len = len;
    out->release = release_buf;
    return status;
}

#if defined(BAD_JSON)
#define DESCRIPTOR "{\"schema\":1,\"plugins\":[{\"id\":"
#elif defined(BAD_MISSING_ID)
#define DESCRIPTOR "{\"schema\":1,\"plugins\":[{\"name\":\"x\",\"version\":\"1.0.0\",\"kind\":\"llm-provider\"}]}"
#elif defined(BAD_UNKNOWN_KIND)
#define DESCRIPTOR "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.kind\",\"version\":\"1.0.0\",\"kind\":\"toaster\"}]}"
#else
#define DESCRIPTOR "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.bad\",\"version\":\"1.0.0\",\"kind\":\"llm-provider\",\"capabilities\":{\"offline\":true}}]}"
#endif

#ifdef BAD_UNDEFINED
extern void vigor_test_missing_symbol(void);
#endif

static vigor_status on_init(const vigor_host_api *host, vigor_instance **out, vigor_buf *err) {
    (void)host;
#ifdef BAD_UNDEFINED
    vigor_test_missing_symbol();
#endif
    *out = NULL;
#ifdef BAD_INIT_FAILS
    return put(err, "missing configuration file", VIGOR_ERR_UNAVAILABLE);
#else
    (void)err;
    return VIGOR_OK;
#endif
}

static vigor_status on_describe(vigor_instance *i, vigor_buf *out) { (void)i; return put(out, DESCRIPTOR, VIGOR_OK); }

static vigor_status on_invoke(vigor_instance *i, const vigor_call *c, vigor_str comp, vigor_str op, vigor_str in, vigor_buf *out) {
    (void)i; (void)c; (void)comp; (void)op; (void)in;
    return put(out, "not implemented", VIGOR_ERR_UNSUPPORTED);
}

static vigor_status on_stream_open(vigor_instance *i, const vigor_call *c, vigor_str comp, vigor_str op, vigor_str in,
                                   const vigor_stream_sink *s, vigor_stream **o, vigor_buf *err) {
    (void)i; (void)c; (void)comp; (void)op; (void)in; (void)s; (void)o;
    return put(err, "no streams", VIGOR_ERR_UNSUPPORTED);
}
static void on_stream_feed(vigor_stream *s, vigor_str b) { (void)s; (void)b; }
static void on_stream_close(vigor_stream *s, vigor_status st, vigor_str m) { (void)s; (void)st; (void)m; }
static void on_shutdown(vigor_instance *i) { (void)i; }

#ifndef TABLE_MAGIC
#define TABLE_MAGIC VIGOR_PLUGIN_MAGIC
#endif
#ifndef TABLE_MAJOR
#define TABLE_MAJOR VIGOR_ABI_MAJOR
#endif
#ifndef TABLE_MINOR
#define TABLE_MINOR VIGOR_ABI_MINOR
#endif
#ifndef TABLE_SIZE
#define TABLE_SIZE sizeof(vigor_plugin_table)
#endif
#ifndef TOOLCHAIN
#define TOOLCHAIN "c"
#endif

static const vigor_plugin_table TABLE = {
    TABLE_SIZE, TABLE_MAGIC, TABLE_MAJOR, TABLE_MINOR, TOOLCHAIN,
    on_init, on_describe, on_invoke, on_stream_open, on_stream_feed, on_stream_close, on_shutdown,
};

#if defined(BAD_NO_ENTRY)
const vigor_plugin_table *vigor_plugin_entry_v0(void) { return &TABLE; }
#elif defined(BAD_NULL_TABLE)
const vigor_plugin_table *vigor_plugin_entry(void) { return NULL; }
#else
const vigor_plugin_table *vigor_plugin_entry(void) { return &TABLE; }
#endif
