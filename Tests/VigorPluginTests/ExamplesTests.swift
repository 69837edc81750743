import Foundation
import Testing
import VigorPluginTesting

/// The out-of-tree examples and the `vigor plugin new` scaffold, built the way their users
/// build them (their own Makefile or package), then checked with the conformance suite.
///
/// The Swift package builds are opt-in, `VIGOR_EXAMPLE_BUILDS=1`: `make test` runs them in a
/// second, serial pass after the main suite, so their compiles (about a minute each on two
/// cores the first time, seconds afterwards) never compete with timing-sensitive tests. The
/// packages keep their own `.build` folders (`Examples/swift-plugin/.build`, and
/// `.build-scaffold/` for the scaffold), so later runs are warm.
@Suite("Out-of-tree examples", .serialized)
struct ExamplesTests {
    static let skipSwiftBuilds = ProcessInfo.processInfo.environment["VIGOR_EXAMPLE_BUILDS"] != "1"

    @Test("the C example builds with its own Makefile and passes the checker")
    func cExample() throws {
        let dir = try TestSupport.temporaryDirectory()
        let copy = dir.appendingPathComponent("c-plugin")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("Examples/c-plugin"), to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent("libc_coach.so"))
        let make = try Shell.run("/usr/bin/env", ["make", "-C", copy.path, "VIGOR_INCLUDE=\(TestSupport.header)"])
        #expect(make.status == 0, "\(make.output)")
        let report = ConformanceSuite(threads: 4, callsPerThread: 10).run(path: copy.appendingPathComponent("libc_coach.so").path)
        #expect(report.passed, "\(report.text)")
    }

    @Test(
        "the Swift example builds as its own package, passes the checker and its own mock-host tests",
        .disabled(if: skipSwiftBuilds, "set VIGOR_EXAMPLE_BUILDS=1 (make test does)"))
    func swiftExample() throws {
        let package = TestSupport.packageRoot.appendingPathComponent("Examples/swift-plugin")
        // One build with the tests, so `swift test` below does not rebuild for -enable-testing.
        let build = try Shell.run("/usr/bin/env", ["swift", "build", "--build-tests", "--package-path", package.path])
        try #require(build.status == 0, "\(build.output)")
        let library = package.appendingPathComponent(".build/debug/libStretchCoach.so").path
        let report = ConformanceSuite(threads: 4, callsPerThread: 10).run(path: library)
        #expect(report.passed, "\(report.text)")
        #expect(report.checks.contains { $0.name.hasPrefix("dev.example.stretch-coach:") })
        let test = try Shell.run("/usr/bin/env", ["swift", "test", "--skip-build", "--package-path", package.path])
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("4 tests"), "\(test.output)")
    }

    @Test(
        "`vigor plugin new` scaffolds a package that builds, passes `vigor plugin check` and its tests",
        .disabled(if: skipSwiftBuilds, "set VIGOR_EXAMPLE_BUILDS=1 (make test does)"))
    func scaffold() throws {
        let vigor = TestSupport.builtProducts.appendingPathComponent("vigor").path
        let folder = TestSupport.packageRoot.appendingPathComponent(".build-scaffold/sample-coach")
        let new = try Shell.run(vigor, ["plugin", "new", "sample-coach", "--output", folder.path, "--force"])
        try #require(new.status == 0, "\(new.output)")
        #expect(new.output.contains("dev.example.sample-coach"))
        let manifest = try String(contentsOf: folder.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains("path: \"\(TestSupport.packageRoot.standardizedFileURL.path)\""), "\(manifest)")

        let build = try Shell.run("/usr/bin/env", ["swift", "build", "--build-tests", "--package-path", folder.path])
        try #require(build.status == 0, "\(build.output)")
        let check = try Shell.run(vigor, ["plugin", "check", folder.appendingPathComponent(".build/debug/libSampleCoach.so").path])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains(" 0 failed"), "\(check.output)")
        let test = try Shell.run("/usr/bin/env", ["swift", "test", "--skip-build", "--package-path", folder.path])
        #expect(test.status == 0, "\(test.output)")
    }

    @Test("`vigor plugin new` refuses a bad name and an existing folder")
    func scaffoldRefuses() throws {
        let vigor = TestSupport.builtProducts.appendingPathComponent("vigor").path
        let bad = try Shell.run(vigor, ["plugin", "new", "9lives"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("starting with a letter"), "\(bad.output)")
        let dir = try TestSupport.temporaryDirectory()
        let taken = try Shell.run(vigor, ["plugin", "new", "x", "--output", dir.path])
        #expect(taken.status != 0)
        #expect(taken.output.contains("already exists"), "\(taken.output)")
    }
}

/// Runs a command to completion, capturing standard output and error together.
enum Shell {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
