import Foundation
import VigorPluginAPI

/// The C functions of the entry table. Each one catches every Swift error at the edge
/// and turns it into a status code and a message: nothing unwinds across the ABI.
enum Thunks {
    /// Runs `body`, mapping thrown errors to a status and a message.
    static func guarded(_ out: UnsafeMutablePointer<vigor_buf>?, _ body: () throws -> [UInt8]) -> vigor_status {
        do {
            let bytes = try body()
            out?.pointee = .allocate(bytes)
            return VIGOR_OK
        } catch let error as PluginError {
            out?.pointee = .allocate(Array(error.message.utf8))
            return error.status
        } catch {
            out?.pointee = .allocate(Array("\(error)".utf8))
            return VIGOR_ERR_INTERNAL
        }
    }

    static func instance(_ raw: OpaquePointer?) throws -> PluginInstance {
        guard let raw else { throw PluginError.invalidInput("NULL instance") }
        return Unmanaged<PluginInstance>.fromOpaque(UnsafeRawPointer(raw)).takeUnretainedValue()
    }

    static let onInit:
        @convention(c) (
            UnsafePointer<vigor_host_api>?, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { host, outInstance, outError in
            guarded(outError) {
                guard let host, let outInstance else { throw PluginError.invalidInput("on_init needs a host table and an output") }
                guard host.pointee.struct_size >= UInt32(MemoryLayout<vigor_host_api>.offset(of: \.host_ctx)!) else {
                    throw PluginError(status: VIGOR_ERR_INCOMPATIBLE, message: "host table too small (\(host.pointee.struct_size) bytes)")
                }
                guard host.pointee.abi_major == UInt16(VIGOR_ABI_MAJOR), host.pointee.abi_minor >= PluginExport.requiredHostMinor else {
                    throw PluginError(
                        status: VIGOR_ERR_INCOMPATIBLE,
                        message:
                            "plugin needs ABI \(VIGOR_ABI_MAJOR).\(PluginExport.requiredHostMinor)+, host has \(host.pointee.abi_major).\(host.pointee.abi_minor)"
                    )
                }
                // An in-process test host may bind its own factory (see PluginExport.withFactory).
                guard let factory = PluginExport.factoryOverride ?? PluginExport.registeredFactory.withLock({ $0 }) else {
                    throw PluginError.internalError("no components registered")
                }
                let services = HostServices(host: host)
                let instance = try PluginInstance(components: factory(services), host: services)
                outInstance.pointee = OpaquePointer(Unmanaged.passRetained(instance).toOpaque())
                return []
            }.clearingEmptyOutput(outError)
        }

    static let onDescribe: @convention(c) (OpaquePointer?, UnsafeMutablePointer<vigor_buf>?) -> vigor_status = { raw, out in
        guarded(out) { try instance(raw).descriptorJSON }
    }

    static let onInvoke:
        @convention(c) (
            OpaquePointer?, UnsafePointer<vigor_call>?, vigor_str, vigor_str, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { raw, call, component, op, input, out in
            guarded(out) {
                let context = CallContext(raw: call)
                if context.isCancelled { throw PluginError.cancelled() }
                return try instance(raw).component(component).invoke(op: op.string, input: input.bytes, context: context)
            }
        }

    static let onStreamOpen:
        @convention(c) (
            OpaquePointer?, UnsafePointer<vigor_call>?, vigor_str, vigor_str, vigor_str, UnsafePointer<vigor_stream_sink>?,
            UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { raw, call, component, op, input, sink, outStream, outError in
            guarded(outError) {
                guard let sink, let outStream else { throw PluginError.invalidInput("on_stream_open needs a sink and an output") }
                let context = CallContext(raw: call)
                let parser = try instance(raw).component(component).openStream(op: op.string, input: input.bytes, context: context)
                let state = StreamState(parser: parser, sink: sink.pointee)
                outStream.pointee = OpaquePointer(Unmanaged.passRetained(state).toOpaque())
                return []
            }.clearingEmptyOutput(outError)
        }

    static let onStreamFeed: @convention(c) (OpaquePointer?, vigor_str) -> Void = { raw, bytes in
        guard let raw else { return }
        let state = Unmanaged<StreamState>.fromOpaque(UnsafeRawPointer(raw)).takeUnretainedValue()
        guard !state.finished else { return }
        do {
            try state.emit(state.parser.feed(bytes.bytes))
        } catch let error as PluginError {
            state.done(error.status, error.message)
        } catch {
            state.done(VIGOR_ERR_INTERNAL, "\(error)")
        }
    }

    static let onStreamClose: @convention(c) (OpaquePointer?, vigor_status, vigor_str) -> Void = { raw, status, message in
        guard let raw else { return }
        let state = Unmanaged<StreamState>.fromOpaque(UnsafeRawPointer(raw)).takeRetainedValue()
        guard !state.finished else { return }
        guard status == VIGOR_OK else {
            state.done(status, message.string.isEmpty ? "stream ended with status \(status)" : message.string)
            return
        }
        do {
            try state.emit(state.parser.finish())
            state.done(VIGOR_OK, "")
        } catch let error as PluginError {
            state.done(error.status, error.message)
        } catch {
            state.done(VIGOR_ERR_INTERNAL, "\(error)")
        }
    }

    static let onShutdown: @convention(c) (OpaquePointer?) -> Void = { raw in
        guard let raw else { return }
        Unmanaged<PluginInstance>.fromOpaque(UnsafeRawPointer(raw)).release()
    }
}

extension vigor_status {
    /// On success, leaves no empty message buffer behind for calls whose output is only an error.
    fileprivate func clearingEmptyOutput(_ out: UnsafeMutablePointer<vigor_buf>?) -> vigor_status {
        if self == VIGOR_OK, let out, let release = out.pointee.release {
            release(out)
        }
        return self
    }
}
