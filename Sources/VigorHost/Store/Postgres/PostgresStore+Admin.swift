import Foundation
import PostgresNIO

extension PostgresStore {
    public func upsertProviderPriority(_ rule: ProviderPriority, now: Date) async throws { throw Self.notYet }
    public func providerSpend(at: Date) async throws -> [String: [PeriodSpend]] { throw Self.notYet }
    public func budgetSettings() async throws -> BudgetSettings { throw Self.notYet }
    public func setBudgetSettings(_ settings: BudgetSettings, now: Date) async throws { throw Self.notYet }
    public func globalSpend(at: Date) async throws -> [PeriodSpend] { throw Self.notYet }
    public func budgetEvents(limit: Int) async throws -> [BudgetEventRecord] { throw Self.notYet }
    public func usageBreakdown(since: Date) async throws -> UsageBreakdown { throw Self.notYet }
}
