import Foundation
import VigorPluginAPI

/// The per-call context a plugin receives: deadline and cancellation.
///
/// Valid only during the call that received it (it wraps host memory).
public struct CallContext {
    /// Unique per host process.
    public let callID: UInt64
    /// Wall-clock deadline in Unix epoch milliseconds, or `nil` for none.
    public let deadlineMs: Int64?
    let raw: UnsafePointer<vigor_call>?

    init(raw: UnsafePointer<vigor_call>?) {
        self.raw = raw
        guard let raw, raw.pointee.struct_size >= UInt32(MemoryLayout<vigor_call>.offset(of: \.deadline_ms)! + 8) else {
            callID = 0
            deadlineMs = nil
            return
        }
        callID = raw.pointee.call_id
        deadlineMs = raw.pointee.deadline_ms == 0 ? nil : raw.pointee.deadline_ms
    }

    /// A context with no deadline, for direct calls in tests.
    public static var none: CallContext { CallContext(raw: nil) }

    /// True once the host has cancelled the call or its deadline has passed.
    public var isCancelled: Bool {
        if let deadlineMs, Int64(Date().timeIntervalSince1970 * 1000) >= deadlineMs { return true }
        guard let raw, raw.pointee.struct_size >= UInt32(MemoryLayout<vigor_call>.size),
            let flag = raw.pointee.cancelled
        else { return false }
        return flag.pointee != 0
    }
}

/// One component of a plugin library: a provider or a generator.
///
/// Most authors adopt ``ProviderPlugin`` or ``GeneratorPlugin`` instead, which implement
/// these raw entry points over typed Swift methods. Implementations must be safe to call
/// from many threads at once.
public protocol PluginComponent: Sendable {
    /// What the component is; `id` must be unique.
    var descriptor: ComponentDescriptor { get }

    /// Runs one operation on JSON input and returns JSON output.
    func invoke(op: String, input: [UInt8], context: CallContext) throws -> [UInt8]

    /// Opens a stream for an operation such as `provider.stream`.
    func openStream(op: String, input: [UInt8], context: CallContext) throws -> any PluginStream
}

extension PluginComponent {
    public func openStream(op: String, input: [UInt8], context: CallContext) throws -> any PluginStream {
        throw PluginError.unsupported("\(descriptor.id) has no stream operation \(op)")
    }
}

/// Plugin-side state of one open stream. Calls for one stream are serialised by the host.
public protocol PluginStream: AnyObject {
    /// Consumes the next bytes (arbitrary splits) and returns the events they complete.
    func feed(_ bytes: [UInt8]) throws -> [StreamEvent]
    /// The input has ended: returns the remaining events.
    func finish() throws -> [StreamEvent]
}

/// An error a plugin reports across the ABI: a status code and a message.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    /// One of the `VIGOR_ERR_*` status codes.
    public let status: Int32
    public let message: String

    public init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    public static func invalidInput(_ message: String) -> PluginError { .init(status: VIGOR_ERR_INVALID_INPUT, message: message) }
    public static func unsupported(_ message: String) -> PluginError { .init(status: VIGOR_ERR_UNSUPPORTED, message: message) }
    public static func unavailable(_ message: String) -> PluginError { .init(status: VIGOR_ERR_UNAVAILABLE, message: message) }
    public static func cancelled(_ message: String = "cancelled") -> PluginError { .init(status: VIGOR_ERR_CANCELLED, message: message) }
    public static func deadline(_ message: String = "deadline exceeded") -> PluginError {
        .init(status: VIGOR_ERR_DEADLINE, message: message)
    }
    public static func internalError(_ message: String) -> PluginError { .init(status: VIGOR_ERR_INTERNAL, message: message) }

    public var description: String { "status \(status): \(message)" }
}

/// JSON coding shared by the SDK and the host: compact output, stable key order.
public enum WireJSON {
    /// Encodes a payload.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let direct = value as? any WireEncodable { return bytes(of: direct) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Encodes a payload that writes itself: the direct path, chosen at compile time (the
    /// general form finds it by a dynamic cast each call).
    public static func encode<T: Encodable & WireEncodable>(_ value: T) throws -> [UInt8] { bytes(of: value) }

    /// Decodes a payload that reads itself: the direct path, chosen at compile time. Failures
    /// are the general form's.
    public static func decode<T: Decodable & WireDecodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw PluginError.invalidInput("empty input: expected a JSON object") }
        do {
            return try bytes.withUnsafeBufferPointer { try T.wireDocument($0) }
        } catch let error as WireError {
            throw PluginError.invalidInput("invalid input: \(error)")
        }
    }

    /// The direct wire JSON of a value that writes itself (a plugin's own upstream bodies).
    public static func bytes(of value: some WireEncodable) -> [UInt8] {
        var out = WireWriter()
        value.write(to: &out)
        return out.finish()
    }

    /// Reads `text` as `T` through the direct path; nil when it is not valid JSON for `T`.
    public static func read<T: WireDecodable>(_ type: T.Type, from text: String) -> T? {
        var text = text
        return text.withUTF8 { try? T.wireDocument($0) }
    }

    /// Decodes a payload; any failure becomes ``PluginError/invalidInput(_:)`` naming what was wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw PluginError.invalidInput("empty input: expected a JSON object") }
        if let direct = type as? any WireDecodable.Type {
            // The cast cannot fail: `direct` is `T.self`.
            do {
                guard let value = try bytes.withUnsafeBufferPointer({ try direct.wireDocument($0) }) as? T else {
                    throw PluginError.internalError("wire type mismatch")
                }
                return value
            } catch let error as WireError {
                throw PluginError.invalidInput("invalid input: \(error)")
            }
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw PluginError.invalidInput("invalid input: \(describe(error))")
        } catch {
            throw PluginError.invalidInput("invalid input: \(error)")
        }
    }

    /// A short, client-safe description of a decoding error (path and reason).
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "(root)" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type)"
        case .valueNotFound(let type, let ctx): return "\(path(ctx.codingPath)): missing \(type) value"
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): required field missing"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "malformed JSON" : "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "undecodable input"
        }
    }
}
