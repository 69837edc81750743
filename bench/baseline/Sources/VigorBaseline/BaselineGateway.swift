import AsyncHTTPClient
import GRDB
import Hummingbird
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The stack's own ceiling for `make bench`: a gateway made of the parts Vigor is made of and
/// nothing else. Hummingbird receives the request, AsyncHTTPClient forwards it to the upstream
/// (the bench's nginx mock), and one row is written and committed to SQLite through GRDB
/// before the answer goes back. No auth, no quota ledger, no plugins, no per-request logging.
///
/// Routes (all POST bodies are forwarded as they came):
/// - `POST /v1/chat/completions`: forward and record one row (the baseline proper);
/// - `POST /forward/v1/chat/completions`: forward only, no database (the forwarding hop alone);
/// - `POST /static/v1/chat/completions`: a fixed JSON answer, no upstream, no database
///   (Hummingbird alone);
/// - `GET /ready`: 200 once listening.
///
/// Usage: `vigor-baseline --port P --upstream URL --database FILE [--host H]`, where URL is the
/// full upstream address requests are posted to (`http://127.0.0.1:18990/v1/chat/completions`).
@main
struct BaselineGateway {
    static func main() async throws {
        let environment = ProcessTuning.environment()
        ProcessTuning.apply(environment: environment)
        let options: Options
        do {
            options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandleOutput.standardError("vigor-baseline: \(error)\n\(Options.usage)\n")
            exit(2)
        }
        var logger = Logger(label: "vigor-baseline")
        logger.logLevel = .info

        let usageLog = try UsageLog(path: options.database)
        let forwarder = Forwarder(upstream: options.upstream)
        let router = Router()
        router.get("/ready") { _, _ in Response(status: .ok) }
        router.post("/v1/chat/completions") { request, _ in
            try await forwarder.forward(request, usageLog: usageLog)
        }
        router.post("/forward/v1/chat/completions") { request, _ in
            try await forwarder.forward(request, usageLog: nil)
        }
        let fixed = ByteBuffer(string: Forwarder.fixedAnswer)
        router.post("/static/v1/chat/completions") { request, _ in
            _ = try await request.body.collect(upTo: Forwarder.maxRequestBytes)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: fixed))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "vigor-baseline"),
            logger: logger)
        do {
            try await app.runService()
        } catch {
            logger.error("server stopped", metadata: ["error": "\(error)"])
        }
        try await forwarder.client.shutdown()
        try usageLog.pool.close()
    }
}

/// The command line.
struct Options {
    var host = "127.0.0.1"
    var port = 18992
    var upstream = ""
    var database = ""

    static let usage = "usage: vigor-baseline --port P --upstream URL --database FILE [--host H]"

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws(Invalid) -> Options {
        var options = Options()
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard index + 1 < arguments.count else { throw Invalid(description: "\(name) needs a value") }
            let value = arguments[index + 1]
            switch name {
            case "--host": options.host = value
            case "--port":
                guard let port = Int(value), (0...65535).contains(port) else { throw Invalid(description: "bad port \(value)") }
                options.port = port
            case "--upstream": options.upstream = value
            case "--database": options.database = value
            default: throw Invalid(description: "unknown option \(name)")
            }
            index += 2
        }
        guard options.upstream.hasPrefix("http://") || options.upstream.hasPrefix("https://") else {
            throw Invalid(description: "--upstream must be an http(s) URL")
        }
        guard !options.database.isEmpty else { throw Invalid(description: "--database is required") }
        return options
    }
}

/// Forwards a request to the upstream with the egress settings Vigor's `Egress` uses
/// (timeouts, no redirects, decompression with a size cap, up to 256 connections).
struct Forwarder: Sendable {
    static let maxRequestBytes = 1 << 20
    static let maxResponseBytes = 8 << 20
    /// The `static` route's answer: the size of the mock's JSON completion (1136 B).
    static let fixedAnswer: String = {
        let head =
            #"{"id":"chatcmpl-baseline","object":"chat.completion","created":0,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":""#
        let tail = #""},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150}}"#
        return head + String(repeating: "x", count: max(0, 1136 - head.utf8.count - tail.utf8.count)) + tail
    }()

    let upstream: String
    let client: HTTPClient

