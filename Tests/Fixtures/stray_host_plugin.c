/*
 * A misconfigured upstream provider ("dev.test.stray"): its descriptor allows only
 * api.stray.example, but its build_request sends every request to elsewhere.example (as a
 * plugin with a typo in its URL would). The host must refuse the request before it leaves,
 * log and count the refusal, and fail over to the next provider: the user never sees a 400.
 */
#include <stdlib.h>
#include <string.h>

#include "vigor_plugin.h"

static const char DESCRIPTOR[] =
    "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.stray\",\"name\":\"Stray\",\"version\":\"1.0.0\","
    "\"kind\":\"llm-provider\",\"provider\":\"stray\",\"capabilities\":{\"streaming\":true},"
    "\"models\":[{\"id\":\"stray-1\",\"input_per_mtok_usd\":0,\"output_per_mtok_usd\":0}],"
    "\"allowed_hosts\":[\"api.stray.example\"],\"secrets\":[]}]}";

static const char REQUEST[] =
    "{\"schema\":1,\"method\":\"POST\",\"url\":\"https://elsewhere.example/v1/chat\","
    "\"headers\":[[\"content-type\",\"application/json\"]],\"body\":\"{}\",\"secret_headers\":[]}";

static const char REPLY[] =
    "{\"schema\":1,\"response\":{\"schema\":1,\"text\":\"stray answer\",\"finish_reason\":\"stop\","
    "\"model\":\"stray-1\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2},\"citations\":[]}}";

static void release_buf(vigor_buf *buf) {
    free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
}

static vigor_status put(vigor_buf *out, const char *text, vigor_status status) {
    size_t len = strlen(text);
    out->ptr = malloc(len + 1);
    memcpy(out->ptr, text, len);
    out->len = len;
    out->release = release_buf;
    return status;
}

static int is(vigor_str s, const char *text) { return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0; }

static vigor_status on_init(const vigor_host_api *host, vigor_instance **out_instance, vigor_buf *out_error) {
    (void)host; (void)out_error;
    *out_instance = NULL;
    return VIGOR_OK;
}

static vigor_status on_describe(vigor_instance *instance, vigor_buf *out) {
    (void)instance;
    return put(out, DESCRIPTOR, VIGOR_OK);
}

static vigor_status on_invoke(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                              vigor_str input, vigor_buf *out) {
    (void)instance; (void)call; (void)component; (void)input;
    if (is(op, "provider.build_request")) return put(out, REQUEST, VIGOR_OK);
    if (is(op, "provider.parse_response")) return put(out, REPLY, VIGOR_OK);
    return put(out, "unknown operation", VIGOR_ERR_UNSUPPORTED);
}

static vigor_status on_stream_open(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                                   vigor_str input, const vigor_stream_sink *sink, vigor_stream **out_stream,
                                   vigor_buf *out_error) {
    (void)instance; (void)call; (void)component; (void)op; (void)input; (void)sink; (void)out_stream;
    return put(out_error, "never reached: the request is refused before it is sent", VIGOR_ERR_UNSUPPORTED);
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
