// swift-tools-version:6.1
import PackageDescription

/// The bench's baseline gateway: the stack's own ceiling, built from the parts Vigor is built
/// from (Hummingbird receiving, AsyncHTTPClient forwarding, one SQLite row per request through
/// GRDB), with no auth, no quota ledger and no plugins. The dependency requirements are the
/// root Package.swift's; `make bench` copies the root Package.resolved here before building, so
/// both resolve to the same versions. Built by bench/run.sh with its own scratch path
/// (`.build-baseline`), never by `make test`.
let package = Package(
    name: "vigor-bench-baseline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigor-baseline", targets: ["VigorBaseline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "VigorBaseline",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        )
    ]
)
