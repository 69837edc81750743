/*
 * A deliberately faulty offline provider ("dev.test.crashy") for the crash-isolation
 * tests: a marker word in the request decides what it does.
 *   "SEGV-NOW" → segfault;  "ABORT-NOW" → abort();  "HANG-NOW" → never returns, ignores cancel
 *   (also in on_stream_open, which otherwise refuses: this plugin does not stream);
 *   "CHATTY-NOW" → prints to stdout (which must not corrupt the runner's pipe), then answers;
 *   "GATE:<path>;" → waits until the file <path> exists (a call the test keeps in flight), then answers;
 *   anything else → a normal answer naming this process.
 * Loaded in-process it would take the host down; isolated, it costs one request.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigor_plugin.h"

static const char DESCRIPTOR[] =
    "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.crashy\",\"name\":\"Crashy\",\"version\":\"1.0.0\","
    "\"kind\":\"llm-provider\",\"provider\":\"crashy\",\"capabilities\":{\"offline\":true},"
    "\"models\":[{\"id\":\"crashy-1\",\"input_per_mtok_usd\":0,\"output_per_mtok_usd\":0}],"
    "\"allowed_hosts\":[],\"secrets\":[]}]}";

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

static int contains(vigor_str input, const char *word) {
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= input.len; i++)
        if (memcmp(input.ptr + i, word, k) == 0) return 1;
    return 0;
}

/* Waits until the file named after "GATE:" (up to ';') exists. */
static void wait_for_gate(vigor_str input) {
    const char *word = "GATE:";
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= input.len; i++) {
        if (memcmp(input.ptr + i, word, k) != 0) continue;
        char path[512];
        size_t n = 0;
        for (size_t j = i + k; j < input.len && input.ptr[j] != ';' && n + 1 < sizeof path; j++) path[n++] = input.ptr[j];
        path[n] = 0;
        struct timespec pause = {0, 5000000};
        while (access(path, F_OK) != 0) nanosleep(&pause, NULL);
        return;
    }
}

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
    (void)instance; (void)call; (void)component; (void)op;
    if (contains(input, "SEGV-NOW")) {
        volatile int *nowhere = NULL;
        *nowhere = 42;
    }
    if (contains(input, "ABORT-NOW")) abort();
    if (contains(input, "HANG-NOW")) for (;;) sleep(1);
    wait_for_gate(input);
    if (contains(input, "CHATTY-NOW")) {
        printf("a plugin writing to stdout must not break the runner's protocol\n");
        fflush(stdout);
    }
    char reply[512];
    snprintf(reply, sizeof reply,
             "{\"schema\":1,\"response\":{\"schema\":1,\"text\":\"steady from pid %d\",\"finish_reason\":\"stop\","
             "\"model\":\"crashy-1\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":4},\"citations\":[]}}",
             (int)getpid());
    return put(out, reply, VIGOR_OK);
}

static vigor_status on_stream_open(vigor_instance *instance, const vigor_call *call, vigor_str component, vigor_str op,
                                   vigor_str input, const vigor_stream_sink *sink, vigor_stream **out_stream,
                                   vigor_buf *out_error) {
    (void)instance; (void)call; (void)component; (void)op; (void)sink; (void)out_stream;
    if (contains(input, "HANG-NOW")) for (;;) sleep(1);
    return put(out_error, "this plugin does not stream", VIGOR_ERR_UNSUPPORTED);
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
