import Foundation
import Hummingbird
import VigorCoaching

/// `GET /api/v1/admin/safety`: the safety screen's escalations counted by red-flag type and
/// UTC day, for the operator. The log holds the type, the user, the time and the request id;
/// this report shows counts only, and nothing holds the message text.
struct AdminSafetyRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/admin/safety",
                summary: "Safety-screen escalations (red flags answered with the emergency reply) by type and day", tag: "admin",
                access: .admin,
                responses: [.init(200, "Counts", schema: "AdminSafetyReport"), .init(403, "Not an admin")],
                query: [("since", "First day, YYYY-MM-DD (default: 29 days before today, UTC)")])
        ) { request, _ in
            let now = services.clock.now()
            var since = UsagePeriod.day.start(containing: now.addingTimeInterval(-29 * 86_400))
            if let text = request.uri.queryParameters.get("since") {
                guard let day = UsagePeriod.parseDay(text) else { throw APIError.invalid("since", "must be YYYY-MM-DD") }
                since = day
            }
            let counts = try await (services.store as? any SafetyEscalationLog)?.safetyEscalationCounts(since: since) ?? []
            return try JSONResponse.make(AdminSafetyReport(since: UsagePeriod.dayString(since), counts: counts))
        }
    }
}

/// The body of `GET /api/v1/admin/safety`.
struct AdminSafetyReport: Encodable, Sendable {
    struct TypeCount: Encodable, Sendable {
        var type: String
        var title: String
        var count: Int
    }

    struct DayCount: Encodable, Sendable {
        var day: String
        var type: String
        var count: Int
    }

    var since: String
    var total: Int
    var byType: [TypeCount]
    var byDay: [DayCount]

    enum CodingKeys: String, CodingKey {
        case since, total
        case byType = "by_type"
        case byDay = "by_day"
    }

    init(since: String, counts: [SafetyEscalationCount]) {
        self.since = since
        total = counts.reduce(0) { $0 + $1.count }
        var perType: [String: Int] = [:]
        for row in counts { perType[row.type, default: 0] += row.count }
        byType = perType.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
            TypeCount(type: $0.key, title: RedFlag(rawValue: $0.key)?.title ?? $0.key, count: $0.value)
        }
        byDay = counts.map { DayCount(day: $0.day, type: $0.type, count: $0.count) }
    }
}
