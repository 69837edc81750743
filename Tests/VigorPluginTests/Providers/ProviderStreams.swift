import Foundation
import Testing
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// Stream checks: every recorded SSE body is fed whole, byte by byte and in random-size
/// pieces (fixed seeds); all splits must give the same events, `on_done` exactly once.
extension ProviderFixtures {
    struct StreamManifest: Decodable {
        struct Case: Decodable {
            var name: String
            var file: String
            var expect: Expected
        }

        struct Expected: Decodable {
            var text: String
            var finish_reason: String?
            var model: String?
            var usage: [Int]?
            var citations: [String]?
            var error: String?
            var message_contains: String?
            var deltas: Int?
        }

        var cases: [Case]
    }

    /// How the body is cut into `feed` calls.
    enum Split: CustomStringConvertible {
        case whole, byteByByte
        case random(seed: UInt64)

        var description: String {
            switch self {
            case .whole: "whole"
            case .byteByByte: "byte by byte"
            case .random(let seed): "random splits (seed \(seed))"
            }
        }
    }

    struct StreamRun {
        var events: [StreamEvent]
        var doneCount: Int
        var doneStatus: vigor_status?
    }

    /// Opens `provider.stream` on the real plugin, feeds `bytes` as `split` says, closes it.
    static func run(_ component: PluginComponentHandle, request: ChatRequest, bytes: [UInt8], split: Split) throws -> StreamRun {
        let stream = try component.openStream(op: "provider.stream", input: WireJSON.encode(request))
        var events: [StreamEvent] = []
        for piece in pieces(bytes, split) { events += stream.feed(piece) }
        events += stream.close()
        #expect(stream.undecodable == 0, "the plugin emitted events the host cannot decode")
        return StreamRun(events: events, doneCount: stream.doneCount, doneStatus: stream.doneStatus)
    }

    static func pieces(_ bytes: [UInt8], _ split: Split) -> [[UInt8]] {
        switch split {
        case .whole:
            return [bytes]
        case .byteByByte:
            return bytes.map { [$0] }
        case .random(let seed):
            var rng = SplitMix64(seed: seed)
            var result: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let size = Int.random(in: 1...48, using: &rng)
                result.append(Array(bytes[index..<min(bytes.count, index + size)]))
                index += size
            }
            return result
        }
    }

    /// Runs every recorded stream of `provider` and checks the events against the manifest.
    static func checkStreams(_ provider: String, id: String, request: ChatRequest) throws {
        let component = try component(id)
        let manifest = try manifest(StreamManifest.self, provider, "streams.json")
        #expect(!manifest.cases.isEmpty)
        for item in manifest.cases {
            let bytes = try bytes(provider, item.file)
            let reference = try run(component, request: request, bytes: bytes, split: .whole)
            let splits: [Split] = [.byteByByte] + (1...5).map { .random(seed: $0) }
            for split in [Split.whole] + splits {
                let run = split.description == "whole" ? reference : try run(component, request: request, bytes: bytes, split: split)
                #expect(run.doneCount == 1 && run.doneStatus == VIGOR_OK, "\(item.name), \(split): on_done \(run.doneCount)×")
                #expect(run.events == reference.events, "\(item.name), \(split): events differ from the whole-body run")
            }
            check(reference.events, against: item.expect, name: item.name)
        }
    }

    static func check(_ events: [StreamEvent], against expect: StreamManifest.Expected, name: String) {
        var text = ""
        var deltas = 0
        var finishes: [String] = []
        var models: [String] = []
        var usages: [TokenUsage] = []
        var citations: [[String]] = []
        var errors: [ProviderError] = []
        for event in events {
            switch event {
            case .delta(let piece):
                text += piece
                deltas += 1
            case .finish(let reason): finishes.append(reason)
            case .model(let model): models.append(model)
            case .usage(let usage): usages.append(usage)
            case .citations(let list): citations.append(list)
            case .error(let error): errors.append(error)
            }
        }
        #expect(text == expect.text, "\(name): text")
        if let count = expect.deltas { #expect(deltas == count, "\(name): delta events") }
        #expect(finishes == (expect.finish_reason.map { [$0] } ?? []), "\(name): finish events \(finishes)")
        if let model = expect.model {
            #expect(models == [model], "\(name): model events \(models)")
            #expect(events.first == .model(model), "\(name): the model is not the first event")
        }
        if let finish = finishes.first, let index = events.firstIndex(of: .finish(finish)) {
            #expect(!events[index...].contains { if case .delta = $0 { true } else { false } }, "\(name): text after the finish event")
        }
        if let usage = expect.usage {
            #expect(usages.last == TokenUsage(promptTokens: usage[0], completionTokens: usage[1]), "\(name): usage \(usages)")
        } else if expect.error == nil {
            #expect(usages.isEmpty, "\(name): unexpected usage \(usages)")
        }
        #expect((citations.last ?? []) == (expect.citations ?? []), "\(name): citations \(citations)")
        if let kind = expect.error {
            #expect(errors.count == 1, "\(name): error events \(errors)")
            #expect(errors.first?.kind.rawValue == kind, "\(name): \(errors)")
            if case .error = events.last {} else { Issue.record("\(name): the error is not the last event") }
            if let needle = expect.message_contains { #expect(errors.first?.message.contains(needle) == true, "\(name): \(errors)") }
        } else {
            #expect(errors.isEmpty, "\(name): unexpected errors \(errors)")
        }
    }
}

/// A small deterministic generator (SplitMix64) so random splits are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// Bytes that break JSON: its punctuation and words, control bytes, and bytes that are
    /// never valid UTF-8 or only in some places.
    static let jsonDamage =
        Array(#"{}[]:,"\ 0123456789.eE+-truefalsnu"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]

    /// `document` with one to three bytes replaced, removed or inserted.
    mutating func damaged(_ document: [UInt8]) -> [UInt8] {
        var bytes = document
        for _ in 0..<Int.random(in: 1...3, using: &self) {
            let position = Int.random(in: 0..<bytes.count, using: &self)
            switch Int.random(in: 0..<3, using: &self) {
            case 0: bytes[position] = Self.jsonDamage.randomElement(using: &self)!
            case 1: bytes.remove(at: position)
            default: bytes.insert(Self.jsonDamage.randomElement(using: &self)!, at: position)
            }
        }
        return bytes
    }
}
