import Foundation
import Hummingbird

/// `/health`, `/ready`, `/metrics`.
struct OpsRoutes {
    let services: RouteServices

    struct Status: Encodable {
        var status: String
        var checks: [String: String]?
    }

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/health", summary: "The process is alive", tag: "ops", access: .open,
                responses: [.init(200, "Alive", schema: "Status")])
        ) { _, _ in
            try JSONResponse.make(Status(status: "ok", checks: nil))
        }

        table.add(
            RouteDoc(
                .get, "/ready", summary: "The store answers and the AI layer can serve", tag: "ops", access: .open,
                responses: [.init(200, "Ready", schema: "Status"), .init(503, "Not ready", schema: "Status")])
        ) { _, context in
            var checks: [String: String] = [:]
            do {
                try await services.store.ping()
                checks["store"] = "ok"
            } catch {
                context.logger.warning("store ping failed", metadata: ["error": "\(error)"])
                checks["store"] = "failing"
            }
            checks["ai"] = services.coachAI.isReady ? "ok" : "no provider or generator loaded"
            let ready = checks.values.allSatisfy { $0 == "ok" }
            return try JSONResponse.make(
                Status(status: ready ? "ready" : "unavailable", checks: checks), status: ready ? .ok : .serviceUnavailable)
        }

        table.add(
            RouteDoc(
                .get, "/metrics", summary: "Prometheus metrics (text exposition format)", tag: "ops", access: .open,
                responses: [.init(200, "Metrics in Prometheus text format")])
        ) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: services.metrics.render())))
        }
    }
}
