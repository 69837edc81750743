import Testing
import VigorPluginAPI
import VigorPluginLoader

/// The loader's one mapping from the ABI's C status codes to Swift error kinds.
@Suite("PluginCallError kinds")
struct PluginCallErrorTests {
    @Test("every error status the ABI defines maps to its own kind and back")
    func everyStatusHasAKind() {
        let statuses: [Int32] = [
            VIGOR_ERR_INVALID_INPUT, VIGOR_ERR_UNSUPPORTED, VIGOR_ERR_INCOMPATIBLE, VIGOR_ERR_CANCELLED,
            VIGOR_ERR_DEADLINE, VIGOR_ERR_UNAVAILABLE, VIGOR_ERR_INTERNAL,
        ]
        let kinds = statuses.map(PluginCallError.Kind.init(status:))
        #expect(kinds == [.invalidInput, .unsupported, .incompatible, .cancelled, .deadline, .unavailable, .internal])
        #expect(Set(kinds).count == PluginCallError.Kind.allCases.count)
        #expect(kinds.map(\.status) == statuses)
    }

    @Test("a failure reported as OK or with an undefined code is internal; the raw code is kept")
    func undefinedCodesAreInternal() {
        let odd = PluginCallError(status: 42, message: "what")
        #expect(odd.kind == .internal)
        #expect(odd.status == 42)
        #expect(PluginCallError(status: VIGOR_OK, message: "ok?").kind == .internal)
        #expect(PluginCallError(status: -1, message: "negative").kind == .internal)
    }

    @Test("a kind made in Swift carries the matching C status and names its kind")
    func kindCarriesStatus() {
        let error = PluginCallError(.deadline, message: "late")
        #expect(error.status == VIGOR_ERR_DEADLINE)
        #expect(error.description.contains("deadline"))
        #expect(PluginCallError.Kind.invalidInput.rawValue == "invalid_input")
    }
}
