import Foundation
import Logging
import VigorPluginLoader

/// Paths and tools shared by the plugin tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let header = packageRoot.appendingPathComponent("Sources/VigorPluginAPI/include").path

    /// Where `swift build` put the bundled plugin libraries: beside the test bundle.
    static let builtProducts: URL = {
        if let dir = ProcessInfo.processInfo.environment["VIGOR_TEST_PRODUCTS"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("libVigorFallback.so").path) { return url }
            url.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static func bundledPlugin(_ product: String) -> String { builtProducts.appendingPathComponent("lib\(product).so").path }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compiles C sources into a shared library with `cc`, against the Vigor header only.
    @discardableResult
    static func compileC(_ source: String, to output: String, defines: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["cc", "-shared", "-fPIC", "-O1", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", header]
            + defines.map { "-D\($0)" } + ["-o", output, source]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CompileError(message: message)
        }
        return output
    }

    struct CompileError: Error { var message: String }

    static var quietLogger: Logger {
        var logger = Logger(label: "vigor.test")
        logger.logLevel = .critical
        return logger
    }

    static func registry() -> PluginRegistry { PluginRegistry(loader: PluginLoader(logger: quietLogger)) }
}
