import Foundation
import HTTPTypes
import Testing

@testable import VigorHost

/// The request path's memoised and hand-written pieces give what the code they replace gave.
@Suite("Request path: remembered URL parts, token trimming, completion ids")
struct RequestPathCacheTests {
    static let urls = [
        "https://api.openai.com/v1/chat/completions", "HTTP://127.0.0.1:18990/v1/chat/completions",
        "https://user:pw@evil.example@api.openai.com/x", "https://[::1]:8080/v1", "ftp://api.openai.com/",
        "https://exa mple.com/", "not a url", "", "https://xn--bcher-kva.example/ü", "http://%41.example/",
        "https://api.openai.com\\@evil.example/",
    ]

    @Test("Scheme and host are Foundation's URL(string:) reading, the first time and from memory")
    func sameAsFoundation() {
        let cache = URLPartsCache()
        for _ in 0..<2 {
            for text in Self.urls {
                let url = URL(string: text)
                let parts = cache.parts(of: text)
                #expect((parts == nil) == (url == nil), "\(text)")
                #expect(parts?.scheme == url?.scheme?.lowercased(), "\(text)")
                #expect(parts?.host == url?.host, "\(text)")
            }
        }
    }

    @Test("Past its limit the cache keeps no more URLs and still answers")
    func bounded() {
        let cache = URLPartsCache(limit: 4)
        for index in 0..<10 { #expect(cache.parts(of: "https://h\(index).example/")?.host == "h\(index).example") }
        #expect(cache.parts(of: "https://h9.example/")?.host == "h9.example")
        #expect(cache.count == 4)
        // A huge URL (a hostile plugin's) is answered and not kept.
        let roomy = URLPartsCache()
        let huge = "https://api.openai.com/" + String(repeating: "a", count: URLPartsCache.maxKeyBytes)
        #expect(roomy.parts(of: huge)?.host == "api.openai.com")
        #expect(roomy.count == 0)
        #expect(roomy.parts(of: "https://api.openai.com/v1")?.host == "api.openai.com")
        #expect(roomy.count == 1)
    }

    @Test("A token is trimmed as Foundation trims white space, Unicode spaces included")
    func trimming() {
        for text in ["vgr_abc", "  vgr_abc ", "\tvgr_abc\t", "vgr_abc\u{00A0}", "\u{2003}token", "", " ", "a"] {
            #expect(Authenticator.trimmed(Substring(text)) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test("Id words come from the pool once each, across many refills, from several threads at once")
    func randomPool() async {
        // 4 tasks x 1 000 draws of 16 or 24 bytes: about 40 KB, ten pools.
        let drawn = await withTaskGroup(of: [UInt64].self) { group in
            for task in 0..<4 {
                group.addTask {
                    var words: [UInt64] = []
                    for index in 0..<1_000 {
                        if (index + task) % 2 == 0 {
                            let (a, b) = RandomWords.two()
                            words += [a, b]
                        } else {
                            let (a, b, c) = RandomWords.three()
                            words += [a, b, c]
                        }
                    }
                    return words
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(drawn.count == 10_000)
        // 64-bit words from the kernel: a repeat means a byte range was handed out twice.
        #expect(Set(drawn).count == drawn.count)
        let ones = drawn.reduce(0) { $0 + $1.nonzeroBitCount }
        #expect(abs(Double(ones) / Double(drawn.count * 64) - 0.5) < 0.01, "\(ones) one bits")
    }

    @Test("A header's value is the subscript's: absent, once, several times, any case, odd bytes")
    func headerValue() {
        let sets: [HTTPFields] = [
            [:],
            [.contentType: "application/json"],
            [.contentLength: "12", .authorization: "Bearer vgr_x"],
            HTTPFields([
                HTTPField(name: .contentLength, value: "5"), HTTPField(name: .accept, value: "*/*"),
                HTTPField(name: HTTPField.Name("CONTENT-LENGTH")!, value: "7"),
            ]),
            HTTPFields([
                HTTPField(name: HTTPField.Name("Authorization")!, value: "Bearer  é\u{0}"),
                HTTPField(name: .authorization, value: ""), HTTPField(name: .authorization, value: "Basic x"),
            ]),
        ]
        for fields in sets {
            for name in [HTTPField.Name.contentLength, .authorization, .accept, .contentType, .origin] {
                #expect(fields.value(name) == fields[name], "\(name) in \(fields)")
            }
        }
        #expect(sets[3].value(.contentLength) == "5, 7")
    }

    @Test("Completion ids are chatcmpl- and 24 alphanumerics, and differ")
    func completionIDs() {
        let ids = (0..<200).map { _ in OpenAICompatRoutes.completionID() }
        for id in ids {
            #expect(id.hasPrefix("chatcmpl-") && id.utf8.count == 33)
            #expect(id.dropFirst(9).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("The chat body read in place: empty, non-JSON and a wrong field type (named) are 400 in OpenAI's shape, multi-byte text answers")
    func bodyStatuses() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("bodyuser")
            let key = try await client.createAPIKey(token: user.token)
            let cases: [(body: String, status: Int)] = [
                ("", 400), ("not json", 400), (#"{"model":"vigor-coach","messages":5}"#, 400),
                (#"{"model":"vigor-coach","messages":[{"role":"user","content":"h\u00e9llo caf\u00e9"}]}"#, 200),
                (#"{"model":"vigor-coach","messages":[{"role":"user","content":"Grüße, 運動 🏋️"}]}"#, 200),
            ]
            for item in cases {
                let reply = try await client.send(.post, "/v1/chat/completions", token: key.key, body: item.body)
                #expect(Int(reply.status.code) == item.status, "\(item.body): \(reply.text)")
                if item.body.contains(":5") { #expect(reply.text.contains(#""param":"messages""#), "\(reply.text)") }
            }
        }
    }
}
