import Foundation
import VigorPluginSDK

/// A folder of recorded upstream material: response bodies (`success.json`), SSE bodies
/// (`stream_usage.sse`), and recorded exchanges (see ``RecordedExchange``).
///
/// ```swift
/// let fixtures = UpstreamFixtures("Fixtures")            // beside this test file
/// host.http.script(url: url, try fixtures.response("success.json"))
/// let result = try host.stream(id, input: chat, body: try fixtures.bytes("stream_usage.sse"), chunkSize: 7)
/// host.http.replay(try fixtures.exchange("rate_limited.exchange.json"))
/// ```
public struct UpstreamFixtures: Sendable {
    /// The fixture folder.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The folder `folder`, relative to the folder of the source file that says so (by
    /// default the calling test file), or absolute.
    public init(_ folder: String, relativeTo file: String = #filePath) {
        if folder.hasPrefix("/") {
            directory = URL(fileURLWithPath: folder)
        } else {
            directory = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(folder)
        }
    }

    /// A fixture file's URL.
    public func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// A fixture's bytes.
    public func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    /// A fixture's text (UTF-8).
    public func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    /// A fixture decoded as JSON.
    public func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
    }

    /// An upstream response whose body is the fixture. The content type, when not given in
    /// `headers`, follows the extension (`.json`, `.sse`, `.html`, else `text/plain`).
    public func response(_ name: String, status: Int = 200, headers: [[String]]? = nil) throws -> UpstreamResponse {
        let type: String
        switch url(name).pathExtension.lowercased() {
        case "json": type = "application/json"
        case "sse": type = "text/event-stream"
        case "html": type = "text/html"
        default: type = "text/plain"
        }
        return UpstreamResponse(status: status, headers: headers ?? [["content-type", type]], body: try text(name))
    }

    /// A recorded exchange: a JSON file
    /// `{"request":{"method","url",…}, "response":{"status","headers","body"}}` whose response
    /// may name its body in a separate fixture with `"body_file"` instead of `"body"`.
    public func exchange(_ name: String) throws -> RecordedExchange {
        let file = try decode(ExchangeFile.self, name)
        var response = UpstreamResponse(status: file.response.status, headers: file.response.headers ?? [], body: file.response.body ?? "")
        if let bodyFile = file.response.bodyFile { response.body = try text(bodyFile) }
        return RecordedExchange(request: file.request, response: response)
    }

    private struct ExchangeFile: Decodable {
        struct Response: Decodable {
            var status: Int
            var headers: [[String]]?
            var body: String?
            var bodyFile: String?

            enum CodingKeys: String, CodingKey {
                case status, headers, body
                case bodyFile = "body_file"
            }
        }

        var request: UpstreamRequest?
        var response: Response
    }
}

/// One recorded upstream exchange: what was asked (when recorded) and what came back.
public struct RecordedExchange: Sendable, Hashable {
    public var request: UpstreamRequest?
    public var response: UpstreamResponse

    public init(request: UpstreamRequest?, response: UpstreamResponse) {
        self.request = request
        self.response = response
    }
}
