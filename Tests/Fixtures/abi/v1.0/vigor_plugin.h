/*
 * vigor_plugin.h — the Vigor plugin ABI, version 1.
 *
 * A Vigor plugin is a shared library that exports exactly one function,
 * `vigor_plugin_entry` (see VIGOR_ENTRY_SYMBOL). The host calls it, reads the
 * compatibility record at the head of the returned table, and only then calls
 * any other plugin code.
 *
 * Rules that hold for the whole header (docs/plugin-abi.md says the same):
 *
 *  - C only, no globals, no inline code: this header is the whole contract.
 *  - Every struct that may grow starts with `struct_size`. Fields are only ever
 *    appended. A reader treats a field that lies past the writer's
 *    `struct_size` as absent (zero / NULL).
 *  - Payloads are UTF-8 JSON in (pointer, length) buffers; they need not be
 *    NUL-terminated. Every payload object carries `"schema": 1`.
 *  - Ownership: a `vigor_str` is borrowed for the duration of the call only.
 *    A `vigor_buf` that a callee fills is owned by the caller afterwards, who
 *    releases it exactly once with the buffer's own `release` function.
 *  - Errors are a status code plus a message; nothing unwinds across the ABI.
 *  - Thread rules are written on every function:
 *      [any thread]      may be called from any thread, concurrently;
 *      [per stream]      calls for one stream are serialised by the host;
 *      [load time]       called once, before any other call, by one thread.
 *  - The host never unloads (`dlclose`) a plugin library.
 */
#ifndef VIGOR_PLUGIN_H
#define VIGOR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions and the entry symbol                                            */
/* ------------------------------------------------------------------------ */

/** ABI major version: a plugin loads only into a host with the same major. */
#define VIGOR_ABI_MAJOR 1
/** ABI minor version: a plugin's minor may not exceed the host's. */
#define VIGOR_ABI_MINOR 0
/** Magic number at the head of the entry table: the ASCII bytes "VGR1". */
#define VIGOR_PLUGIN_MAGIC 0x31524756u
/** Name of the one exported function (a function, never a data symbol). */
#define VIGOR_ENTRY_SYMBOL "vigor_plugin_entry"

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

/** Result of every call across the ABI. Values are stable; new ones are appended. */
typedef int32_t vigor_status;

#define VIGOR_OK 0                 /**< Success; the output holds the result. */
#define VIGOR_ERR_INVALID_INPUT 1  /**< Input JSON malformed, wrong types, missing fields. */
#define VIGOR_ERR_UNSUPPORTED 2    /**< Operation or component not provided by this plugin. */
#define VIGOR_ERR_INCOMPATIBLE 3   /**< Versions cannot be served (negotiation failed). */
#define VIGOR_ERR_CANCELLED 4      /**< The call or stream was cancelled. */
#define VIGOR_ERR_DEADLINE 5       /**< The call's deadline passed. */
#define VIGOR_ERR_UNAVAILABLE 6    /**< A host service or upstream could not serve. */
#define VIGOR_ERR_INTERNAL 7       /**< A bug or unexpected state inside the callee. */

/* ------------------------------------------------------------------------ */
/* Buffers                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * A borrowed byte string: valid only for the duration of the call that
 * received it. The receiver copies what it keeps.
 */
typedef struct vigor_str {
    const char *ptr; /**< UTF-8 bytes; may be NULL when len is 0. */
    size_t len;      /**< Length in bytes. */
} vigor_str;

/**
 * An owned byte string, filled by a callee for its caller. After the call the
 * caller owns it and must call `release(buf)` exactly once (when `release` is
 * not NULL). `release` frees with the allocator of whoever filled the buffer,
 * so neither side ever frees the other's memory with its own allocator.
 * A callee that fills nothing leaves the buffer zeroed.
 */
typedef struct vigor_buf {
    char *ptr;                              /**< Bytes, owned as described. */
    size_t len;                             /**< Length in bytes. */
    void (*release)(struct vigor_buf *buf); /**< Frees ptr; [any thread]. */
} vigor_buf;

/* ------------------------------------------------------------------------ */
/* Calls: deadline and cancellation                                         */
/* ------------------------------------------------------------------------ */

/**
 * Per-call context, owned by the host and valid until the call returns.
 * Passed to every plugin operation and back to host services, so the host
 * knows which request (user, quota, deadline) a service call belongs to.
 */
