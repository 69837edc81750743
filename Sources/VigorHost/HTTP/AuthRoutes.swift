import Foundation
import HTTPTypes
import Hummingbird
import VigorCoaching

/// `/api/v1/auth/*`: register, login, refresh, logout, me.
struct AuthRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        let configuration = services.configuration
        // `check()` refuses a bad list at load; a configuration built in code falls back to the peer.
        let proxies =
            (try? TrustedProxies(cidrs: configuration.trustedProxies, trustForwardedFor: configuration.trustForwardedFor))
            ?? TrustedProxies.none
        let registrations = AddressRateLimiter(
            limit: configuration.registrationMaxPerAddress, window: configuration.registrationWindow)
        let session = WebSession(refreshTTL: configuration.refreshTokenTTL, proxies: proxies)
        let authenticator = table.authenticator
        table.add(
            RouteDoc(
                .post, "/api/v1/auth/register", summary: "Create an account", tag: "auth", access: .open,
                request: "RegisterRequest",
                responses: [
                    .init(201, "Account created", schema: "RegisterResponse"), .init(409, "E-mail or username taken"),
                    .init(422, "Invalid field"), .init(429, "Too many registrations from this address (Retry-After)"),
                ])
        ) { request, context in
            let web = WebSession.isWebClient(request)
            if web { try WebSession.requireSameOrigin(request) }
            let input = try await services.body.decode(RegisterRequest.self, from: request)
            // Every registration costs a bcrypt hash, taken e-mail or not: count before any of it.
            if let address = Self.clientAddress(request, context, proxies: proxies),
                let retryAfter = registrations.admit(address, now: services.clock.now())
            {
                throw APIError.tooManyRequests(
                    code: "too_many_registrations", "too many registrations from this address; try again later",
                    retryAfter: retryAfter)
            }
            let profile = Self.initialProfile(input)
            if let profile {
                let errors = profile.validate()
                guard errors.isEmpty else { throw APIError.validation(errors) }
            }
            let user = try await services.accounts.createAccount(
                email: input.email, username: input.username, password: input.password)
            if let profile {
                let json = String(decoding: try JSONResponse.encoder.encode(profile), as: UTF8.self)
                try await services.store.setProfileJSON(userID: user.id, json: json, now: services.clock.now())
            }
            let tokens = try await services.accounts.openSession(for: user)
            var body = RegisterResponse(user: user, tokens: TokenResponse(tokens, now: services.clock.now()))
            guard web else { return try JSONResponse.make(body, status: .created) }
            body.refreshToken = nil
            var response = try JSONResponse.make(body, status: .created)
            response.setCookie(session.setCookie(tokens.refreshToken, request: request, context: context))
            return response
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/login", summary: "Log in with e-mail and password", tag: "auth", access: .open,
                request: "LoginRequest",
                responses: [
                    .init(200, "Tokens", schema: "TokenResponse"), .init(401, "Wrong e-mail or password"),
                    .init(429, "Too many failed logins (Retry-After)"),
                ])
        ) { request, context in
            if WebSession.isWebClient(request) { try WebSession.requireSameOrigin(request) }
            let input = try await services.body.decode(LoginRequest.self, from: request)
            let address = Self.clientAddress(request, context, proxies: proxies)
            let (_, tokens) = try await services.accounts.login(
                email: input.email, password: input.password, address: address)
            return try Self.tokenResponse(tokens, services: services, session: session, request: request, context: context)
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/refresh",
                summary:
                    "Exchange a refresh token (rotating); the web client (X-Vigor-Client: web) sends no body and uses its session cookie",
                tag: "auth", access: .open, request: "RefreshRequest",
                responses: [
                    .init(200, "New tokens", schema: "TokenResponse"),
                    .init(401, "No, or an invalid, expired or reused refresh token"), .init(403, "Cross-site request refused"),
                ])
        ) { request, context in
            let web = WebSession.isWebClient(request)
            let token: String
            if let input = try await services.body.decodeIfPresent(RefreshRequest.self, from: request) {
                if web { try WebSession.requireSameOrigin(request) }
                token = input.refreshToken
            } else if let cookie = WebSession.refreshToken(in: request) {
                try WebSession.requireWebRequest(request)
                token = cookie
            } else if web {
                try WebSession.requireSameOrigin(request)
                throw APIError.unauthorized("no session: sign in again", code: "invalid_refresh_token")
            } else {
                throw APIError.unauthorized(
                    "send {\"refresh_token\": …}, or the session cookie with X-Vigor-Client: web", code: "invalid_refresh_token")
            }
            do {
                let tokens = try await services.accounts.refresh(token: token, logger: context.logger)
                return try Self.tokenResponse(tokens, services: services, session: session, request: request, context: context)
            } catch let error as APIError where web && error.status == .unauthorized {
                // A dead cookie is dropped, so the client stops sending it.
                var response = ErrorMapping.render(error, requestID: context.requestID)
                response.setCookie(session.clearCookie(request: request, context: context))
                return response
            }
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/logout",
                summary:
                    "Revoke a refresh token's session, or all sessions (Authorization: Bearer); the web client (X-Vigor-Client: web) ends its own session, by its access token or its session cookie alone, and drops the cookie",
                tag: "auth", access: .open, request: "LogoutRequest",
                responses: [.init(204, "Logged out"), .init(401, "Not signed in"), .init(403, "Cross-site request refused")])
        ) { request, context in
            // Open in the table: the web client may sign out with its cookie alone (its
            // access token lives in memory and is gone after a reload); every other caller
            // needs its bearer token, as before.
            let identity = request.headers[.authorization] == nil ? nil : try await authenticator.identity(for: request)
            let input = try await services.body.decodeIfPresent(LogoutRequest.self, from: request)
            guard WebSession.isWebClient(request) else {
                guard let identity else { throw APIError.unauthorized("missing Authorization: Bearer <access_token>") }
                try await services.accounts.logout(
                    userID: identity.userID, sessionID: identity.sessionID, refreshToken: input?.refreshToken)
                return JSONResponse.noContent()
            }
            try WebSession.requireSameOrigin(request)
            // The web client ends this session only: the cookie's, and the access token's.
            let now = services.clock.now()
            if let token = input?.refreshToken ?? WebSession.refreshToken(in: request) {
                if let identity {
                    try await services.accounts.logout(userID: identity.userID, sessionID: identity.sessionID, refreshToken: token)
                } else {
                    _ = try await AccountRoutes.accountStore(services).endSession(
                        refreshTokenHash: TokenDigest.sha256Hex(token), now: now)
                }
            } else if let identity, let sessionID = identity.sessionID {
                try await services.store.revokeSession(familyID: sessionID, userID: identity.userID, now: now)
            }
            var response = JSONResponse.noContent()
            response.setCookie(session.clearCookie(request: request, context: context))
            return response
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/password",
                summary: "Change the password; every session ends and a new one starts (its tokens are returned)",
                tag: "auth", access: .user, request: "ChangePasswordRequest",
                responses: [
                    .init(200, "New tokens", schema: "TokenResponse"), .init(401, "Not signed in"),
                    .init(403, "Cross-site request refused"), .init(422, "Wrong current password or invalid new one"),
                    .init(429, "Too many wrong passwords (Retry-After)"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            if WebSession.isWebClient(request) { try WebSession.requireSameOrigin(request) }
            let input = try await services.body.decode(ChangePasswordRequest.self, from: request)
            let address = Self.clientAddress(request, context, proxies: proxies)
            let tokens = try await services.accounts.changePassword(
                userID: identity.userID, current: input.currentPassword, new: input.newPassword, address: address)
            return try Self.tokenResponse(tokens, services: services, session: session, request: request, context: context)
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/auth/me", summary: "The signed-in account", tag: "auth", access: .user,
                responses: [.init(200, "Account", schema: "Account"), .init(401, "Not signed in")])
        ) { _, context in
            let identity = try context.requireIdentity()
            guard let user = try await services.store.user(id: identity.userID) else { throw APIError.unauthorized() }
            return try JSONResponse.make(AccountResponse(user))
        }
    }

    /// The tokens as JSON; for the web client, the refresh token as the session cookie instead.
    static func tokenResponse(
        _ tokens: IssuedTokens, services: RouteServices, session: WebSession, request: Request, context: VigorRequestContext
    ) throws -> Response {
        var body = TokenResponse(tokens, now: services.clock.now())
        guard WebSession.isWebClient(request) else { return try JSONResponse.make(body) }
        body.refreshToken = nil
        var response = try JSONResponse.make(body)
        response.setCookie(session.setCookie(tokens.refreshToken, request: request, context: context))
        return response
    }

    /// A profile from the optional fitness fields of registration, if any was given.
    static func initialProfile(_ input: RegisterRequest) -> FitnessProfile? {
        guard input.fitnessLevel != nil || input.goals != nil || input.equipment != nil else { return nil }
        return FitnessProfile(
            fitnessLevel: input.fitnessLevel ?? .beginner, goals: input.goals ?? [],
            equipment: input.equipment ?? [.bodyOnly])
    }

    /// The client's throttle key: the connection's peer, or the right-most `X-Forwarded-For`
    /// hop that is not a trusted proxy (see ``TrustedProxies``).
    static func clientAddress(_ request: Request, _ context: VigorRequestContext, proxies: TrustedProxies) -> String? {
        proxies.clientKey(peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor])
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
