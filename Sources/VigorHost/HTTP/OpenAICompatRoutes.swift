import Foundation
import Hummingbird
import Logging
import VigorCoaching
import VigorPluginSDK

/// The OpenAI-compatible API, so the official OpenAI SDKs can be pointed at Vigor
/// (`base_url = http://host:port/v1`, `api_key = vgr_…` or an access token):
///
/// - `POST /v1/chat/completions` — non-streaming (`chat.completion`) and streaming
///   (`chat.completion.chunk` events, an optional usage chunk, then `data: [DONE]`);
/// - `GET /v1/models` — exactly the model names that route; `GET /v1/models/{id}` — one of them.
///
/// Routing, tiers, quotas and usage apply exactly as for `/api/v1/ai/chat` (the router
/// does them, through the model catalogue): `vigor-coach` / `vigor-coach-1` follow the
/// admin's priority chain; a concrete model goes only to the providers that list it; a model
/// nobody lists is `404 model_not_found`, never sent upstream and never billed. `max_tokens`
/// (or `max_completion_tokens`) ranges over `1...1000000` and at most the served model's
/// maximum output (above it: 400 `integer_above_max_value`, `param: "max_tokens"`); for an
/// alias it is clamped to each served model's maximum instead. The usage log's `kind` for
/// these calls is `openai_chat`. Nothing is stored: like OpenAI's API, the endpoint is
/// stateless. Errors use OpenAI's error shape (see ``OpenAIErrorBody``).
///
/// `model` in a non-streaming answer is the model that actually answered; in a stream,
/// whose chunks go out before that is known, it is the requested one.
struct OpenAICompatRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .post, "/v1/chat/completions",
                summary: "OpenAI-compatible chat completion (SSE chunks when stream is true)", tag: "openai",
                access: .apiKey, request: "OpenAIChatRequest",
                responses: [
                    .init(200, "chat.completion (or text/event-stream of chat.completion.chunk)", schema: "OpenAIChatCompletion"),
                    .init(
                        400,
                        "Invalid request; max_tokens (or max_completion_tokens) outside 1...1000000 or above the served model's "
                            + "maximum output is integer_above_max_value / integer_below_min_value with param max_tokens",
                        schema: "OpenAIError"),
                    .init(401, "Invalid API key", schema: "OpenAIError"),
                    .init(404, "No provider serves the model (model_not_found)", schema: "OpenAIError"),
                    .init(429, "Rate limit or quota exceeded", schema: "OpenAIError"),
                    .init(503, "No provider available or budget exhausted", schema: "OpenAIError"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let input = try await services.body.decode(OpenAIChatRequest.self, from: request)
            let chatRequest = try input.chatRequest()
            let id = Self.completionID()
            let created = Int(services.clock.now().timeIntervalSince1970)
            if input.stream == true {
                return try await Self.stream(
                    chatRequest, input: input, id: id, created: created, identity: identity, services: services, context: context)
            }
            let reply = try await services.callAI(kind: Self.kind, identity: identity, context: context) { aiContext in
                try await Self.parameterErrors(input) {
                    var aiContext = aiContext
                    aiContext.kind = Self.kind.rawValue
                    return try await services.coachAI.chat(chatRequest, context: aiContext)
                }
            }
            var response = JSONResponse.make(
                OpenAIChatCompletion(
                    id: id, created: created, model: reply.model.isEmpty ? chatRequest.model : reply.model, content: reply.text,
                    usage: OpenAIUsage(reply.usage)))
            response.headers[.contentType] = "application/json"
            if let status = reply.rateLimit {
                response.setRateLimit(status, openAI: true)
            } else {
                response.setRateLimit(await services.rateLimitStatus(identity: identity), openAI: true)
            }
            return response
        }

        table.add(
            RouteDoc(
                .get, "/v1/models", summary: "OpenAI-compatible list of exactly the models that route (aliases first)",
                tag: "openai", access: .apiKey,
                responses: [.init(200, "Models", schema: "OpenAIModelList"), .init(401, "Invalid API key", schema: "OpenAIError")])
        ) { _, _ in
            let list = OpenAIModelList(
                data: await services.coachAI.listModels().map { .init(id: $0.id, created: $0.created, ownedBy: $0.provider) })
            var response = try JSONResponse.make(list)
            response.headers[.contentType] = "application/json"
            return response
        }

        table.add(
            RouteDoc(
                .get, "/v1/models/{id}", summary: "OpenAI-compatible model object, for a model that routes", tag: "openai",
                access: .apiKey,
                responses: [
                    .init(200, "Model", schema: "OpenAIModel"), .init(401, "Invalid API key", schema: "OpenAIError"),
                    .init(404, "No provider serves the model (model_not_found)", schema: "OpenAIError"),
                ])
        ) { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let model = await services.coachAI.listModels().first(where: { $0.id == id }) else {
                throw APIError(.notFound, code: AIError.Code.modelNotFound.rawValue, message: AIError.modelNotFound(id).message)
            }
            var response = try JSONResponse.make(OpenAIModelList.Model(id: model.id, created: model.created, ownedBy: model.provider))
            response.headers[.contentType] = "application/json"
            return response
        }
    }

    /// The usage log's `kind` for `POST /v1/chat/completions`.
    static let kind = UsageKind.openAIChat

    /// Runs an AI call; an ``AIError`` about a request parameter (`max_tokens`) becomes a
    /// 400 naming it in OpenAI's `param` (as the client spelled it: `max_completion_tokens`
    /// when that was sent). Other errors pass through.
    static func parameterErrors<T>(_ input: OpenAIChatRequest, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AIError where error.param != nil {
            var param = error.param ?? ""
            if param == "max_tokens", input.maxCompletionTokens != nil { param = "max_completion_tokens" }
            throw APIError(
                HTTPResponse.Status(code: error.httpStatus), code: error.code.rawValue, message: error.message,
                fields: [FieldError(field: param, message: error.message)])
        }
    }

    /// `chatcmpl-` + 24 random alphanumerics.
    static func completionID() -> String {
        // 24 characters from 62 from three random words: one getrandom(2) call, not 24.
        var words = RandomWords.three()
        return String(unsafeUninitializedCapacity: 33) { out in
            var at = 0
            for byte in "chatcmpl-".utf8 {
                out[at] = byte
                at += 1
            }
            for index in 0..<24 {
                let word: UInt64
                switch index / 8 {
                case 0:
                    word = words.0
                    words.0 /= 62
                case 1:
                    word = words.1
                    words.1 /= 62
                default:
                    word = words.2
                    words.2 /= 62
                }
                out[at] = idAlphabet[Int(word % 62)]
                at += 1
            }
            return at
        }
    }

    /// The characters of a completion id.
    static let idAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The streaming answer. An error before the first piece is a normal (OpenAI-shaped)
    /// error response; after it, a `data: {"error":…}` event ends the stream without `[DONE]`.
    static func stream(
        _ chatRequest: ChatRequest, input: OpenAIChatRequest, id: String, created: Int, identity: Identity,
        services: RouteServices, context: VigorRequestContext
    ) async throws -> Response {
        let note = RateLimitNote()
        let aiContext = AIRequestContext(userID: identity.userID, requestID: context.requestID, rateLimitNote: note, kind: kind.rawValue)
        let pump = StreamPump(services.coachAI.chatStream(chatRequest, context: aiContext))
        let first = try await services.callAI(kind: kind, identity: identity, context: context) { _ in
            try await parameterErrors(input) { try await AIRoutes.firstEvent(pump) }
        }.event

        var headers = EventStream.headers()
        if let rateLimit = await services.rateLimitStatus(streamStartingWith: first, note: note, identity: identity) {
            RateLimitHeaders.apply(rateLimit, to: &headers, openAI: true)
        }

        let encoder = OpenAIChunkEncoder(id: id, created: created, model: chatRequest.model, includeUsage: input.includeUsage ?? false)
        return ChatStreamRelay.response(first: first, rest: pump, headers: headers, encoder: encoder, logger: context.logger)
    }
}
