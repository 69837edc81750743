import Foundation
import Testing
import VigorPluginSDK

/// The direct `delta` path must agree with the Codable form both ways, for any text.
@Suite("Stream event wire JSON")
struct StreamEventWireTests {
    static let texts = [
        "", "plain words ", "quote \" and backslash \\ and slash /", "lines\nand\r\ntabs\t", "bell \u{07} nul \u{00} esc \u{1B}",
        "emoji 🏋️‍♀️ and accents éà ü", "\u{2028}line separator", #"looks like JSON: ","type":"delta"}"#, String(repeating: "x", count: 10_000),
    ]

    @Test("a delta written directly is the same JSON Codable reads, and reads back the same")
    func deltaBothWays() throws {
        for text in Self.texts {
            let event = StreamEvent.delta(text)
            let fast = try event.wireBytes()
            #expect(fast == (try WireCodingTests.codableBytes(event)), "the same bytes as Codable: \(text.debugDescription)")
            #expect(
                try JSONDecoder().decode(StreamEvent.self, from: Data(fast)) == event,
                "Codable reads the direct bytes: \(text.debugDescription)")
            #expect(StreamEvent.fromWire(fast) == event)
            #expect(StreamEvent.fromWire(try WireJSON.encode(event)) == event, "the direct reader reads Codable's bytes")
        }
    }

    @Test("other events, other spellings and broken input go through Codable")
    func fallbacks() throws {
        let others: [StreamEvent] = [
            .usage(TokenUsage(promptTokens: 3, completionTokens: 4)), .finish("stop"), .model("gpt-4o-mini"),
            .citations(["https://a.example"]),
            .error(ProviderError(kind: .badResponse, message: "cut")),
        ]
        for event in others {
            #expect(StreamEvent.fromWire(try event.wireBytes()) == event)
            #expect(try event.wireBytes() == (try WireCodingTests.codableBytes(event)))
        }
        #expect(StreamEvent.fromWire(Array(#"{ "type": "delta", "text": "spaced" }"#.utf8)) == .delta("spaced"))
        #expect(StreamEvent.fromWire(Array(#"{"text":"\u0041\ud83d\ude00","type":"delta"}"#.utf8)) == .delta("A😀"))
        #expect(StreamEvent.fromWire(Array(#"{"text":"a"b","type":"delta"}"#.utf8)) == nil)
        #expect(StreamEvent.fromWire(Array(#"{"text":"\q","type":"delta"}"#.utf8)) == nil)
        #expect(StreamEvent.fromWire([0x7B, 0x22, 0xFF]) == nil)
        #expect(StreamEvent.fromWire(Array(#"{"text":""#.utf8) + [0xC3] + Array(#"","type":"delta"}"#.utf8)) == nil, "invalid UTF-8")
    }

    @Test("SSE data is trimmed of spaces and tabs only, keeping multi-byte text intact")
    func trimming() {
        let cases: [(String, String)] = [
            ("", ""), ("   ", ""), ("\t x \t", "x"), ("[DONE]", "[DONE]"), (" é ", "é"), ("  日本  ", "日本"),
            ("🏋️‍♀️ ", "🏋️‍♀️"), (" \n{}\n ", "\n{}\n"), ("a b", "a b"),
        ]
        for (input, expected) in cases { #expect(input.trimmingSpacesAndTabs() == expected, "\(input.debugDescription)") }
        var decoder = SSEDecoder()
        let events = decoder.feed(Array("data:   {\"a\": \"ü\"}  \r\n\r\ndata: [DONE]\n\n".utf8))
        #expect(events.map(\.trimmedData) == [#"{"a": "ü"}"#, "[DONE]"])
    }
}
