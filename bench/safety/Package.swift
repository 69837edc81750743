// swift-tools-version:6.1
// A release-build timing harness for the coaching safety screen (bench/RESULTS.md, "The safety
// screen on the hot path"). Sources/VigorCoaching is a symlink to the app's module, so the
// harness times exactly the code the host runs, without building the server's dependencies.
//
//   swift run -c release --package-path bench/safety --scratch-path .build-safety SafetyBench
import PackageDescription

let package = Package(
    name: "safety-bench",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "VigorCoaching", path: "Sources/VigorCoaching"),
        .executableTarget(
            name: "SafetyBench", dependencies: ["VigorCoaching"], path: "Sources/SafetyBench", linkerSettings: [.linkedLibrary("m")]),
    ]
)
