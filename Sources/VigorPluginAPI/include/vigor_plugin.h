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
 *    NUL-terminated. Every payload object the host writes carries `"schema": 1`;
 *    what a plugin must write is listed per payload in "Payloads" below (where
 *    `"schema"` is required, where it defaults to 1, and that stream events carry
 *    none). Unknown keys are ignored by both sides.
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
    /**
     * Unique per host process. It names the call in the host's logs and lets the
     * host tie a host-service call (made with this `vigor_call`) to its request.
     * There is no cancel callback: cancellation is the `cancelled` flag below.
     */
    uint64_t call_id;
    int64_t deadline_ms;     /**< Wall-clock deadline, Unix epoch ms; 0 = none. */
    /**
     * Set to non-zero by the host when the call is cancelled. The plugin may
     * poll it (a relaxed atomic read is enough); the host enforces the deadline
     * whatever the plugin does.
     *
     * Who refuses a call that arrives cancelled or late: the PLUGIN. On entry to
     * on_invoke and on_stream_open, a plugin returns VIGOR_ERR_CANCELLED when
     * `*cancelled` is non-zero and VIGOR_ERR_DEADLINE when `deadline_ms` is
     * non-zero and already past (the Swift SDK does both for you; `vigor plugin
     * check` tests both). The in-process host does not check before calling; it
     * stops waiting at the deadline (an isolated plugin's runner is killed if it
     * stays silent two seconds past it).
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
 * "vigor.http/1": HTTP egress performed by the host. The request JSON is an
 * upstream request, exactly as `provider.build_request` returns it (see
 * "Payloads" below): `{"schema":1,"method","url","headers":[[name,value]],
 * "body","secret_headers":[{"name","secret","prefix"}]}`. The host applies the
 * plugin's allow-list, the call's deadline, timeouts and a size cap, and injects
 * the secrets named in `"secret_headers"` (the plugin never sees their values).
 * On VIGOR_OK `out` holds `{"schema":1,"status","headers":[[name,value]],"body"}`
 * (`"body"` is the response body as one string); otherwise a UTF-8 message.
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
 * request (`{"schema":1,"messages":[{"role","content"}],"max_tokens",...}`, see
 * "Payloads"); on VIGOR_OK `out` holds a chat response; otherwise a message.
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
    /** One stream event as JSON (see "Payloads": `{"type":"delta","text":"..."}`, ...). [per stream] */
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
    /**
     * NUL-terminated, static. A Swift plugin writes "swift-<major>.<minor>" of the
     * compiler that built it (e.g. "swift-6.3"; the SDK does it) and the host
     * refuses any other Swift toolchain than its own (toolchain_mismatch). Any
     * string not starting with "swift-" is not checked: a C plugin writes "c".
     */
    const char *toolchain;

    /* --- v1.0 operations ---
     * on_init and on_describe are required (NULL rejects the plugin). Any other
     * may be NULL: the host answers VIGOR_ERR_UNSUPPORTED for that call (a
     * provider without streams may leave the three stream functions NULL). */

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
     * The descriptor JSON, read once at load: `{"schema":1,"plugins":[{"id",
     * "name","version","kind","provider","capabilities","models",
     * "allowed_hosts","secrets","default_base_url"}]}`. Every field, with its
     * type, whether it is required and its default, is listed under "Payloads"
     * below. One library may describe several plugins (components). [any thread]
     */
    vigor_status (*on_describe)(vigor_instance *instance, vigor_buf *out);

    /**
     * One request/response operation on a component: `component` is a
     * descriptor id, `op` names the operation, `input` is JSON. On VIGOR_OK
     * `out` holds the JSON result; otherwise a UTF-8 message. An unknown op or
     * component is VIGOR_ERR_UNSUPPORTED; input that is not valid JSON of the
     * op's shape is VIGOR_ERR_INVALID_INPUT. The ops (payloads under "Payloads"):
     *
     *   "provider.build_request"  input  {"schema":1,"request":<chat request>,"base_url"}
     *                             output <upstream request>
     *   "provider.parse_response" input  {"schema":1,"status","headers","body","request"}
     *                             output <provider result>
     *   "provider.complete"       input  <chat request>   (offline providers only)
     *                             output <provider result>
     *   "generator.generate"      input  {"schema":1,"profile","request","feedback"}
     *                             output {"schema":1,"plan":{...}}
     *
     * An upstream that answered with an error is still a successful parse:
     * VIGOR_OK with an "error" object. A non-OK status means the plugin itself
     * could not work. [any thread]
     */
    vigor_status (*on_invoke)(vigor_instance *instance, const vigor_call *call,
                              vigor_str component, vigor_str op, vigor_str input,
                              vigor_buf *out);

    /**
     * Opens a stream on a component. The one stream op is "provider.stream": its
     * `input` is the bare chat request (the same one build_request received in
     * "request", with "stream": true and "model" filled), and the bytes fed next
     * are the upstream's 200 response body (typically SSE). The host opens the
     * stream only for a 200 answer; any other status goes to
     * "provider.parse_response". On VIGOR_OK `*out_stream` is set and the sink
     * will receive events; on error the sink is never called and `out_error` may
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

/* ------------------------------------------------------------------------ */
/* Payloads (JSON; comments only, no ABI)                                    */
/* ------------------------------------------------------------------------ */

