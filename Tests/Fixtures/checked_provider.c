/*
 * A small upstream-backed provider in plain C ("dev.test.checked", provider "checked",
 * secret CHECKED_API_KEY) for the tests of `vigor plugin check` and of the loader's secret
 * rules. Built as is, it passes the whole conformance suite. Defines make it misbehave in
 * exactly one way each:
 *   GARBAGE_PARSE     parse_response answers VIGOR_OK with "this is not JSON"
 *   CRASH_ON_PARSE    parse_response dereferences NULL (segfault)
 *   NO_SECRET_HEADER  build_request declares CHECKED_API_KEY but sends no secret_headers
 *   BAD_EVENT         the stream parser emits events without "type"
 *   TOKEN_SECRET      the descriptor's secret is CHECKED_TOKEN (breaks the naming rule)
 *   JSON_BODY_CLAIMED the descriptor declares "json_body" but parse_response reads only "body"
 * It understands just enough JSON to refuse malformed input: a balanced object, and the
 * few keys it reads found by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigor_plugin.h"

#ifdef TOKEN_SECRET
#define SECRET "CHECKED_TOKEN"
#else
#define SECRET "CHECKED_API_KEY"
#endif

#ifdef JSON_BODY_CLAIMED
#define CAPABILITIES "{\"streaming\":true,\"json_body\":true}"
#else
#define CAPABILITIES "{\"streaming\":true}"
#endif

static const char DESCRIPTOR[] =
    "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.checked\",\"name\":\"Checked\",\"version\":\"1.0.0\","
    "\"kind\":\"llm-provider\",\"provider\":\"checked\",\"capabilities\":" CAPABILITIES ","
    "\"models\":[{\"id\":\"checked-1\",\"input_per_mtok_usd\":0.1,\"output_per_mtok_usd\":0.2}],"
    "\"allowed_hosts\":[\"api.checked.example\"],\"secrets\":[\"" SECRET "\"],"
    "\"default_base_url\":\"https://api.checked.example\"}]}";

static void release_buf(vigor_buf *buf) {
    free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
}

static vigor_status put(vigor_buf *out, const char *text, size_t len, vigor_status status) {
    out->ptr = malloc(len ? len : 1);
    if (!out->ptr) return VIGOR_ERR_INTERNAL;
    memcpy(out->ptr, text, len);
    out->len = len;
    out->release = release_buf;
    return status;
}

static vigor_status put_text(vigor_buf *out, const char *text, vigor_status status) {
    return put(out, text, strlen(text), status);
}

static int is(vigor_str s, const char *text) { return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0; }

/* One JSON object, braces and brackets balanced outside strings, nothing after it. */
static int balanced_object(vigor_str in) {
    size_t i = 0, end = in.len;
    while (i < end && (in.ptr[i] == ' ' || in.ptr[i] == '\n')) i++;
    while (end > i && (in.ptr[end - 1] == ' ' || in.ptr[end - 1] == '\n')) end--;
    if (i >= end || in.ptr[i] != '{' || in.ptr[end - 1] != '}') return 0;
    int depth = 0, string = 0;
    for (; i < end; i++) {
        char c = in.ptr[i];
        if (string) {
            if (c == '\\') i++;
            else if (c == '"') string = 0;
            continue;
        }
        if (c == '"') string = 1;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
            if (--depth < 0) return 0;
            if (depth == 0 && i != end - 1) return 0;
        }
    }
    return depth == 0 && !string;
}

/* The position just after `"key":` in the input, or -1. */
static long after_key(vigor_str in, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    size_t k = strlen(pattern);
    for (size_t i = 0; i + k <= in.len; i++)
        if (memcmp(in.ptr + i, pattern, k) == 0) return (long)(i + k);
    return -1;
}

static int arrives_late(const vigor_call *call, vigor_status *status) {
    if (call && call->cancelled && *call->cancelled) {
        *status = VIGOR_ERR_CANCELLED;
        return 1;
    }
    if (call && call->deadline_ms > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        if (now >= call->deadline_ms) {
            *status = VIGOR_ERR_DEADLINE;
            return 1;
        }
    }
    return 0;
}

static vigor_status on_init(const vigor_host_api *host, vigor_instance **out_instance, vigor_buf *out_error) {
    if (!host || host->abi_major != VIGOR_ABI_MAJOR) return put_text(out_error, "needs ABI 1.x", VIGOR_ERR_INCOMPATIBLE);
    *out_instance = NULL;
    return VIGOR_OK;
}

static vigor_status on_describe(vigor_instance *instance, vigor_buf *out) {
    (void)instance;
    return put_text(out, DESCRIPTOR, VIGOR_OK);
}

