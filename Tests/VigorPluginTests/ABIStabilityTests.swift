import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK
import VigorPluginTesting

/// The released ABI must keep working: plugins built against a frozen header load into the
/// current host, and the current header only ever appends (see Tests/Fixtures/abi/README.md).
@Suite("ABI stability against the frozen v1.0 header")
struct ABIStabilityTests {
    /// Every frozen release, oldest first.
    static let frozenVersions = ["v1.0"]
    static let abiFixtures = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/abi")
    static let currentHeader = TestSupport.packageRoot.appendingPathComponent("Sources/VigorPluginAPI/include/vigor_plugin.h").path

    static func frozenInclude(_ version: String) -> String { abiFixtures.appendingPathComponent(version).path }
    static func frozenHeader(_ version: String) -> String { frozenInclude(version) + "/vigor_plugin.h" }

    @Test("the frozen copy is the 1.0 header")
    func frozenIsOnePointZero() throws {
        let header = try CHeader(path: Self.frozenHeader("v1.0"))
        #expect(header.defines["VIGOR_ABI_MAJOR"] == "1")
        #expect(header.defines["VIGOR_ABI_MINOR"] == "0")
        #expect(header.structs.count >= 10, "parsed \(header.structs.keys.sorted())")
    }

    @Test("a plugin built against the frozen header loads into the current host and serves", arguments: frozenVersions)
    func frozenPluginLoads(version: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let library = dir.appendingPathComponent("libc_coach_frozen.so").path
        try CC.run([
            "-shared", "-fPIC", "-O1", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", Self.frozenInclude(version), "-o", library,
            LoaderTests.cCoach,
        ])
        let registry = TestSupport.registry()
        let report = registry.scan(directory: dir.path)
        #expect(report.rejected.isEmpty, "\(report.rejected)")
        let coach = try #require(registry.component(id: "dev.example.c-coach"))
        let result = try coach.invoke(
            "provider.complete", ChatRequest(messages: [ChatMessage(role: "user", content: "Stretch?")]), as: ProviderResult.self)
        #expect(result.response?.text.contains("Stretch") == true)
        let check = ConformanceSuite(threads: 2, callsPerThread: 5).run(path: library)
        #expect(check.passed, "\(check.text)")
    }

    @Test("every frozen struct is a prefix of the current one; fixed structs do not change", arguments: frozenVersions)
    func appendOnlyFields(version: String) throws {
        let frozen = try CHeader(path: Self.frozenHeader(version))
        let current = try CHeader(path: Self.currentHeader)
        for (name, fields) in frozen.structs {
            let now = try #require(current.structs[name], "struct \(name) disappeared from the current header")
            #expect(
                Array(now.prefix(fields.count)) == fields, "\(name): fields were changed or reordered, not appended: \(fields) → \(now)")
            if !fields.contains("struct_size") {
                #expect(now == fields, "\(name) has no struct_size (it is passed by value or fixed): it may not grow")
            }
        }
        for (name, type) in frozen.typedefs {
            #expect(current.typedefs[name] == type, "typedef \(name) changed: \(type) → \(current.typedefs[name] ?? "missing")")
        }
    }

    @Test("every frozen VIGOR_* constant keeps its value; the minor version only grows", arguments: frozenVersions)
    func constantsKeepValues(version: String) throws {
        let frozen = try CHeader(path: Self.frozenHeader(version))
        let current = try CHeader(path: Self.currentHeader)
        #expect(frozen.defines.count >= 20)
        for (name, value) in frozen.defines {
            let now = try #require(current.defines[name], "#define \(name) disappeared")
            if name == "VIGOR_ABI_MINOR" {
                #expect((Int(now) ?? -1) >= (Int(value) ?? 0), "the ABI minor went backwards")
            } else {
                #expect(now == value, "#define \(name) changed from \(value) to \(now)")
            }
        }
    }

    @Test("compiled layouts agree: every frozen field keeps its offset and size", arguments: frozenVersions)
    func compiledLayouts(version: String) throws {
        let frozen = try CHeader(path: Self.frozenHeader(version))
        let program = frozen.layoutProgram()
        let dir = try TestSupport.temporaryDirectory()
        let source = dir.appendingPathComponent("layout.c")
        try Data(program.utf8).write(to: source)
        func layout(include: String, name: String) throws -> [String: Int] {
            let binary = dir.appendingPathComponent(name).path
            try CC.run(["-std=c11", "-I", include, "-o", binary, source.path])
            var table: [String: Int] = [:]
            for line in try CC.output(binary).split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let value = Int(parts[1]) { table[String(parts[0])] = value }
            }
            return table
        }
        let old = try layout(include: Self.frozenInclude(version), name: "layout-frozen")
        let new = try layout(include: TestSupport.header, name: "layout-current")
        #expect(old.count > 60, "only \(old.count) layout facts")
        for (key, value) in old {
            if key.hasPrefix("sizeof:") {
                let name = String(key.dropFirst("sizeof:".count))
                let fixed = !(frozen.structs[name]?.contains("struct_size") ?? true)
                if fixed {
                    #expect(new[key] == value, "\(name) changed size: \(value) → \(new[key] ?? -1)")
                } else {
                    #expect((new[key] ?? -1) >= value, "\(name) shrank: \(value) → \(new[key] ?? -1)")
                }
            } else {
                #expect(new[key] == value, "\(key): \(value) in the frozen header, \(new[key].map(String.init) ?? "missing") now")
            }
        }
    }
}

