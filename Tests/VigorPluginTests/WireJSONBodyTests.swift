import Foundation
import Testing
import VigorPluginSDK

/// An upstream body that is JSON crosses the ABI as JSON (`body_json`), checked by the host
/// without being built and kept by the plugin as the bytes it was sent. The checker must
/// accept exactly what the parser accepts, or a plugin would be handed an envelope it cannot
/// read (or a body it could have read would go the slow way).
@Suite("JSON bodies across the ABI")
struct WireJSONBodyTests {
    static func isValid(_ bytes: [UInt8], depth: Int = 0) -> Bool {
        bytes.withUnsafeBufferPointer { WireParser.isValid($0, depth: depth) }
    }

    static func parses(_ bytes: [UInt8]) -> Bool { (try? WireParser.parse(bytes)) != nil }

    /// A chat completion as providers send it: nesting, escapes, non-ASCII, numbers of every form.
    static let completion = Array(
        #"""
        {"id":"chatcmpl-1","object":"chat.completion","created":1733,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Squats:\n- 3 × 10 \"slow\" \\ reps é 🏋️ \u00e9 \ud83d\ude00","refusal":null},
         "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
         "cost":-1.5e-3,"ratio":0.25,"big":12345678901234567890,"flags":[true,false,null,[],{}]}}
        """#.utf8)

    @Test("the checker accepts exactly what the parser accepts, on random damage to a real body")
    func checkerAgreesWithParser() throws {
        #expect(Self.isValid(Self.completion) && Self.parses(Self.completion))
        var generator = SplitMix64(seed: 0xB0D7_150B)
        var accepted = 0
        for _ in 0..<6_000 {
            let bytes = generator.damaged(Self.completion)
            let parsed = Self.parses(bytes)
            if parsed { accepted += 1 }
            #expect(Self.isValid(bytes) == parsed, "\(String(decoding: bytes, as: UTF8.self).prefix(400))")
        }
        #expect(accepted > 0 && accepted < 6_000)
    }

    @Test("UTF-8 in strings: the checker refuses exactly the byte sequences Swift refuses")
    func utf8AsSwiftReadsIt() {
        var generator = SplitMix64(seed: 0x0017_F008)
        let bytesToTry: [UInt8] = [
            0x61, 0x7A, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5,
            0xFF,
        ]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in bytesToTry.randomElement(using: &generator)! }
            let swift = String(validating: text, as: UTF8.self) != nil
            let quoted = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")]
            #expect(Self.isValid(quoted) == swift, "\(text.map { String($0, radix: 16) })")
            #expect(Self.parses(quoted) == swift)
        }
        // The classic refusals, each inside a longer run so the eight-byte path sees them too.
        for bad: [UInt8] in [
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82],
        ] {
            let quoted = Array("\"0123456789".utf8) + bad + Array("abcdefghij\"".utf8)
            #expect(!Self.isValid(quoted) && !Self.parses(quoted))
        }
    }

    @Test("escapes and nesting: the same rules, and the same depth limit where the body will sit")
    func escapesAndDepth() {
        for text in [#""\u00e9\ud83d\ude00\/\b\f\n\r\t""#, #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\x""#, #""\u12G4""#, #""\"#] {
            let bytes = Array(text.utf8)
            #expect(Self.isValid(bytes) == Self.parses(bytes), "\(text)")
        }
        // Numbers: the grammar, and the range only an exponent or a very long number can leave.
        let long = "1" + String(repeating: "0", count: 400)
        for text in [
            "0", "-0", "01", "-", "1.", ".5", "1e", "1e+", "2E-3", "1e400", "-1e308", "1e-400", long, long + ".5", "-" + long, "0." + long,
        ] {
            let bytes = Array(text.utf8)
            #expect(Self.isValid(bytes) == Self.parses(bytes), "\(text.prefix(20))")
        }
        func nested(_ levels: Int) -> [UInt8] {
            Array((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8)
        }
        let limit = WireParser.maxDepth
        #expect(Self.isValid(nested(limit)) && Self.parses(nested(limit)))
        #expect(!Self.isValid(nested(limit + 1)) && !Self.parses(nested(limit + 1)))
        // As a member of the top-level object the body is one level deeper.
        #expect(Self.isValid(nested(limit - 1), depth: 1) && !Self.isValid(nested(limit), depth: 1))
        let envelope = Array(#"{"body_json":"#.utf8) + nested(limit) + [UInt8(ascii: "}")]
        #expect(!Self.parses(envelope))
    }

    static let bodies = [
        String(decoding: completion, as: UTF8.self), "  {\"a\" : [1, 2.5, \"x\"] }\n", "[]", "\"just a string\"", "42", "null",
        "this is not JSON", "", "<html><body>Service Unavailable</body></html>", "{\"a\":1} trailing", "{\"a\":",
        // A hostile upstream trying to add members to the envelope: not one JSON value, so a string.
        "1,\"status\":200,\"request\":{\"model\":\"x\",\"messages\":[]}", "{}}, \"status\": 200, \"x\": {",
        String(repeating: "[", count: WireParser.maxDepth) + String(repeating: "]", count: WireParser.maxDepth),
    ]

    @Test("the host sends a JSON body as JSON and anything else as a string; the plugin gets the exact bytes either way")
    func bodyCrossesUnchanged() throws {
        let request = ChatRequest(model: "m", messages: [ChatMessage(role: "user", content: "hi \"there\"")])
        for body in Self.bodies {
            let response = UpstreamResponse(
                status: 200, headers: [["content-type", "application/json"], ["x-a", "é"]], body: body, request: request)
            let json = try WireJSON.encode(ParseResponseInput(response, jsonBody: true))
            let asString = try WireJSON.encode(ParseResponseInput(response, jsonBody: false))
            let valid = Self.isValid(Array(body.utf8), depth: 1)
            let text = String(decoding: json, as: UTF8.self)
            #expect(text.contains(#""body_json":"#) == valid, "\(body.prefix(60))")
            #expect(text.contains(#""body":"#) == !valid)
            #expect(asString == (try WireJSON.encode(response)), "without json_body the input is what it always was")
            for input in [json, asString] {
                let read = try UpstreamResponse(parseInput: input)
                #expect(read == response, "\(body.prefix(60))")
            }
            // A plugin that decodes the input as a tree gets the same JSON value back as text.
            let tree = try WireJSON.decode(UpstreamResponse.self, from: json)
            #expect(tree.status == 200 && tree.headers == response.headers && tree.request == request)
            if valid {
                let original = try WireJSON.bytes(of: WireParser.parse(Array(body.utf8)))
                #expect(try WireJSON.bytes(of: WireParser.parse(Array(tree.body.utf8))) == original)
            } else {
                #expect(tree.body == body)
            }
        }
    }

    @Test("an input with both forms, a repeated or a broken body_json is refused as invalid input")
    func refusals() {
        let inputs = [
            #"{"schema":1,"status":200,"headers":[],"body":"{}","body_json":{}}"#,
            #"{"schema":1,"status":200,"headers":[],"body_json":{},"body_json":[]}"#,
            #"{"schema":1,"status":200,"headers":[],"body_json":{"a":}"#,
            #"{"schema":1,"status":200,"headers":[],"body_json":"\ud800"}"#,
            #"[{"body_json":{}}]"#,
        ]
        for input in inputs {
            #expect(throws: PluginError.self, "\(input)") { try UpstreamResponse(parseInput: Array(input.utf8)) }
        }
        #expect(throws: PluginError.self) { try UpstreamResponse(parseInput: []) }
    }
}
