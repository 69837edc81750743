/*
 * A Vigor plugin in plain C: an offline provider ("dev.example.c-coach") that answers
 * with a short stretching tip. It uses only vigor_plugin.h and libc, which proves the
 * ABI is C and not Swift. Build: `make` (see the Makefile beside this file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigor_plugin.h"

#ifndef COACH_ID
#define COACH_ID "dev.example.c-coach"
#endif
#ifndef COACH_VERSION
#define COACH_VERSION "1.0.0"
#endif

static const char DESCRIPTOR[] =
    "{\"schema\":1,\"plugins\":[{\"id\":\"" COACH_ID "\",\"name\":\"C coach\",\"version\":\"" COACH_VERSION "\","
    "\"kind\":\"llm-provider\",\"provider\":\"c-coach\",\"capabilities\":{\"offline\":true},"
    "\"models\":[{\"id\":\"c-coach-1\",\"input_per_mtok_usd\":0,\"output_per_mtok_usd\":0}],"
    "\"allowed_hosts\":[],\"secrets\":[]}]}";

static const char REPLY[] =
    "{\"schema\":1,\"response\":{\"schema\":1,\"text\":\"Stretch after training: hold each stretch "
    "20-30 seconds, breathe slowly, never bounce.\",\"finish_reason\":\"stop\",\"model\":\"c-coach-1\","
    "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":18},\"citations\":[]}}";

/* Output buffers are malloc'd here and freed here, through vigor_buf.release. */
static void release_buf(vigor_buf *buf) {
    if (buf == NULL) return;
    free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
    buf->release = NULL;
}

static vigor_status put(vigor_buf *out, const char *text, size_t len, vigor_status status) {
    if (out == NULL) return status;
    out->ptr = malloc(len ? len : 1);
    if (out->ptr == NULL) return VIGOR_ERR_INTERNAL;
    memcpy(out->ptr, text, len);
    out->len = len;
    out->release = release_buf;
    return status;
}

static vigor_status fail(vigor_buf *out, vigor_status status, const char *message) {
    return put(out, message, strlen(message), status);
}

/* Structural JSON check: one object, balanced brackets, strings closed. */
static int looks_like_json_object(const char *p, size_t n) {
    size_t i = 0, depth = 0;
    int in_string = 0, escaped = 0, closed = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r')) i++;
    if (i == n || p[i] != '{') return 0;
    for (; i < n; i++) {
        char c = p[i];
        if (closed && c != ' ' && c != '\n' && c != '\t' && c != '\r') return 0;
        if (in_string) {
            if (escaped) escaped = 0;
            else if (c == '\\') escaped = 1;
            else if (c == '"') in_string = 0;
            else if ((unsigned char)c < 0x20) return 0;
            continue;
        }
        if (c == '"') in_string = 1;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
            if (depth == 0) return 0;
            if (--depth == 0) closed = 1;
        }
    }
    return closed && !in_string;
}

/* The value of "messages" must be an array. */
static int has_messages_array(const char *p, size_t n) {
    static const char key[] = "\"messages\"";
    size_t k = sizeof(key) - 1;
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(p + i, key, k) != 0) continue;
        size_t j = i + k;
        while (j < n && (p[j] == ' ' || p[j] == ':')) j++;
        return j < n && p[j] == '[';
    }
    return 0;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static vigor_status on_init(const vigor_host_api *host, vigor_instance **out_instance, vigor_buf *out_error) {
    if (host == NULL || out_instance == NULL) return fail(out_error, VIGOR_ERR_INVALID_INPUT, "NULL argument");
    if (host->abi_major != VIGOR_ABI_MAJOR) return fail(out_error, VIGOR_ERR_INCOMPATIBLE, "host ABI major differs");
    *out_instance = NULL; /* stateless */
    return VIGOR_OK;
}

static vigor_status on_describe(vigor_instance *instance, vigor_buf *out) {
    (void)instance;
    return put(out, DESCRIPTOR, sizeof(DESCRIPTOR) - 1, VIGOR_OK);
}

static vigor_status on_invoke(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                              vigor_str input, vigor_buf *out) {
    (void)instance;
    if (call != NULL && call->cancelled != NULL && *call->cancelled) return fail(out, VIGOR_ERR_CANCELLED, "cancelled");
    if (call != NULL && call->deadline_ms != 0 && now_ms() >= call->deadline_ms)
        return fail(out, VIGOR_ERR_DEADLINE, "deadline exceeded");
    if (component.len != strlen(COACH_ID) || memcmp(component.ptr, COACH_ID, component.len) != 0)
        return fail(out, VIGOR_ERR_UNSUPPORTED, "unknown component");
    if (op.len != strlen("provider.complete") || memcmp(op.ptr, "provider.complete", op.len) != 0)
        return fail(out, VIGOR_ERR_UNSUPPORTED, "unknown operation");
    if (input.ptr == NULL || !looks_like_json_object(input.ptr, input.len))
        return fail(out, VIGOR_ERR_INVALID_INPUT, "input is not a JSON object");
    if (!has_messages_array(input.ptr, input.len))
        return fail(out, VIGOR_ERR_INVALID_INPUT, "messages: expected an array");
    char reply[512];
    int len = snprintf(reply, sizeof reply, REPLY, (int)(input.len / 4 + 1));
    return put(out, reply, (size_t)len, VIGOR_OK);
}

static vigor_status on_stream_open(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                                   vigor_str input, const vigor_stream_sink *sink, vigor_stream **out_stream,
                                   vigor_buf *out_error) {
    (void)instance; (void)call; (void)component; (void)op; (void)input; (void)sink; (void)out_stream;
    return fail(out_error, VIGOR_ERR_UNSUPPORTED, "this plugin does not stream");
}

static void on_stream_feed(vigor_stream *stream, vigor_str bytes) { (void)stream; (void)bytes; }
static void on_stream_close(vigor_stream *stream, vigor_status status, vigor_str message) {
    (void)stream; (void)status; (void)message;
}
static void on_shutdown(vigor_instance *instance) { (void)instance; }

static const vigor_plugin_table TABLE = {
    sizeof(vigor_plugin_table), VIGOR_PLUGIN_MAGIC, VIGOR_ABI_MAJOR, VIGOR_ABI_MINOR, "c",
    on_init, on_describe, on_invoke, on_stream_open, on_stream_feed, on_stream_close, on_shutdown,
};

const vigor_plugin_table *vigor_plugin_entry(void) { return &TABLE; }
