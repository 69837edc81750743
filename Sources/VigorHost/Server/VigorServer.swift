import Foundation
import Hummingbird
import Logging
import VigorPluginLoader

/// The host's entry points besides serving (``HostAssembly`` builds and runs a host): open
/// and migrate the store, create users, and the router every host serves.
public enum VigorServer {
    /// The version reported in `/openapi.json`.
    public static let version = "0.3.0"

    /// Opens the store of `configuration` (``VigorConfiguration/database``: the SQLite file, or
    /// PostgreSQL) and applies pending migrations, stamped by `clock`.
    public static func openStore(configuration: VigorConfiguration, logger: Logger, clock: VigorClock = .system) async throws
        -> any Store
    {
        let store = try await connect(configuration.database, logger: logger)
        do {
            try await applyMigrations(store, at: configuration.database, logger: logger, now: clock.now())
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    /// Applies `store`'s pending migrations; on SQLite under the file's ``MigrationLock``, so
    /// processes opening a new file together apply each migration once.
    @discardableResult
    static func applyMigrations(_ store: any Store, at location: DatabaseLocation, logger: Logger, now: Date) async throws -> [String] {
        guard case .sqlite(let path) = location else { return try await store.migrate(logger: logger, now: now) }
        return try await MigrationLock.withLock(database: path) { try await store.migrate(logger: logger, now: now) }
    }

    /// Opens the store at `location` without migrating it.
    static func connect(_ location: DatabaseLocation, logger: Logger) async throws -> any Store {
        switch location {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres(let url):
            return try await PostgresStore.open(url: url, logger: logger)
        }
    }

    /// The HTTP application over an open store and a ready AI layer, as
    /// ``HostAssembly/application(onServerRunning:)`` builds it; it closes the store when it shuts down.
    ///
    /// - Parameters:
    ///   - metrics: the metrics registry `/metrics` renders (a new one by default).
    ///   - clock: the host's clock (tests inject their own).
    public static func buildApplication(
        configuration: VigorConfiguration, store: any Store, coachAI: any CoachAI, logger: Logger,
        metrics: HostMetrics = HostMetrics(), clock: VigorClock = .system
    ) async throws -> some ApplicationProtocol {
        try await HostAssembly(configuration: configuration, store: store, coachAI: coachAI, logger: logger, metrics: metrics, clock: clock)
            .application()
    }

    /// The router with every route and middleware, and the route table it was built from
    /// (the source of `/openapi.json`).
    public static func buildRouter(
        configuration: VigorConfiguration, store: any Store, coachAI: any CoachAI, logger: Logger,
        metrics: HostMetrics = HostMetrics(), clock: VigorClock = .system
    ) async throws -> (router: Router<VigorRequestContext>, routes: [RouteDoc]) {
        try configuration.checkServing()
        let secret = try JWTSecret.resolve(
            configured: configuration.jwtSecret, dataDirectory: configuration.dataDirectory, logger: logger)
        let tokens = await AccessTokens(secret: secret, ttl: configuration.accessTokenTTL)
        let throttle = LoginThrottle(
            store: store, maxFailures: configuration.loginMaxFailures, window: configuration.loginThrottleWindow)
        let accounts = await AccountService(
            store: store, hasher: PasswordHasher(cost: configuration.bcryptCost), tokens: tokens, throttle: throttle,
            refreshTTL: configuration.refreshTokenTTL, clock: clock)
        let services = RouteServices(
            store: store, accounts: accounts,
            // The safety screen stands before every chat, whatever AI layer serves it.
            coachAI: SafetyScreenedCoachAI(
                wrapping: coachAI, screen: configuration.safetyScreen, emergencyNumber: configuration.emergencyNumber,
                crisisLines: configuration.crisisLines,
                log: store as? any SafetyEscalationLog, clock: clock, logger: logger, metrics: metrics),
            body: JSONBody(maxBytes: configuration.maxBodyBytes),
            clock: clock, metrics: metrics, configuration: configuration)

        let router = Router(context: VigorRequestContext.self)
        let methods = RouteMethods()
        // The web client is served beside the API it signs in to (its session is a cookie).
        router.add(
            middleware: RequestPipeline(
                metrics: metrics, origins: OriginPolicy(allowedOrigins: Set(configuration.corsOrigins)),
                maxBodyBytes: configuration.maxBodyBytes, methods: methods,
                webApp: WebApp(assets: WebAssets.shared(configured: configuration.webRoot))))

        let components = OpenAPISchemas.components(configuration: configuration)
        let gate = RequestGate(validator: SchemaValidator(components: components), maxBodyBytes: configuration.maxBodyBytes)
        let table = RouteTable(router: router, authenticator: Authenticator(accounts: accounts), gate: gate, methods: methods)
        OpsRoutes(services: services).register(in: table)
        AuthRoutes(services: services).register(in: table)
        UserRoutes(services: services).register(in: table)
        AIRoutes(services: services).register(in: table)
        WorkoutRoutes(services: services).register(in: table)
        TierRoutes(services: services).register(in: table)
        AdminSafetyRoutes(services: services).register(in: table)
        AdminModelRoutes(services: services).register(in: table)

        let openAPIRoute = RouteDoc(
            .get, "/openapi.json", summary: "This OpenAPI 3.1 document", tag: "ops", access: .open,
            responses: [.init(200, "The document")])
        let document = try OpenAPIDocument.json(routes: table.docs + [openAPIRoute], version: version, components: components)
        table.add(openAPIRoute) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        return (router, table.docs)
    }

    /// Applies pending migrations to the SQLite database at `databasePath`; returns their names.
    @discardableResult
    public static func migrate(databasePath: String, logger: Logger, clock: VigorClock = .system) async throws -> [String] {
        try await migrate(database: .sqlite(path: databasePath), logger: logger, clock: clock)
    }

    /// Applies pending migrations to the database at `database` (`vigor migrate`); returns
    /// their names. Safe while hosts serve it, and when two run at once: on SQLite they wait
    /// for each other (``MigrationLock``); PostgreSQL's migrations take an advisory lock.
    @discardableResult
    public static func migrate(database: DatabaseLocation, logger: Logger, clock: VigorClock = .system) async throws -> [String] {
        let store = try await connect(database, logger: logger)
        do {
            let applied = try await applyMigrations(store, at: database, logger: logger, now: clock.now())
            try await store.close()
            return applied
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Creates an account from the command line (`vigor user create`): validated like a
    /// registration; `admin: true` makes an admin. A missing username is made from the e-mail.
    ///
    /// Throws ``APIError`` (422 invalid field, 409 taken) or a store error.
    @discardableResult
    public static func createUser(
        configuration: VigorConfiguration, email: String, username: String? = nil, password: String,
        admin: Bool = false, tier: String = "free", logger: Logger, clock: VigorClock = .system
    ) async throws -> UserRecord {
        let store = try await openStore(configuration: configuration, logger: logger, clock: clock)
        do {
            let user = try await AccountService.createAccount(
                store: store, hasher: PasswordHasher(cost: configuration.bcryptCost), email: email,
                username: username ?? CredentialRules.username(fromEmail: email), password: password,
                role: admin ? .admin : .user, tier: tier, now: clock.now())
            try await store.close()
            logger.info("user created", metadata: ["user_id": "\(user.id)", "role": "\(user.role.rawValue)"])
            return user
        } catch {
            try? await store.close()
            throw error
        }
    }
}