typedef struct vigor_call {
    uint32_t struct_size;    /**< sizeof(vigor_call) as the host built it. */
    uint32_t reserved;       /**< Zero. */
    uint64_t call_id;        /**< Unique per host process; used by on_cancel. */
    int64_t deadline_ms;     /**< Wall-clock deadline, Unix epoch ms; 0 = none. */
    /**
     * Set to non-zero by the host when the call is cancelled. The plugin may
     * poll it (a relaxed atomic read is enough); the host enforces the deadline
     * whatever the plugin does.
     */
    const volatile int32_t *cancelled;
} vigor_call;

/* ------------------------------------------------------------------------ */
/* Host services (the host function table)                                  */
/* ------------------------------------------------------------------------ */

/** Service id of vigor_log_v1. */
#define VIGOR_SERVICE_LOG "vigor.log/1"
/** Service id of vigor_clock_v1. */
#define VIGOR_SERVICE_CLOCK "vigor.clock/1"
/** Service id of vigor_http_v1. */
#define VIGOR_SERVICE_HTTP "vigor.http/1"
/** Service id of vigor_llm_v1. */
#define VIGOR_SERVICE_LLM "vigor.llm/1"

/** Log levels for vigor_log_v1. */
#define VIGOR_LOG_DEBUG 0
#define VIGOR_LOG_INFO 1
#define VIGOR_LOG_WARNING 2
#define VIGOR_LOG_ERROR 3

/**
 * The table the host passes to on_init. Owned by the host; valid, with every
 * service it returns, for the life of the process.
 */
typedef struct vigor_host_api {
    uint32_t struct_size;  /**< sizeof(vigor_host_api) as the host built it. */
    uint16_t abi_major;    /**< The host's VIGOR_ABI_MAJOR. */
    uint16_t abi_minor;    /**< The host's VIGOR_ABI_MINOR. */
    void *host_ctx;        /**< Opaque; passed back to every service function. */
    /**
     * Returns the service table for a versioned id such as "vigor.log/1", or
     * NULL when the host does not offer it. The returned table starts with
     * `struct_size` and lives as long as the process.
     * [any thread]
     */
    const void *(*get_service)(void *host_ctx, const char *service_id);
} vigor_host_api;

/** "vigor.log/1": structured logging through the host's logger. */
typedef struct vigor_log_v1 {
    uint32_t struct_size;
    /** Logs one message (borrowed) at a VIGOR_LOG_* level. [any thread] */
    void (*log)(void *host_ctx, int32_t level, vigor_str message);
} vigor_log_v1;

/** "vigor.clock/1": the host's clocks (tests inject a controllable clock). */
typedef struct vigor_clock_v1 {
    uint32_t struct_size;
    /** Wall-clock time, Unix epoch milliseconds. [any thread] */
    int64_t (*now_ms)(void *host_ctx);
    /** Monotonic nanoseconds from an arbitrary origin. [any thread] */
    uint64_t (*monotonic_ns)(void *host_ctx);
} vigor_clock_v1;

/**
 * "vigor.http/1": HTTP egress performed by the host. The request JSON is
 * `{"schema":1,"method","url","headers":[[name,value]],"body"}`; the host applies
 * the plugin's allow-list, timeouts and size cap. On VIGOR_OK `out` holds
 * `{"schema":1,"status","headers":[[name,value]],"body"}`; otherwise a message.
 */
typedef struct vigor_http_v1 {
    uint32_t struct_size;
    /** Blocks the calling thread until done. [any thread] */
    vigor_status (*request)(void *host_ctx, const vigor_call *call, vigor_str request_json,
                            vigor_buf *out);
} vigor_http_v1;

/**
 * "vigor.llm/1": a chat completion routed by the host (routing, quotas, usage
 * accounting apply as for any client request). The request JSON is a chat
 * request (`{"schema":1,"messages":[{role,content}],"max_tokens",...}`);
 * on VIGOR_OK `out` holds a chat response; otherwise a message.
 */
typedef struct vigor_llm_v1 {
    uint32_t struct_size;
    /** Blocks the calling thread until done. [any thread] */
    vigor_status (*complete)(void *host_ctx, const vigor_call *call, vigor_str request_json,
                             vigor_buf *out);
} vigor_llm_v1;

/* ------------------------------------------------------------------------ */
/* Streams                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * Where a plugin delivers stream events. Owned by the host; valid until
 * on_done has been called. For one stream, `on_event` is called zero or more
 * times and then `on_done` exactly once — also on error and on cancel. The
 * bytes passed to either are borrowed for the duration of that callback.
 */
