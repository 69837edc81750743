import Foundation
import Testing

@testable import VigorPluginSDK

/// The payload types read themselves straight from bytes (`WireReader`), building no tree. They
/// must accept and refuse what parsing the tree and reading it with `WireObject` did, and give
/// the same values; the reference readers below are those tree reads.
@Suite("Reading payloads without a tree")
struct WireReaderTests {
    // MARK: - The tree reads, as reference

    static func treeUsage(_ value: WireValue, _ path: WirePath) throws -> TokenUsage {
        let o = try value.members(at: path)
        return TokenUsage(promptTokens: try o.int("prompt_tokens"), completionTokens: try o.int("completion_tokens"))
    }

    static func treeResponse(_ value: WireValue, _ path: WirePath) throws -> ChatResponse {
        let o = try value.members(at: path)
        var response = ChatResponse(
            text: try o.string("text"), finishReason: try o.string("finish_reason", default: "stop"),
            model: try o.string("model", default: ""), usage: try treeUsage(o.required("usage"), path.key("usage")),
            citations: try o.array("citations", default: []) { try $0.string(at: $1) })
        response.schema = try o.int("schema", default: 1)
        return response
    }

    static func treeError(_ value: WireValue, _ path: WirePath) throws -> ProviderError {
        let o = try value.members(at: path)
        let name = try o.string("kind")
        guard let kind = ProviderErrorKind(rawValue: name) else { throw WireError(.invalid("unknown kind"), at: path.key("kind")) }
        return ProviderError(
            kind: kind, message: try o.string("message"), retryAfterMs: try o.optionalInt("retry_after_ms"),
            status: try o.optionalInt("status"))
    }

    static func treeResult(_ bytes: [UInt8]) throws -> ProviderResult {
        let o = try WireParser.parse(bytes).members(at: .root)
        return ProviderResult(
            schema: try o.int("schema"), response: try o["response"].map { try treeResponse($0, .root.key("response")) },
            error: try o["error"].map { try treeError($0, .root.key("error")) })
    }

    static func treeRequest(_ bytes: [UInt8]) throws -> ChatRequest {
        let o = try WireParser.parse(bytes).members(at: .root)
        var request = ChatRequest(
            model: try o.string("model", default: ""),
            messages: try o.array("messages") { item, at in
                let m = try item.members(at: at)
                return ChatMessage(role: try m.string("role"), content: try m.string("content"))
            },
            temperature: try o.optionalDouble("temperature"), maxTokens: try o.optionalInt("max_tokens"),
            jsonMode: try o.bool("json_mode", default: false), stream: try o.bool("stream", default: false),
            profileJSON: try o.optionalString("profile_json"))
        request.schema = try o.int("schema", default: 1)
        return request
    }

    static func read<T: WireDecodable>(_ type: T.Type, _ text: String) throws -> T { try read(type, Array(text.utf8)) }

