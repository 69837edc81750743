import Foundation
import VigorPluginSDK

/// `WireJSON` with typed throws, for the mock host's `throws(PluginError)` paths.
enum MockWire {
    /// Decodes a payload; failures are ``PluginError/invalidInput(_:)`` (as `WireJSON` says).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(PluginError) -> T {
        do {
            return try WireJSON.decode(type, from: bytes)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.invalidInput("\(error)")
        }
    }

    /// Encodes a payload; a failure is the caller's bug, reported as `VIGOR_ERR_INTERNAL`.
    static func encode<T: Encodable>(_ value: T) throws(PluginError) -> [UInt8] {
        do {
            return try WireJSON.encode(value)
        } catch {
            throw PluginError.internalError("could not encode \(T.self): \(error)")
        }
    }
}
