import Foundation
import PostgresNIO

/// The one place PostgreSQL and postgres-nio errors become ``StoreError``s.
extension PostgresStore {
    /// The field each unique or foreign-key constraint guards, by constraint (or unique
    /// index) name as the migrations create them. A constraint not listed here is named
    /// by stripping its table prefix and its `_key`/`_pkey`/`_fkey` suffix.
    static let constraintFields: [String: String] = [
        "users_email_key": "email",
        "users_username_key": "username",
        "users_tier_fkey": "tier",
        "refresh_tokens_token_hash_key": "token_hash",
        "refresh_tokens_user_id_fkey": "user_id",
        "api_keys_key_hash_key": "key_hash",
        "api_keys_user_id_fkey": "user_id",
        "tiers_pkey": "name",
        "user_profiles_user_id_fkey": "user_id",
        "conversations_user_id_fkey": "user_id",
        "messages_conversation_id_fkey": "conversation_id",
        "workout_plans_user_id_fkey": "user_id",
        "workout_logs_user_id_fkey": "user_id",
        "workout_logs_plan_id_fkey": "plan_id",
        "progress_metrics_user_id_fkey": "user_id",
        "usage_counters_user_id_fkey": "user_id",
        "provider_priorities_pkey": "model",
        "model_overrides_pkey": "model",
        "schema_migrations_pkey": "name",
    ]

    /// The field a constraint guards (see ``constraintFields``).
    static func field(ofConstraint name: String?, table: String?) -> String? {
        guard let name, !name.isEmpty else { return nil }
        if let field = constraintFields[name] { return field }
        var rest = Substring(name)
        if let table, rest.hasPrefix(table + "_") { rest = rest.dropFirst(table.count + 1) }
        for suffix in ["_pkey", "_fkey", "_key"] where rest.hasSuffix(suffix) {
            rest = rest.dropLast(suffix.count)
            break
        }
        return rest.isEmpty ? nil : String(rest)
    }

    /// SQLSTATE classes and codes that mean "the database cannot be used right now": the
    /// caller answers 503 and retries later.
    ///
    /// 08 connection exceptions; 53 insufficient resources (too many connections, disk full);
    /// 57014 statement timeout or cancel; 57P01–57P05 shutdown, crash, cannot connect now,
    /// idle-session timeout; 40001/40P01 serialization failure and deadlock (transient);
    /// 28 authorization (wrong password); 3D000 no such database; 25006 read-only
    /// transaction (a standby); 55P03 lock not available; 58000/58030 system and I/O errors.
    static func isUnavailable(sqlState: String) -> Bool {
        if sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57") || sqlState.hasPrefix("28") {
            return true
        }
        return ["40001", "40P01", "3D000", "25006", "55P03", "58000", "58030"].contains(sqlState)
    }

    /// Maps a database error to a ``StoreError`` where one applies; anything else (the
    /// body's own errors: a ``StoreError``, a quota refusal, a cancellation) passes through.
    ///
    /// - unique violation (23505) → `conflict`, field from the constraint name;
    /// - foreign-key violation (23503) → `invalidReference`, field from the constraint name;
    /// - lost or refused connections, timeouts, shutdowns (see ``isUnavailable(sqlState:)``),
    ///   a closed pool, no connection within `connect_timeout` → `unavailable`.
    static func mapError(_ error: any Error, timeout: Duration) -> any Error {
        switch error {
        case is StoreError:
            return error
        case is LeaseTimeout:
            return StoreError(.unavailable, "no PostgreSQL connection within \(timeout)")
        case let error as PSQLError:
            return map(error)
        case is PostgresDecodingError:
            return error
        case is CancellationError:
            return error
        default:
            // The pool's own errors (its circuit breaker) and NIO socket errors (connection
            // refused, reset) when not wrapped in a PSQLError.
            let type = String(describing: Swift.type(of: error))
            if type.contains("ConnectionPoolError") || type.contains("NIOConnectionError") || type.contains("IOError")
                || type.contains("ChannelError")
                || type.contains("NIOSSL")
            {
                return StoreError(.unavailable, "PostgreSQL connection failed: \(error)")
            }
            return error
        }
    }

    private static func map(_ error: PSQLError) -> any Error {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "database error"
            let constraint = error.serverInfo?[.constraintName]
            let table = error.serverInfo?[.tableName]
            switch state {
            case "23505":
                let field = field(ofConstraint: constraint, table: table)
                return StoreError(.conflict, field: field, "\(field ?? "a unique field") already exists")
            case "23503":
                let field = field(ofConstraint: constraint, table: table)
                return StoreError(.invalidReference, field: field, "a referenced row does not exist")
            case _ where isUnavailable(sqlState: state):
                return StoreError(.unavailable, "PostgreSQL \(state): \(message)")
            default:
                return error
            }
        case .queryCancelled:
            return StoreError(.unavailable, "the PostgreSQL query was cancelled")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest, .unsupportedAuthMechanism,
            .authMechanismRequiresPassword, .saslError:
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            return StoreError(.unavailable, "PostgreSQL connection: \(error.code)\(underlying)")
        default:
            return error
        }
    }
}
