import Foundation
import Testing
import VigorPluginSDK

/// The direct wire coding must write exactly the bytes the `Codable` form writes, read what
/// `Codable` reads into the same values, and refuse what `Codable` refuses — without crashing.
@Suite("Direct wire coding")
struct WireCodingTests {
    /// What `WireJSON` wrote before the direct path: `JSONEncoder`, sorted keys, slashes as is.
    static func codableBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static let texts = [
        "", "plain", "quote \" backslash \\ slash / </script>", "lines\nand\r\ntabs\t", "bell \u{07} nul \u{00} esc \u{1B} del \u{7F}",
        "emoji 🏋️‍♀️ accents éà ü", "\u{2028}\u{2029}", String(repeating: "long ", count: 2_000),
    ]

    static var requests: [ChatRequest] {
        texts.enumerated().map { index, text in
            ChatRequest(
                model: index % 2 == 0 ? "" : "gpt-4o-mini",
                messages: [ChatMessage(role: "system", content: text), ChatMessage(role: "user", content: "hi " + text)],
                temperature: [nil, 0.7, 1.0, 0, 1e-7, 123.456][index % 6], maxTokens: index % 3 == 0 ? nil : 512 * index,
                jsonMode: index % 2 == 1, stream: index % 3 == 1, profileJSON: index % 4 == 0 ? nil : #"{"goal":"strength"}"#)
        }
    }

    static var responses: [ChatResponse] {
        texts.map {
            ChatResponse(
                text: $0, finishReason: "length", model: "m-\($0.count)", usage: TokenUsage(promptTokens: 12, completionTokens: $0.count),
                citations: $0.isEmpty ? [] : ["https://a.example/x?y=1", $0])
        }
    }

    @Test("every hot type writes the same bytes as Codable, and both readers agree on them")
    func sameBytesBothWays() throws {
        func check<T: Codable & Equatable & WireEncodable & WireDecodable>(_ value: T) throws {
            let direct = try WireJSON.encode(value)
            #expect(direct == (try Self.codableBytes(value)), "\(T.self): \(String(decoding: direct, as: UTF8.self).prefix(200))")
            #expect(try WireJSON.decode(T.self, from: direct) == value)
            #expect(try JSONDecoder().decode(T.self, from: Data(direct)) == value)
        }
        for request in Self.requests {
            try check(request)
            let build = BuildRequestInput(request: request, baseURL: "http://127.0.0.1:9/v1")
            let bytes = try WireJSON.encode(build)
            #expect(bytes == (try Self.codableBytes(build)))
            #expect(try WireJSON.decode(BuildRequestInput.self, from: bytes).request == request)
            try check(
                UpstreamResponse(
                    status: 200, headers: [["content-type", "application/json"], ["x-text", request.messages[0].content]],
                    body: request.messages[1].content, request: request))
            try check(
                UpstreamRequest(
                    url: "https://api.example/v1", headers: [["Accept", "text/event-stream"]], body: request.messages[0].content,
                    secretHeaders: [SecretHeader(name: "Authorization", secret: "K", prefix: "Bearer ")]))
        }
        for response in Self.responses {
            try check(response)
            try check(ProviderResult.success(response))
        }
        try check(UpstreamResponse(status: 503, body: ""))
        for kind in ProviderErrorKind.allCases {
            try check(
                ProviderResult.failure(
                    ProviderError(kind: kind, message: "why \"\n", retryAfterMs: kind == .rateLimited ? 1500 : nil, status: 429)))
        }
    }

    @Test("integers are spelled as JSONEncoder spells them, over the whole Int64 range and past it")
    func integerSpellings() throws {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 1_000_000_007, -987_654_321, Int64(Int32.max), Int64(Int32.min)]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, 1 - power]
        }
        values += [Int64.max, Int64.max - 1, Int64.min, Int64.min + 1]
        for value in values {
            var out = WireWriter()
            out.int(value)
            #expect(out.bytes == (try Self.codableBytes(value)), "\(value)")
            var inArray = WireWriter()
            inArray.array([value, -(value / 2)]) { $0.int($1) }
            #expect(inArray.bytes == (try Self.codableBytes([value, -(value / 2)])), "\(value) in an array")
        }
        for value in [UInt64.max, UInt64(Int64.max) + 1] {
            var out = WireWriter()
            out.int(value)
            #expect(out.bytes == (try Self.codableBytes(value)), "\(value)")
        }
        for value in [Int8.min, Int8.max, 0] {
            var out = WireWriter()
            out.int(value)
            #expect(out.bytes == (try Self.codableBytes(value)), "\(value)")
        }
        // Integral doubles are written through the same digits.
        for value in [0.0, 1.0, -42.0, 999_999_999_999_999.0, -999_999_999_999_999.0, 0.5] {
            var out = WireWriter()
            out.double(value)
            #expect(out.bytes == (try Self.codableBytes(value)), "\(value)")
        }
    }

    @Test("numbers are read as Int and Double read their text: every digit count to 20, signs, -0, the Int64 edges and past them")
    func numberReadings() throws {
        var texts = ["0", "-0", "7", "-7", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809"]
        var digits = ""
        for count in 1...20 {
            digits += String(count % 10 == 0 ? 9 : count % 10)
            texts += [digits, "-" + digits, String(repeating: "9", count: count), "-" + String(repeating: "9", count: count)]
            texts += ["1" + String(repeating: "0", count: count - 1), "-1" + String(repeating: "0", count: count - 1)]
        }
        for text in texts {
            let read = try WireParser.parse(Array("[\(text)]".utf8))
            guard case .array(let values) = read, let value = values.first else {
                Issue.record("\(text): not an array")
                continue
            }
            if let integer = Int(text) {
                guard case .int(let got) = value else {
                    Issue.record("\(text): read as \(value), not an integer")
                    continue
                }
                #expect(got == integer, "\(text)")
            } else {
                guard case .double(let got) = value else {
                    Issue.record("\(text): read as \(value), not a double")
                    continue
                }
                #expect(got == Double(text), "\(text)")
            }
        }
    }

    @Test("the writer's buffer: grown from the smallest start past many doublings, handed over by finish() as bytes reads it")
    func writerBuffer() throws {
        #expect(WireWriter().bytes.isEmpty && WireWriter().finish().isEmpty)
        var reserved = WireWriter()
        // A hint past reason (a sum gone wrong) is ignored, not a crash.
        reserved.reserve(Int.max)
        reserved.reserve(Int.min)
        reserved.reserve(WireWriter.largestHint + 1)
        reserved.null()
        #expect(reserved.finish() == Array("null".utf8))
        var out = WireWriter(capacity: 0)
        out.beginArray()
        for index in 0..<3_000 {
            out.string("item \(index) \"quoted\" \u{01}")
            out.int(index)
            out.double(Double(index) / 4)
            out.bool(index % 2 == 0)
            out.null()
        }
        out.endArray()
        let copied = out.bytes
        #expect(copied.count == out.count)
        let taken = out.finish()
        #expect(taken == copied)
        let parsed = try JSONSerialization.jsonObject(with: Data(taken)) as? [Any]
        #expect(parsed?.count == 15_000)
        #expect(parsed?[0] as? String == "item 0 \"quoted\" \u{01}")
        #expect((parsed?[14_997] as? NSNumber)?.doubleValue == 749.75)
    }

    @Test("other spellings are read as Codable reads them: any key order, whitespace, unknown keys, escapes, defaults")
    func readsOtherSpellings() throws {
        let text = """
             { "unknown": {"deep": [1, 2.5e3, true, null, "x"]},
              "messages" : [ {"content": "caf\\u00e9 \\ud83c\\udfcb \\/ \\b\\f", "role": "user", "extra": 1} ] ,
              "temperature": 1, "max_tokens": 2.0, "model": null }\t\n
            """
        let direct = try WireJSON.decode(ChatRequest.self, from: Array(text.utf8))
        let codable = try JSONDecoder().decode(ChatRequest.self, from: Data(text.utf8))
        #expect(direct == codable)
        #expect(direct.messages[0].content == "café 🏋 / \u{08}\u{0C}")
        #expect(direct.model == "" && direct.schema == 1 && direct.maxTokens == 2 && direct.temperature == 1)
        // RFC 8259 numbers that Foundation refuses are read as the RFC says.
        let zero = try WireJSON.decode(ChatRequest.self, from: Array(#"{"messages": [], "temperature": 0E7}"#.utf8))
        #expect(zero.temperature == 0)
    }

    @Test("what Codable refuses is refused with the field's path; hostile input never crashes")
    func refusals() throws {
        let bad: [(String, String)] = [
            ("", "empty"), ("{", "malformed"), ("{\"messages\": [}", "malformed"), ("[1,]", "malformed"), ("{\"a\":1}x", "malformed"),
            ("nul", "malformed"), ("\"unterminated", "malformed"), ("{\"messages\": \"no\"}", "messages"),
            ("{\"messages\": [{\"role\": 1, \"content\": \"x\"}]}", "messages[0].role"), ("{\"model\": \"m\"}", "messages"),
            ("{\"messages\": [], \"max_tokens\": \"9\"}", "max_tokens"), ("{\"messages\": [], \"max_tokens\": 1.5}", "max_tokens"),
            ("{\"messages\": [], \"stream\": 1}", "stream"), ("{\"messages\": [], \"model\": \"\\ud800\"}", "malformed"),
            ("{\"messages\": [], \"model\": \"a\u{01}b\"}", "malformed"), ("{\"messages\": [], \"model\": \"\\x\"}", "malformed"),
            ("{\"messages\": [], \"temperature\": 01}", "malformed"), ("{\"messages\": [], \"temperature\": -}", "malformed"),
            ("{\"messages\": [], \"temperature\": 1e}", "malformed"), ("{\"messages\": [], \"temperature\": 1e999}", "out of range"),
            ("[]", "expected object"), ("42", "expected object"),
            (String(repeating: "[", count: 100_000), "nesting"), (String(repeating: "{\"a\":", count: 100_000), "nesting"),
        ]
        for (input, reason) in bad {
            #expect(throws: PluginError.self, "\(input.prefix(40))") { try WireJSON.decode(ChatRequest.self, from: Array(input.utf8)) }
            do {
                _ = try WireJSON.decode(ChatRequest.self, from: Array(input.utf8))
            } catch let error as PluginError {
                #expect(error.message.contains(reason), "\(input.prefix(40)): \(error.message)")
            }
            #expect(
                (try? JSONDecoder().decode(ChatRequest.self, from: Data(input.utf8))) == nil, "Codable also refuses \(input.prefix(40))")
        }
        // Invalid UTF-8 inside a string.
        let invalid: [UInt8] = Array(#"{"messages": [], "model": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: PluginError.self) { try WireJSON.decode(ChatRequest.self, from: invalid) }
        // An unknown provider error kind is refused, as Codable refuses an unknown enum case.
        #expect(throws: PluginError.self) {
            try WireJSON.decode(ProviderResult.self, from: Array(#"{"schema":1,"error":{"kind":"odd","message":"m"}}"#.utf8))
        }
    }

    @Test("strings read and written eight bytes at a time: every special byte at every offset of the word, as Codable does")
    func wordBoundaries() throws {
        // One at a time, and several in one 8-byte word (non-ASCII between and before escapes).
        let specials = [
            "\"", "\\", "\n", "\u{01}", "\u{1F}", " ", "~", "\u{7F}", "é", "😀", "\u{2028}", "é\"", "\"é\\", "\n\"😀", "ab\\\u{02}é",
        ]
        for length in 0..<26 {
            for position in 0...length {
                for special in specials {
                    let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
                    let message = ChatMessage(role: "user", content: text)
                    let written = try WireJSON.encode(message)
                    #expect(written == (try Self.codableBytes(message)), "\(text.debugDescription)")
                    #expect(try WireJSON.decode(ChatMessage.self, from: written).content == text, "\(text.debugDescription)")
                }
                // Invalid UTF-8 at this offset (a lone continuation byte, a cut sequence, 0xFF)
                // is refused, as Codable refuses it; so is a raw control character.
                for bad: [UInt8] in [[0x80], [0xC3], [0xE2, 0x82], [0xFF], [0x0A]] {
                    let prefix = Array(#"{"content":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: position)
                    let bytes =
                        prefix + bad + Array(repeating: UInt8(ascii: "b"), count: length - position) + Array(#"","role":"user"}"#.utf8)
                    #expect(throws: (any Error).self) { try WireJSON.decode(ChatMessage.self, from: bytes) }
                    #expect(throws: (any Error).self) { try JSONDecoder().decode(ChatMessage.self, from: Data(bytes)) }
                }
            }
        }
    }

    @Test("random damage to a valid document: never a crash, and accepted only when Codable accepts it")
    func damagedDocuments() throws {
        let valid = try WireJSON.encode(BuildRequestInput(request: Self.requests[1], baseURL: "https://api.openai.com"))
        // Seeded, so a failure reproduces and CI sees the same documents every run.
        var generator = SplitMix64(seed: 0x5EED_F00D)
        let alphabet = Array(#"{}[]:,"\ 0123456789.eE+-truefalsn\u"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<3_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
            }
            let direct = try? WireJSON.decode(BuildRequestInput.self, from: bytes)
            let codable = try? JSONDecoder().decode(BuildRequestInput.self, from: Data(bytes))
            if let direct {
                accepted += 1
                // Foundation refuses a zero with an unsigned exponent (`0e7`), which RFC 8259 allows.
                let text = String(decoding: bytes, as: UTF8.self)
                if codable == nil, text.contains(#/[^0-9.]0[eE][0-9]/#) { continue }
                #expect(direct.request == codable?.request, "accepted what Codable reads differently: \(text.prefix(300))")
            }
        }
        #expect(accepted < 3_000, "damage was noticed at least sometimes")
    }
}
