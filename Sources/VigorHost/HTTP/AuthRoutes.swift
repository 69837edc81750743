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
        table.add(
            RouteDoc(
                .post, "/api/v1/auth/register", summary: "Create an account", tag: "auth", access: .open,
                request: "RegisterRequest",
                responses: [
                    .init(201, "Account created", schema: "RegisterResponse"), .init(409, "E-mail or username taken"),
                    .init(422, "Invalid field"), .init(429, "Too many registrations from this address (Retry-After)"),
                ])
        ) { request, context in
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
            let body = RegisterResponse(user: user, tokens: TokenResponse(tokens, now: services.clock.now()))
            return try JSONResponse.make(body, status: .created)
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
            let input = try await services.body.decode(LoginRequest.self, from: request)
            let address = Self.clientAddress(request, context, proxies: proxies)
            let (_, tokens) = try await services.accounts.login(
                email: input.email, password: input.password, address: address)
            return try JSONResponse.make(TokenResponse(tokens, now: services.clock.now()))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/refresh", summary: "Exchange a refresh token (rotating)", tag: "auth",
                access: .open, request: "RefreshRequest",
                responses: [
                    .init(200, "New tokens", schema: "TokenResponse"),
                    .init(401, "Invalid, expired or reused refresh token"),
                ])
        ) { request, context in
            let input = try await services.body.decode(RefreshRequest.self, from: request)
            let tokens = try await services.accounts.refresh(token: input.refreshToken, logger: context.logger)
            return try JSONResponse.make(TokenResponse(tokens, now: services.clock.now()))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/auth/logout", summary: "Revoke a refresh token's session, or all sessions",
                tag: "auth", access: .user, request: "LogoutRequest",
                responses: [.init(204, "Logged out"), .init(401, "Not signed in")])
        ) { request, context in
            let identity = try context.requireIdentity()
            let input = try await services.body.decodeIfPresent(LogoutRequest.self, from: request)
            try await services.accounts.logout(
                userID: identity.userID, sessionID: identity.sessionID, refreshToken: input?.refreshToken)
            return JSONResponse.noContent()
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