/// What a test needs to know about a C header: struct fields in order, typedefs, `VIGOR_*` defines.
struct CHeader {
    /// `typedef struct NAME { … } NAME;` → field names in declaration order.
    var structs: [String: [String]] = [:]
    /// Other typedefs (`typedef int32_t vigor_status;`), normalised: name → declaration.
    var typedefs: [String: String] = [:]
    /// `#define VIGOR_NAME value` → value text (empty for a bare define).
    var defines: [String: String] = [:]

    init(path: String) throws {
        let text = Self.stripComments(try String(contentsOfFile: path, encoding: .utf8))
        for line in text.split(separator: "\n") {
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            if words.count >= 2, words[0] == "#define", words[1].hasPrefix("VIGOR_") {
                defines[String(words[1])] = words.count > 2 ? words[2].trimmingCharacters(in: .whitespaces) : ""
            }
        }
        let structPattern = try Regex(#"typedef\s+struct\s+(\w+)\s*\{([^}]*)\}\s*(\w+)\s*;"#)
        for match in text.matches(of: structPattern) {
            guard let name = match.output[3].substring, let body = match.output[2].substring else { continue }
            structs[String(name)] = body.split(separator: ";").compactMap { Self.fieldName(String($0)) }
        }
        let withoutStructs = text.replacing(structPattern, with: "")
        let typedefPattern = try Regex(#"typedef\s+([^;{}]+);"#)
        for match in withoutStructs.matches(of: typedefPattern) {
            guard let declaration = match.output[1].substring else { continue }
            let normalised = declaration.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if let name = Self.declaredName(normalised) { typedefs[name] = normalised }
        }
    }

    /// The name a field declaration declares: `(*name)` for a function pointer, else the last identifier.
    static func fieldName(_ declaration: String) -> String? {
        let trimmed = declaration.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let match = trimmed.firstMatch(of: /\(\s*\*\s*(\w+)\s*\)/) { return String(match.output.1) }
        return trimmed.firstMatch(of: /(\w+)\s*(\[[^\]]*\])?\s*$/).map { String($0.output.1) }
    }

    static func declaredName(_ declaration: String) -> String? { fieldName(declaration) }

    /// Removes `/* … */` and `// …` comments, leaving string literals alone.
    static func stripComments(_ text: String) -> String {
        var out = ""
        var chars = Array(text)[...]
        var inString = false
        while let c = chars.first {
            if inString {
                out.append(c)
                chars = chars.dropFirst()
                if c == "\\", let next = chars.first {
                    out.append(next)
                    chars = chars.dropFirst()
                } else if c == "\"" {
                    inString = false
                }
            } else if chars.starts(with: "/*") {
                chars = chars.dropFirst(2)
                while !chars.isEmpty, !chars.starts(with: "*/") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
                out.append(" ")
            } else if chars.starts(with: "//") {
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
            } else {
                if c == "\"" { inString = true }
                out.append(c)
                chars = chars.dropFirst()
            }
        }
        return out
    }

    /// A C program printing `sizeof:S n`, `offset:S.f n` and `size:S.f n` for every struct and field.
    func layoutProgram() -> String {
        var lines = ["#include <stdio.h>", "#include <stddef.h>", "#include \"vigor_plugin.h\"", "int main(void) {"]
        for (name, fields) in structs.sorted(by: { $0.key < $1.key }) {
            lines.append("    printf(\"sizeof:\(name) %zu\\n\", sizeof(\(name)));")
            for field in fields {
                lines.append("    printf(\"offset:\(name).\(field) %zu\\n\", offsetof(\(name), \(field)));")
                lines.append("    printf(\"size:\(name).\(field) %zu\\n\", sizeof(((\(name) *)0)->\(field)));")
            }
        }
        lines += ["    return 0;", "}", ""]
        return lines.joined(separator: "\n")
    }
}

/// Runs `cc` (and the programs it builds) for the ABI tests.
enum CC {
    static func run(_ arguments: [String]) throws {
        _ = try execute("/usr/bin/env", ["cc"] + arguments)
    }

    static func output(_ program: String) throws -> String { try execute(program, []) }

    static func execute(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupport.CompileError(
                message: "\(executable) \(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