typedef struct vigor_stream_sink {
    uint32_t struct_size;
    uint32_t reserved;
    void *user;
    /** One event as JSON (see docs/plugin-abi.md). [per stream] */
    void (*on_event)(void *user, vigor_str event_json);
    /** Terminal: status and, when not VIGOR_OK, a message. [per stream] */
    void (*on_done)(void *user, vigor_status status, vigor_str message);
} vigor_stream_sink;

/** Opaque plugin-side state of one open stream. */
typedef struct vigor_stream vigor_stream;

/* ------------------------------------------------------------------------ */
/* The plugin                                                               */
/* ------------------------------------------------------------------------ */

/** Opaque plugin instance, created by on_init. */
typedef struct vigor_instance vigor_instance;

/**
 * The table returned by the entry function. It is static data: returning it
 * runs no plugin logic. The first five fields form the compatibility record
 * and never change; the host checks them before calling anything else.
 */
typedef struct vigor_plugin_table {
    /* --- compatibility record (frozen) --- */
    uint32_t struct_size;   /**< sizeof(vigor_plugin_table) as the plugin built it. */
    uint32_t magic;         /**< VIGOR_PLUGIN_MAGIC. */
    uint16_t abi_major;     /**< VIGOR_ABI_MAJOR the plugin was built against. */
    uint16_t abi_minor;     /**< VIGOR_ABI_MINOR the plugin was built against. */
    const char *toolchain;  /**< NUL-terminated, static: "swift-6.3.1", or "c". */

    /* --- v1.0 operations --- */

    /**
     * Creates the instance. `host` is borrowed for the call; the services it
     * returns stay valid for the process. The plugin returns
     * VIGOR_ERR_INCOMPATIBLE when it cannot work with the host's version (e.g.
     * it needs services the host lacks). On failure `out_error` may hold a message.
     * [load time]
     */
    vigor_status (*on_init)(const vigor_host_api *host, vigor_instance **out_instance,
                            vigor_buf *out_error);

    /**
     * The descriptor JSON: `{"schema":1,"plugins":[{id,name,version,kind,
     * capabilities,models,allowed_hosts,secrets}]}`. One library may describe
     * several plugins (components). [any thread]
     */
    vigor_status (*on_describe)(vigor_instance *instance, vigor_buf *out);

    /**
     * One request/response operation on a component: `component` is a
     * descriptor id, `op` names the operation (e.g. "provider.build_request",
     * "provider.parse_response", "generator.generate"), `input` is JSON.
     * On VIGOR_OK `out` holds the JSON result; otherwise a UTF-8 message.
     * [any thread]
     */
    vigor_status (*on_invoke)(vigor_instance *instance, const vigor_call *call,
                              vigor_str component, vigor_str op, vigor_str input,
                              vigor_buf *out);

    /**
     * Opens a stream on a component (e.g. op "provider.stream" to parse an
     * upstream SSE body). On VIGOR_OK `*out_stream` is set and the sink will
     * receive events; on error the sink is never called and `out_error` may
     * hold a message. `sink` stays valid until on_done. [any thread]
     */
    vigor_status (*on_stream_open)(vigor_instance *instance, const vigor_call *call,
                                   vigor_str component, vigor_str op, vigor_str input,
                                   const vigor_stream_sink *sink, vigor_stream **out_stream,
                                   vigor_buf *out_error);

    /**
     * Feeds the next bytes of the stream's input (arbitrary splits). Events
     * are delivered through the sink before this returns. [per stream]
     */
    void (*on_stream_feed)(vigor_stream *stream, vigor_str bytes);

    /**
     * Ends the stream: `status` is VIGOR_OK at the end of input, or the
     * reason it stopped (VIGOR_ERR_CANCELLED, VIGOR_ERR_UNAVAILABLE, ...). The
     * plugin flushes what remains, calls `on_done` exactly once (if it has not
     * already) and frees the stream. The stream pointer is invalid afterwards.
     * [per stream]
     */
    void (*on_stream_close)(vigor_stream *stream, vigor_status status, vigor_str message);

    /** Releases the instance at host shutdown. The library stays loaded. [load time] */
    void (*on_shutdown)(vigor_instance *instance);
} vigor_plugin_table;

/**
 * The one exported function. Returns a pointer to static data that lives as
 * long as the library; never NULL for a valid plugin. [load time]
 */
typedef const vigor_plugin_table *(*vigor_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* VIGOR_PLUGIN_H */
