import Foundation
import Synchronization
import Testing

@testable import VigorHost

/// nginx started with `deploy/nginx.conf` (its ports substituted) in front of two real hosts.
final class NginxProxy: Sendable {
    let process: Process
    let port: Int
    let folder: URL

    /// The operator's config, as shipped.
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../deploy/nginx.conf")
        .standardized

    /// The nginx binary: Debian's, or the first on the PATH.
    static func binary() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/sbin/nginx"] + path.split(separator: ":").map { "\($0)/nginx" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestHostError("nginx is not installed: `make test` installs Debian's nginx (or run `apt-get install nginx`)")
        }
        return found
    }

    /// `deploy/nginx.conf` with the hosts between its `vigor-hosts` markers replaced by
    /// `upstreams` and its `listen` line by `127.0.0.1:port`.
    static func siteConfig(listen port: Int, upstreams: [Int]) throws -> String {
        let template = try String(contentsOf: Self.template, encoding: .utf8)
        var out: [String] = []
        var skipping = false
        var listenNext = false
        for line in template.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "# vigor-hosts: begin" {
                skipping = true
                out.append(line)
                out += upstreams.map { "    server 127.0.0.1:\($0) max_fails=2 fail_timeout=5s;" }
                continue
            }
            if trimmed == "# vigor-hosts: end" { skipping = false }
            if skipping { continue }
            if listenNext, trimmed.hasPrefix("listen ") {
                out.append("    listen 127.0.0.1:\(port);")
                listenNext = false
                continue
            }
            if trimmed == "# vigor-listen" { listenNext = true }
            out.append(line)
        }
        let site = out.joined(separator: "\n")
        guard site.contains("listen 127.0.0.1:\(port);"), upstreams.allSatisfy({ site.contains("127.0.0.1:\($0) ") }) else {
            throw TestHostError("deploy/nginx.conf lost its `# vigor-hosts: begin/end` or `# vigor-listen` markers")
        }
        return site
    }

    /// Resumed when nginx exits (its termination handler).
    private let exit: ExitLatch

    private init(process: Process, port: Int, folder: URL, exit: ExitLatch) {
        self.process = process
        self.port = port
        self.folder = folder
        self.exit = exit
    }

    /// Starts nginx (one process, in the foreground, its files in `folder`) in front of
    /// `upstreams` and returns once it answers `/health` through a host.
    static func start(upstreams: [Int], in folder: URL) async throws -> NginxProxy {
        let nginx = try binary()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = RawHTTPConnection.freePort()
        try siteConfig(listen: port, upstreams: upstreams).write(
            to: folder.appendingPathComponent("vigor.conf"), atomically: true, encoding: .utf8)
        let f = folder.path
        // The main file an operator's distribution provides; here a minimal one for an
        // unprivileged, foreground nginx whose every file is in the test's folder.
        let main = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(f)/nginx.pid;
            error_log \(f)/error.log warn;
            events { worker_connections 2048; }
            http {
                access_log off;
                client_body_temp_path \(f)/body;
                proxy_temp_path \(f)/proxy;
                fastcgi_temp_path \(f)/fastcgi;
                uwsgi_temp_path \(f)/uwsgi;
                scgi_temp_path \(f)/scgi;
                include \(f)/vigor.conf;
            }
            """
        try main.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-e", "\(f)/error.log", "-p", f, "-c", "\(f)/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exit = ExitLatch()
        process.terminationHandler = { _ in exit.open() }
        try await runWithSignalsUnblocked(process)
        let proxy = NginxProxy(process: process, port: port, folder: folder, exit: exit)
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(10) {
            if await HostCluster.send(port: port, "GET", "/health").status == 200 { return proxy }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))  // a real nginx starting: poll its port
        }
        _ = await proxy.stop()
        let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        throw TestHostError("nginx did not answer on port \(port):\n\(log.suffix(2000))")
    }

    /// The end of nginx's error log (for a failure's message).
    var errorLog: String {
        let text = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }

    /// Starts `process` from a thread of its own whose signal mask is cleared first, so the
    /// child starts with no signal blocked, as from a shell. A child inherits the mask of the
    /// thread that spawns it, and Dispatch's threads (Swift's cooperative pool) block nearly
    /// every signal: nginx in the foreground (`master_process off`) keeps that mask, so the
    /// SIGQUIT of ``stop()`` stayed pending forever and the drill hung in its clean-up.
    static func runWithSignalsUnblocked(_ process: Process) async throws {
        try await onOwnThread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            try process.run()
        }
    }

    /// Stops nginx (SIGQUIT: graceful) and awaits its exit; one that has not exited within
    /// 10 s is killed (SIGKILL) and the stop fails, so a stuck nginx fails the drill instead
    /// of hanging it.
    func stop() async -> Bool {
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGQUIT)
        if await exit.wait(for: .seconds(10)) { return true }
        kill(process.processIdentifier, SIGKILL)
        _ = await exit.wait(for: .seconds(10))
        return false
    }

    static func with<T>(upstreams: [Int], in folder: URL, _ body: (NginxProxy) async throws -> T) async throws -> T {
        let proxy = try await start(upstreams: upstreams, in: folder)
        let result = await Result(catching: { try await body(proxy) })
        let stopped = await proxy.stop()
        let value = try result.get()
        guard stopped else { throw TestHostError("nginx did not exit within 10 s of SIGQUIT (killed)") }
        return value
    }
}

/// Opened once (a process's exit); awaited with a deadline.
final class ExitLatch: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        /// Waits whose deadline passed before they were registered.
        var expired: Set<UInt64> = []
        var next: UInt64 = 0
    }
    private let state = Mutex(State())

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            s.isOpen = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// True once opened; false if `limit` passes first.
    func wait(for limit: Duration) async -> Bool {
        let id = state.withLock { s -> UInt64 in
            s.next += 1
            return s.next
        }
        let deadline = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            self.expire(id)
        }
        defer { deadline.cancel() }
        return await withCheckedContinuation { continuation in
            let outcome = state.withLock { s -> Bool? in
                if s.isOpen { return true }
                if s.expired.contains(id) { return false }
                s.waiters[id] = continuation
                return nil
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard let waiter = s.waiters.removeValue(forKey: id) else {
                s.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: false)
    }
}

extension MultiHost {
    @Suite("nginx in front of two hosts", .serialized)
    struct NginxTests {
        /// The requests on `route` host `port` has counted in `/metrics`.
        static func served(port: Int, route: String) async -> Int {
            let metrics = await HostCluster.send(port: port, "GET", "/metrics").body
            return metrics.split(separator: "\n")
                .filter { $0.hasPrefix("vigor_http_requests_total{") && $0.contains("route=\"\(route)\"") }
                .compactMap { Int(Double($0.split(separator: " ").last ?? "") ?? 0) }
                .reduce(0, +)
        }

        @Test(
            "through nginx (deploy/nginx.conf): 200 chats against a limit of 10 give exactly 10, both hosts serve, streams pass unbuffered, X-Forwarded-For reaches the throttle",
            .timeLimit(.minutes(2)))
        func drillThroughNginx() async throws {
            try await HostCluster.with(hosts: 2, environment: ["VIGOR_TRUSTED_PROXIES": "127.0.0.1"]) { cluster in
                try await NginxProxy.with(
                    upstreams: [cluster.port(0), cluster.port(1)], in: cluster.folder.appendingPathComponent("nginx")
                ) {
                    proxy in
                    let port = proxy.port
                    _ = try await cluster.admin()
                    let login = await HostCluster.send(
                        port: port, "POST", "/api/v1/auth/login",
                        body: jsonText(["email": "root@example.com", "password": "admin-password-1"]))
                    let admin = try HostCluster.account(login)
                    let register = await HostCluster.send(
                        port: port, "POST", "/api/v1/auth/register",
                        body: jsonText(["email": "proxied@example.com", "username": "proxied", "password": "correct-horse-battery"]))
                    let user = try HostCluster.account(register)

                    // A stream through the proxy: the events arrive, ending with done.
                    let stream = try await HostCluster.within(.seconds(15), "a stream through nginx") {
                        await HostCluster.send(
                            port: port, "POST", "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "How do I squat safely?"]),
                            headers: ["Accept": "text/event-stream"])
                    }
                    #expect(stream.status == 200, "\(stream.body)")
                    #expect(stream.header("Content-Type")?.hasPrefix("text/event-stream") == true, "\(stream.head)")
                    let events = parseSSE(stream.body)
                    #expect(
                        events.filter { $0.event == "delta" }.count >= 2 && events.last?.event == "done",
                        "\(stream.head)\n\(stream.body)\nnginx's error log:\n\(proxy.errorLog)")

                    // The drill, through nginx: 1 request spent above, so 9 of 200 more.
                    try await cluster.limit(user.id, admin: admin, perDay: 10)
                    let body = jsonText(["message": "How many rest days should I take?"])
                    let replies = try await HostCluster.within(.seconds(40), "200 chats through nginx") {
                        await HostCluster.burst(200, port: { _ in port }) { index in
                            ("POST", "/api/v1/ai/chat", user.token, body, ["X-Request-Id": "nginx-\(index)"])
                        }
                    }
                    let statuses = Dictionary(grouping: replies, by: \.status).mapValues(\.count)
                    #expect(statuses[200] == 9, "statuses: \(statuses)")
                    #expect(Set(statuses.keys).isSubset(of: [200, 429]), "statuses: \(statuses)")
                    let logged = try await cluster.integer(
                        "SELECT COUNT(*) FROM ai_usage_logs WHERE user_id = \(user.id) AND outcome = 'success'")
                    #expect(logged == 10)
                    let perHost = [
                        await Self.served(port: cluster.port(0), route: "/api/v1/ai/chat"),
                        await Self.served(port: cluster.port(1), route: "/api/v1/ai/chat"),
                    ]
                    #expect(perHost.allSatisfy { $0 > 0 } && perHost.reduce(0, +) == 201, "chats per host: \(perHost)")

                    // X-Forwarded-For: five wrong passwords from one client lock that client out of
                    // the account (on both hosts: the throttle is in the database); another client
                    // behind the same proxy still signs in.
                    let wrong = jsonText(["email": "proxied@example.com", "password": "not-the-password"])
                    for _ in 0..<5 {
                        let attempt = await HostCluster.send(
                            port: port, "POST", "/api/v1/auth/login", body: wrong, headers: ["X-Forwarded-For": "203.0.113.9"])
                        #expect(attempt.status == 401, "\(attempt.body)")
                    }
                    let right = jsonText(["email": "proxied@example.com", "password": "correct-horse-battery"])
                    let locked = await HostCluster.send(
                        port: port, "POST", "/api/v1/auth/login", body: right, headers: ["X-Forwarded-For": "203.0.113.9"])
                    #expect(locked.status == 429, "\(locked.body)")
                    let other = await HostCluster.send(
                        port: port, "POST", "/api/v1/auth/login", body: right, headers: ["X-Forwarded-For": "198.51.100.4"])
                    #expect(other.status == 200, "\(other.body)")
                }
            }
        }

        @Test("the shipped config passes `nginx -t`, and the generated one keeps every directive but the ports")
        func configChecks() async throws {
            try await TestHost.withFolder("vigor-nginx-t") { folder in
                let site = try NginxProxy.siteConfig(listen: 18080, upstreams: [18081, 18082, 18083])
                let template = try String(contentsOf: NginxProxy.template, encoding: .utf8)
                for directive in [
                    "proxy_buffering off;", "proxy_http_version 1.1;", "X-Forwarded-For $proxy_add_x_forwarded_for;", "keepalive 64;",
                ] {
                    #expect(template.contains(directive) && site.contains(directive), "\(directive)")
                }
                #expect(site.components(separatedBy: "server 127.0.0.1:").count == 4)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let f = folder.path
                try """
                pid \(f)/nginx.pid;
                error_log \(f)/error.log;
                events {}
                http {
                    client_body_temp_path \(f)/body;
                    proxy_temp_path \(f)/proxy;
                    fastcgi_temp_path \(f)/fastcgi;
                    uwsgi_temp_path \(f)/uwsgi;
                    scgi_temp_path \(f)/scgi;
                    include \(NginxProxy.template.path);
                }
                """.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
                let nginx = try NginxProxy.binary()
                let check = try await onOwnThread { () throws -> (Int32, String) in
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: nginx)
                    process.arguments = ["-t", "-e", "\(f)/error.log", "-p", f, "-c", "\(f)/nginx.conf"]
                    let pipe = Pipe()
                    process.standardError = pipe
                    process.standardOutput = pipe
                    try process.run()
                    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    return (process.terminationStatus, text)
                }
                #expect(check.0 == 0, "\(check.1)")
            }
        }
    }
}