/*
 * Every JSON key the host reads from a plugin, and what it writes to one.
 * "req" = required; otherwise the default the host uses when the key is absent.
 * docs/plugin-abi.md has the same lists with examples; a test keeps the two and
 * the host's decoders in step.
 *
 * DESCRIPTOR (on_describe output)
 *   "schema"   int, req, 1
 *   "plugins"  array of components, req, not empty. Each component:
 *     "id"        string, req. Reverse-DNS, unique among loaded plugins: two or
 *                 more dot-separated parts of [A-Za-z0-9_-], at most 128 bytes.
 *     "name"      string; default: the id
 *     "version"   string, req, not empty (a new version replaces the old one)
 *     "kind"      string, req: "llm-provider" or "plan-generator"
 *     "provider"  string; default: the last dot-part of "id"
 *                 ("dev.example.heldout" -> "heldout"). The provider's short name
 *                 in routing, priorities, reports and the base-URL override
 *                 VIGOR_<PROVIDER>_BASE_URL (PROVIDER = this name upper-cased;
 *                 use [a-z0-9_] so the variable can be spelled: a "-" cannot).
 *     "capabilities" object; default all false:
 *                 "streaming" bool  (implements "provider.stream"),
 *                 "json_mode" bool  (honours "json_mode"),
 *                 "offline"   bool  (answers by "provider.complete", no upstream),
 *                 "uses_llm"  bool  (a generator that calls "vigor.llm/1"),
 *                 "json_body" bool  (a provider that reads "body_json" in
 *                             parse_response's input; see UPSTREAM RESPONSE)
 *     "models"    array; default []. Each: "id" string req,
 *                 "input_per_mtok_usd" number req, "output_per_mtok_usd" number
 *                 req (USD per million tokens), "context_tokens" int optional
 *     "allowed_hosts" array of strings; default []. The only hosts the host
 *                 sends this plugin's requests to: exact names or "*.example.com"
 *                 (any subdomain). The host of VIGOR_<PROVIDER>_BASE_URL, when
 *                 the operator sets one, is allowed automatically.
 *     "secrets"   array of strings; default []. The only secrets the host will
 *                 inject for this plugin. NAMING RULE, enforced at load
 *                 (invalid_descriptor otherwise): letters, digits and _, ending
 *                 in _API_KEY (e.g. "HELDOUT_API_KEY"); the host reads only
 *                 *_API_KEY variables from its environment. A provider whose
 *                 secret is not set loads but is skipped by routing and listed
 *                 as "inactive: missing secret NAME".
 *     "default_base_url" string; default none. Passed as "base_url" to
 *                 build_request unless VIGOR_<PROVIDER>_BASE_URL overrides it
 *                 (neither set: "base_url" is "").
 *
 * CHAT REQUEST (host -> plugin: build_request's "request", provider.complete,
 *               provider.stream; plugin -> host: "vigor.llm/1")
 *   "schema" int (default 1), "model" string (default ""; the host fills it with
 *   the concrete model id it routes to), "messages" array req of {"role" string
 *   req: "system" | "user" | "assistant", "content" string req},
 *   "temperature" number optional, "max_tokens" int optional, "json_mode" bool
 *   (default false), "stream" bool (default false; true when the host streams
 *   the answer: build the streaming upstream request), "profile_json" string
 *   optional (the user's fitness profile as JSON text).
 *
 * UPSTREAM REQUEST (build_request output; "vigor.http/1" input)
 *   "schema"   int; default 1
 *   "method"   string; default "POST"
 *   "url"      string, req: absolute http(s) URL; its host must be allowed
 *   "headers"  array of [name, value] string pairs; default []. Include your
 *              own content-type. Authorization, x-goog-api-key and api-key
 *              set here are DROPPED: credentials come only from secret_headers.
 *   "body"     string; default "" (no body). The upstream body as ONE string:
 *              a JSON upstream body is JSON-escaped inside it, e.g.
 *              "body":"{\"model\":\"m\",\"messages\":[]}"
 *   "secret_headers" array; default []. Each entry, all three keys req:
 *              "name"   string: header name, e.g. "Authorization"
 *              "secret" string: names an entry of the descriptor's "secrets"
 *                       (any other name: the request is refused, not sent)
 *              "prefix" string: put before the value exactly as written, ""
 *                       for none; "Bearer " needs its trailing space
 *              The host sends name: prefix + value.
 *
 * UPSTREAM RESPONSE (parse_response input; "vigor.http/1" output; host-written)
 *   "schema":1, "status" int, "headers" [[name, value]] as the upstream sent
 *   them (compare names case-insensitively), "body" string (the upstream body
 *   as one string, JSON-escaped: unescape it, then parse it), "request" the
 *   chat request (parse_response only).
 *   To a provider declaring "json_body", parse_response's input carries a body
 *   that is valid JSON (RFC 8259, UTF-8, nesting under 256 levels in the
 *   input) as the JSON value itself, "body_json", written byte for byte as
 *   the upstream sent it, instead of "body". Exactly one of the two is present;
 *   a body that is not JSON still comes as the "body" string, and so does every
 *   body from a host older than "json_body": such a plugin reads both.
 *
 * PROVIDER RESULT (parse_response and provider.complete output)
 *   "schema"   int, req, 1
 *   exactly one of:
 *   "response" a chat response:
 *              "text" string req; "usage" object req with "prompt_tokens" and
 *              "completion_tokens" ints req; "finish_reason" string (default
 *              "stop"); "model" string (default "": the host fills the model it
 *              routed to); "citations" array of strings (default []);
 *              "schema" int (default 1)
 *   "error"    "kind" string req, one of "auth", "rate_limited", "overloaded",
 *              "content_blocked", "context_length", "bad_request",
 *              "bad_response", "network"; "message" string req;
 *              "retry_after_ms" int optional; "status" int optional
 *
 * STREAM EVENT (on_event of "provider.stream"; no "schema" key)
 *   {"type":"delta","text":string}      {"type":"usage","usage":{"prompt_tokens",
 *   "completion_tokens"}}   {"type":"finish","finish_reason":string}
 *   {"type":"citations","citations":[string]}   {"type":"model","model":string}
 *   {"type":"error","error":{"kind","message",...}}   ("type" req; other keys
 *   req for their type; an event the host cannot read counts as an error)
 *
 * GENERATOR ("generator.generate")
 *   input  {"schema":1,"profile":{...},"request":{...},"feedback":[string]}
 *   output "schema" int req (1), "plan" object req (docs/plugin-abi.md)
 */

#ifdef __cplusplus
}
#endif

#endif /* VIGOR_PLUGIN_H */