    init(upstream: String) {
        self.upstream = upstream
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .size(Self.maxResponseBytes))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        // As the host: no tracer, so no span attributes are built per request.
        configuration.tracing.tracer = nil
        client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration)
    }

    /// Forwards `request`; with a usage log, commits one row before the answer (for a stream:
    /// after its last byte, before the end of the response).
    func forward(_ request: Request, usageLog: UsageLog?) async throws -> Response {
        let started = ContinuousClock.now
        let body = try await request.body.collect(upTo: Self.maxRequestBytes)
        var outgoing = HTTPClientRequest(url: upstream)
        outgoing.method = .POST
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        if let accept = request.headers[.accept] { outgoing.headers.add(name: "Accept", value: accept) }
        let bytesIn = body.readableBytes
        outgoing.body = .bytes(body)
        let answer: HTTPClientResponse
        do {
            answer = try await client.execute(outgoing, deadline: .now() + .seconds(60))
        } catch {
            throw HTTPError(.badGateway, message: "upstream: \(error)")
        }
        let status = HTTPResponse.Status(code: Int(answer.status.code))
        let contentType = answer.headers.first(name: "content-type") ?? "application/json"
        if contentType.hasPrefix("text/event-stream") {
            let stream = answer.body
            return Response(
                status: status, headers: [.contentType: contentType],
                body: ResponseBody { writer in
                    var bytesOut = 0
                    for try await chunk in stream {
                        bytesOut += chunk.readableBytes
                        try await writer.write(chunk)
                    }
                    try await usageLog?.record(
                        status: status.code, bytesIn: bytesIn, bytesOut: bytesOut, since: started)
                    try await writer.finish(nil)
                })
        }
        let collected: ByteBuffer
        do {
            collected = try await answer.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw HTTPError(.badGateway, message: "upstream body: \(error)")
        }
        try await usageLog?.record(status: status.code, bytesIn: bytesIn, bytesOut: collected.readableBytes, since: started)
        return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: collected))
    }
}

/// One table, one row per request, committed before the answer: the same GRDB `DatabasePool`
/// (WAL) with the settings Vigor's `SQLiteStore` gives it, without group commit.
final class UsageLog: Sendable {
    let pool: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "vigor-baseline"
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS usage_log (
                        id INTEGER PRIMARY KEY,
                        request_id TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        bytes_in INTEGER NOT NULL,
                        bytes_out INTEGER NOT NULL,
                        duration_us INTEGER NOT NULL,
                        created_at INTEGER NOT NULL)
                    """)
        }
    }

    func record(status: Int, bytesIn: Int, bytesOut: Int, since started: ContinuousClock.Instant) async throws {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let requestID = String(UInt64.random(in: .min ... .max), radix: 16)
        let now = Int64(wallClockMilliseconds())
        try await pool.write { db in
            try db.cachedStatement(
                sql: "INSERT INTO usage_log (request_id, status, bytes_in, bytes_out, duration_us, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [requestID, status, bytesIn, bytesOut, micros, now])
        }
    }
}

/// Wall-clock milliseconds since 1970.
func wallClockMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}

/// Writes to standard error without Foundation.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}

/// The process settings `vigor serve` applies before it starts (Sources/vigor/ServeProcessTuning.swift),
/// applied the same way here so the comparison is of the request path, not of the process set-up:
/// glibc's trim and mmap thresholds, one event loop per CPU in the affinity mask, Swift
/// concurrency on the NIO event loops with jobs run as the generic executor (the same file,
/// `EventLoopGlobalExecutor.swift`, linked here; `BASELINE_NIO_EXECUTOR=0` opts out, `=nio` takes
/// NIO's own installer), TZ named once.
enum ProcessTuning {
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    static func apply(environment: [String: String]) {
        #if canImport(Glibc)
            if !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc."),
                let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
            {
                let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
                _ = mallopt(-1, 32 << 20)  // M_TRIM_THRESHOLD
                _ = mallopt(-3, 4 << 20)  // M_MMAP_THRESHOLD
            }
            if environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed = allowedCPUCount(), allowed < System.coreCount {
                NIOSingletons.groupLoopCountSuggestion = allowed
            }
            switch environment["BASELINE_NIO_EXECUTOR"] {
            case "0": break
            case "nio": NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            default:
                if !EventLoopGlobalExecutor.install() {
                    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
                }
            }
            if environment["TZ"] == nil {
                setenv("TZ", ":/etc/localtime", 0)
            }
        #endif
    }

    #if canImport(Glibc)
        /// CPUs in this process's affinity mask (`sched_getaffinity(2)`), or nil.
        static func allowedCPUCount() -> Int? {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return nil }
            let getAffinity = unsafeBitCast(symbol, to: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32).self)
            var mask = [UInt64](repeating: 0, count: 16)
            let result = mask.withUnsafeMutableBytes { bytes -> Int32 in
                guard let base = bytes.baseAddress else { return -1 }
                return getAffinity(0, bytes.count, base)
            }
            guard result == 0 else { return nil }
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            return count > 0 ? count : nil
        }
    #endif
}