static vigor_status build_request(vigor_str in, vigor_buf *out) {
    long base = after_key(in, "base_url");
    if (!balanced_object(in) || base < 0 || after_key(in, "messages") < 0 || in.ptr[base] != '"')
        return put_text(out, "build_request needs {\"request\":{\"messages\":[...]},\"base_url\":\"...\"}", VIGOR_ERR_INVALID_INPUT);
    size_t start = (size_t)base + 1, end = start;
    while (end < in.len && in.ptr[end] != '"') end++;
    if (end >= in.len || end - start > 512) return put_text(out, "bad base_url", VIGOR_ERR_INVALID_INPUT);
    char text[1024];
#ifdef NO_SECRET_HEADER
    const char *secrets = "[]";
#else
    const char *secrets = "[{\"name\":\"Authorization\",\"secret\":\"" SECRET "\",\"prefix\":\"Bearer \"}]";
#endif
    int n = snprintf(text, sizeof text,
                     "{\"schema\":1,\"method\":\"POST\",\"url\":\"%.*s/v1/chat\","
                     "\"headers\":[[\"content-type\",\"application/json\"]],"
                     "\"body\":\"{\\\"model\\\":\\\"checked-1\\\"}\",\"secret_headers\":%s}",
                     (int)(end - start), in.ptr + start, secrets);
    return put(out, text, (size_t)n, VIGOR_OK);
}

static vigor_status parse_response(vigor_str in, vigor_buf *out) {
    long at = after_key(in, "status");
    if (!balanced_object(in) || at < 0 || after_key(in, "body") < 0 || in.ptr[at] < '0' || in.ptr[at] > '9')
        return put_text(out, "parse_response needs {\"status\":int,\"headers\":[...],\"body\":\"...\"}", VIGOR_ERR_INVALID_INPUT);
#ifdef GARBAGE_PARSE
    return put_text(out, "this is not JSON", VIGOR_OK);
#endif
#ifdef CRASH_ON_PARSE
    volatile int *nowhere = NULL;
    *nowhere = 1;
#endif
    int status = atoi(in.ptr + at);
    if (status == 200)
        return put_text(out,
                        "{\"schema\":1,\"response\":{\"text\":\"ok\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}}",
                        VIGOR_OK);
    const char *kind = status == 401 || status == 403 ? "auth" : status == 429 ? "rate_limited" : "overloaded";
    char text[256];
    int n = snprintf(text, sizeof text, "{\"schema\":1,\"error\":{\"kind\":\"%s\",\"message\":\"HTTP %d\",\"status\":%d}}", kind,
                     status, status);
    return put(out, text, (size_t)n, VIGOR_OK);
}

static vigor_status on_invoke(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                              vigor_str input, vigor_buf *out) {
    (void)instance;
    vigor_status late;
    if (!is(component, "dev.test.checked")) return put_text(out, "unknown component", VIGOR_ERR_UNSUPPORTED);
    if (is(op, "provider.build_request")) {
        if (arrives_late(call, &late)) return put_text(out, "too late", late);
        return build_request(input, out);
    }
    if (is(op, "provider.parse_response")) {
        if (arrives_late(call, &late)) return put_text(out, "too late", late);
        return parse_response(input, out);
    }
    return put_text(out, "unknown op", VIGOR_ERR_UNSUPPORTED);
}

struct vigor_stream {
    vigor_stream_sink sink;
    int done;
};

static vigor_status on_stream_open(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                                   vigor_str input, const vigor_stream_sink *sink, vigor_stream **out_stream,
                                   vigor_buf *out_error) {
    (void)instance;
    vigor_status late;
    if (!is(component, "dev.test.checked") || !is(op, "provider.stream"))
        return put_text(out_error, "unknown stream", VIGOR_ERR_UNSUPPORTED);
    if (arrives_late(call, &late)) return put_text(out_error, "too late", late);
    if (!balanced_object(input)) return put_text(out_error, "stream input must be the chat request", VIGOR_ERR_INVALID_INPUT);
    vigor_stream *stream = calloc(1, sizeof *stream);
    if (!stream) return VIGOR_ERR_INTERNAL;
    stream->sink = *sink;
    *out_stream = stream;
    return VIGOR_OK;
}

static void on_stream_feed(vigor_stream *stream, vigor_str bytes) {
    if (stream->done || bytes.len == 0) return;
#ifdef BAD_EVENT
    static const char event[] = "{\"text\":\"ok\"}";
#else
    static const char event[] = "{\"type\":\"delta\",\"text\":\"ok\"}";
#endif
    stream->sink.on_event(stream->sink.user, (vigor_str){event, sizeof event - 1});
}

static void on_stream_close(vigor_stream *stream, vigor_status status, vigor_str message) {
    if (!stream->done) {
        stream->done = 1;
        stream->sink.on_done(stream->sink.user, status, message);
    }
    free(stream);
}

static void on_shutdown(vigor_instance *instance) { (void)instance; }

static const vigor_plugin_table TABLE = {
    .struct_size = sizeof(vigor_plugin_table),
    .magic = VIGOR_PLUGIN_MAGIC,
    .abi_major = VIGOR_ABI_MAJOR,
    .abi_minor = VIGOR_ABI_MINOR,
    .toolchain = "c",
    .on_init = on_init,
    .on_describe = on_describe,
    .on_invoke = on_invoke,
    .on_stream_open = on_stream_open,
    .on_stream_feed = on_stream_feed,
    .on_stream_close = on_stream_close,
    .on_shutdown = on_shutdown,
};

const vigor_plugin_table *vigor_plugin_entry(void) { return &TABLE; }
