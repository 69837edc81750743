import Foundation
import VigorPluginAPI
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// Checks on a plugin library as a whole, made through mock hosts of the checker's own (a
/// real `vigor_host_api` table, see ``MockPluginHost``) after the loader has accepted the file:
///
/// - the plugin's `on_init` refuses a host range it cannot serve (`VIGOR_ERR_INCOMPATIBLE`):
///   a host of the next ABI major, and a host older than the plugin's minor;
/// - every non-empty output buffer it hands over carries a `release` function, and calling it
///   frees the buffer (under AddressSanitizer a bad free stops the run).
///
/// These call `on_init` again on the already loaded library: a refused `on_init` must leave
/// nothing behind, and an accepted one is paired with `on_shutdown`.
struct LibraryChecks {
    let path: String

    func all() -> [ConformanceCheck] {
        guard let table = Self.entryTable(path: path) else {
            return [
                ConformanceCheck(
                    name: "negotiation: entry table", passed: false, detail: "dlopen/dlsym failed on a library the loader accepted")
            ]
        }
        var states: [MockHostState] = []
        var checks: [ConformanceCheck] = []
        let major = UInt16(VIGOR_ABI_MAJOR)
        let newer = MockHostState(options: MockHostOptions(abiMajor: major + 1, abiMinor: 0))
        states.append(newer)
        checks.append(refusal("negotiation: on_init refuses a host of ABI \(major + 1).0", table, newer))
        let minor = table.pointee.abi_minor
        let olderName = "negotiation: on_init refuses a host older than the plugin's ABI minor"
        if minor > 0 {
            let older = MockHostState(options: MockHostOptions(abiMinor: minor - 1))
            states.append(older)
            checks.append(refusal(olderName, table, older))
        } else {
            checks.append(
                ConformanceCheck(
                    name: olderName, passed: true,
                    detail: "not applicable: built against ABI \(major).0, which every \(major).x host serves"))
        }
        checks.append(ownership(table, refusals: states))
        return checks
    }

    /// The entry table of a library the loader already opened (`dlopen` returns the same
    /// handle; it is never closed, as for every plugin).
    static func entryTable(path: String) -> UnsafePointer<vigor_plugin_table>? {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, VIGOR_ENTRY_SYMBOL) else { return nil }
        return unsafeBitCast(symbol, to: vigor_plugin_entry_fn.self)()
    }

    /// `on_init` with a host the plugin cannot serve must answer `VIGOR_ERR_INCOMPATIBLE`.
    func refusal(_ name: String, _ table: UnsafePointer<vigor_plugin_table>, _ state: MockHostState) -> ConformanceCheck {
        let version = "\(state.options.abiMajor).\(state.options.abiMinor)"
        do {
            let host = try MockPluginHost(table: table, state: state, factory: nil)
            host.shutdown()
            return ConformanceCheck(name: name, passed: false, detail: "on_init accepted a host of ABI \(version)")
        } catch {
            return ConformanceCheck(
                name: name, passed: error.status == VIGOR_ERR_INCOMPATIBLE,
                detail: "host ABI \(version): status \(error.status)\(error.message.isEmpty ? "" : " (\(error.message))")")
        }
    }

    /// Drives every kind of output — descriptor, results, error messages, refused streams —
    /// and checks each non-empty buffer came with its own `release`.
    func ownership(_ table: UnsafePointer<vigor_plugin_table>, refusals: [MockHostState]) -> ConformanceCheck {
        let name = "ownership: every output buffer carries its release function, which frees it"
        let state = MockHostState(options: MockHostOptions())
        state.http.script(where: { _ in true }) { _ in UpstreamResponse(status: 503, body: #"{"error":"checker has no network"}"#) }
        state.llm.reply("{}")
        let host: MockPluginHost
        do {
            host = try MockPluginHost(table: table, state: state, factory: nil)
        } catch {
            return ConformanceCheck(name: name, passed: false, detail: "on_init with a compatible mock host failed: \(error)")
        }
        let chat = ChatRequest(messages: [ChatMessage(role: "user", content: "hi")], stream: true)
        for component in host.components {
            let id = component.id
            if let sample = ComponentChecks.sampleCall(for: component) {
                _ = try? host.invoke(id, sample.op, input: sample.input)
                _ = try? host.invoke(id, sample.op, input: Array(sample.input.prefix(sample.input.count / 2)))
                _ = try? host.invoke(id, sample.op, input: [])
            }
            _ = try? host.invoke(id, "vigor.no_such_op", input: Array("{}".utf8))
            _ = try? host.openStream(id, "vigor.no_such_stream", input: chat)
            if component.capabilities.streaming {
                _ = try? host.stream(id, input: chat, body: Array("data: {}\n\n".utf8), chunkSize: 3)
            }
        }
        _ = try? host.invoke("dev.vigor.checker.no-such-component", "provider.complete", input: Array("{}".utf8))
        host.shutdown()
        let all = refusals + [state]
        let breaches = all.flatMap { $0.violations.withLock { $0 } }.filter { $0.contains("has no release function") }
        let counts = all.reduce(into: (released: 0, notReset: 0)) { sum, s in
            let c = s.buffers.withLock { $0 }
            sum.released += c.released
            sum.notReset += c.notReset
        }
        guard breaches.isEmpty else {
            return ConformanceCheck(name: name, passed: false, detail: "\(breaches.count) buffer(s) without release, e.g. \(breaches[0])")
        }
        var detail = "\(counts.released) buffers released by their own release function"
        if counts.notReset > 0 { detail += "; \(counts.notReset) of them left ptr set afterwards (allowed, but resetting is safer)" }
        return ConformanceCheck(
            name: name, passed: counts.released > 0, detail: counts.released > 0 ? detail : "the plugin returned no output at all")
    }
}
