import Foundation
import PostgresNIO

extension PostgresStore {
    public func providerPriorities() async throws -> [ProviderPriority] { throw Self.notYet }
    public var priorities: any ProviderPriorities { StaticProviderPriorities([]) }
}