    static func read<T: WireDecodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try T.wireDocument($0) }
    }

    /// Runs `reader` and `tree` on random damage to `document`: both accept or both refuse, and
    /// what both accept is equal. A wanted member given twice (which the tree took the first of)
    /// is the one refusal the reader may add.
    static func agree<T: Equatable>(
        _ document: String, seed: UInt64, _ reader: ([UInt8]) throws -> T, _ tree: ([UInt8]) throws -> T
    ) -> (accepted: Int, tried: Int) {
        var generator = SplitMix64(seed: seed)
        let original = Array(document.utf8)
        #expect((try? reader(original)) != nil && (try? reader(original)) == (try? tree(original)))
        var accepted = 0
        let tries = 4_000
        for _ in 0..<tries {
            let bytes = generator.damaged(original)
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = Result { try tree(bytes) }
            let got = Result { try reader(bytes) }
            switch (expected, got) {
            case (.success(let a), .success(let b)):
                accepted += 1
                #expect(a == b, "\(text)")
            case (.failure(let treeError), .failure(let readerError)):
                // A document that is not JSON fails the same way: the same first bad byte.
                if "\(treeError)".hasPrefix("malformed") { #expect("\(readerError)" == "\(treeError)", "\(text)") }
            case (.success, .failure(let error)):
                #expect("\(error)".contains("given twice"), "the reader refused: \(error)\n\(text)")
            case (.failure(let error), .success):
                Issue.record("the reader accepted what the tree refused (\(error)):\n\(text)")
            }
        }
        return (accepted, tries)
    }

    // MARK: - Agreement

    @Test("a provider's result: the reader and the tree agree on random damage")
    func resultAgrees() {
        let document = #"""
            {"schema":1,"response":{"text":"Squats:\n3 × 10 \"slow\" 🏋️ \u00e9","finish_reason":"length","model":"m-1",
             "usage":{"prompt_tokens":12,"completion_tokens":3.0},"citations":["https://a.example/x","b"],"extra":[1,{"k":null}]},
             "error":{"kind":"rate_limited","message":"slow down","retry_after_ms":1500,"status":429},"unknown":{"deep":[[[]]]}}
            """#
        let (accepted, tries) = Self.agree(
            document, seed: 0x5EAD_E401, { try Self.read(ProviderResult.self, $0) }, Self.treeResult)
        #expect(accepted > 100 && accepted < tries)
    }

    @Test("a chat request: the reader and the tree agree on random damage")
    func requestAgrees() {
        let document = #"""
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"content":"Plan \ud83d\ude00 a week","role":"user","x":1}],
             "temperature":0.25,"max_tokens":256,"json_mode":true,"stream":false,"profile_json":null,"schema":1,"other":"y"}
            """#
        let (accepted, tries) = Self.agree(
            document, seed: 0x5EAD_E402, { try Self.read(ChatRequest.self, $0) }, Self.treeRequest)
        #expect(accepted > 100 && accepted < tries)
    }

    // MARK: - Rules

    @Test("null is absence: defaults apply, required members are missing")
    func nullIsAbsence() throws {
        let request = try Self.read(
            ChatRequest.self, #"{"model":null,"messages":[{"role":"user","content":"hi"}],"stream":null,"schema":null}"#)
        #expect(request.model == "" && !request.stream && request.schema == 1)
        #expect(throws: WireError.self) { try Self.read(ChatRequest.self, #"{"messages":null}"#) }
        let missing = #"{"schema":1,"response":{"text":"a","usage":{"prompt_tokens":1}}}"#
        #expect(throws: WireError.self) { try Self.read(ProviderResult.self, missing) }
        do {
            _ = try Self.read(ProviderResult.self, missing)
        } catch {
            #expect("\(error)" == "response.usage.completion_tokens: required field missing")
        }
    }

    @Test("a wrong type names its path")
    func wrongTypeNamesThePath() {
        let cases: [(String, String)] = [
            (#"{"messages":[{"role":"user","content":"a"},{"role":"user","content":5}]}"#, "messages[1].content: expected string"),
            (#"{"messages":{}}"#, "messages: expected array"),
            (#"{"messages":[],"max_tokens":2.5}"#, "max_tokens: expected integer"),
            (#"{"messages":[],"stream":"yes"}"#, "stream: expected boolean"),
            (#"[1]"#, "(root): expected object"),
        ]
        for (text, message) in cases {
            do {
                _ = try Self.read(ChatRequest.self, text)
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".hasSuffix(message), "\(text): \(error)")
            }
        }
    }

    @Test("a wanted member given twice is refused; any other repeat is read past")
    func repeats() throws {
        #expect(throws: WireError.self) {
            try Self.read(ChatRequest.self, #"{"messages":[],"model":"a","model":"b"}"#)
        }
        let request = try Self.read(ChatRequest.self, #"{"messages":[],"x":1,"x":[2],"model":"a"}"#)
        #expect(request.model == "a")
    }

    @Test("keys: escapes and canonically equal spellings match as WireObject matches them")
    func keys() throws {
        let escaped = try Self.read(ChatRequest.self, #"{"mod\u0065l":"m","m\u0065ssages":[]}"#)
        #expect(escaped.model == "m")
        // U+212A KELVIN SIGN is canonically equal to "K": String comparison says so, and so
        // did the tree's key lookup.
        let keys: WireKeys = ["K"]
        let found = try Array(#"{"\#u{212A}":7}"#.utf8).withUnsafeBufferPointer { buffer in
            try WireReader.document(buffer) { reader -> Int? in
                var value: Int?
                try reader.members(keys) { _, r in value = try r.int() }
                return value
            }
        }
        #expect(found == 7)
        #expect(WireValue.object([("\u{212A}", .int(7))])["K"] != nil)
    }

    @Test("keys are told apart by length and by every byte, not only the first eight")
    func keysByEveryByte() throws {
        let keys: WireKeys = ["completion_tokens", "completion_tokenz", "a", "ab", "abcdefgh", "abcdefgi", ""]
        let document =
            #"{"abcdefgi":5,"":6,"completion_tokenz":1,"ab":3,"completion_tokens":0,"abcdefgh":4,"a":2,"abcdefg":9,"completion_token":9}"#
        let seen = try Array(document.utf8).withUnsafeBufferPointer { buffer in
            try WireReader.document(buffer) { reader -> [Int: Int] in
                var seen: [Int: Int] = [:]
                try reader.members(keys) { index, r in seen[index] = try r.int() }
                return seen
            }
        }
        #expect(seen == [0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6])
    }

    @Test("members nobody reads are still checked: grammar, UTF-8, numbers, nesting")
    func unreadMembersAreChecked() throws {
        for bad in [
            #"{"messages":[],"x":[1,]}"#, #"{"messages":[],"x":"\#u{1}"}"#, #"{"messages":[],"x":1e400}"#, #"{"messages":[],"x":tru}"#,
            #"{"messages":[],"x":"\ud800"}"#, #"{"messages":[]} x"#,
        ] {
            #expect(throws: WireError.self, "\(bad)") { try Self.read(ChatRequest.self, bad) }
        }
        // The nesting limit counts from the document's top, as the parser's does.
        func nested(_ depth: Int) -> String {
            #"{"messages":[],"x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        }
        #expect((try? WireParser.parse(Array(nested(WireParser.maxDepth - 1).utf8))) != nil)
        #expect((try? Self.read(ChatRequest.self, nested(WireParser.maxDepth - 1))) != nil)
        #expect((try? WireParser.parse(Array(nested(WireParser.maxDepth).utf8))) == nil)
        #expect((try? Self.read(ChatRequest.self, nested(WireParser.maxDepth))) == nil)
    }

    @Test("the tree form reads through the same reader")
    func treeFormReadsTheSame() throws {
        let text = #"{"schema":1,"response":{"text":"a","usage":{"prompt_tokens":1,"completion_tokens":2}}}"#
        let tree = try WireParser.parse(Array(text.utf8))
        #expect(try ProviderResult(wire: tree, at: .root) == Self.read(ProviderResult.self, text))
        // Errors keep the tree's path.
        let wrapped = try WireParser.parse(Array(#"{"result":{"schema":"one"}}"#.utf8))
        do {
            _ = try wrapped.members(at: .root).decode("result", as: ProviderResult.self)
            Issue.record("accepted a string schema")
        } catch {
            #expect("\(error)" == "result.schema: expected integer")
        }
    }
}
