// swift-tools-version:6.1
import PackageDescription

/// Swift settings shared by every Swift target: Swift 6 language mode, strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// A provider or generator plugin: a `.dynamic` library product built from `Plugins/<folder>`.
/// `dependencies` are the modules the plugin imports (every plugin needs the SDK; only the
/// plan generators and the offline coach use the coaching domain).
func plugin(_ name: String, folder: String, dependencies: [Target.Dependency] = ["VigorPluginSDK"]) -> (Product, Target) {
    (
        .library(name: name, type: .dynamic, targets: [name]),
        .target(
            name: name,
            dependencies: dependencies,
            path: "Plugins/\(folder)",
            swiftSettings: swiftSettings
        )
    )
}

let plugins = [
    plugin("VigorFallback", folder: "fallback", dependencies: ["VigorPluginSDK", "VigorCoaching"]),
    plugin("VigorPlanner", folder: "planner", dependencies: ["VigorPluginSDK", "VigorCoaching"]),
    plugin("VigorOpenAI", folder: "openai", dependencies: ["VigorPluginSDK"]),
    plugin("VigorGemini", folder: "gemini", dependencies: ["VigorPluginSDK"]),
    plugin("VigorPerplexity", folder: "perplexity", dependencies: ["VigorPluginSDK"]),
    plugin("VigorAnthropic", folder: "anthropic", dependencies: ["VigorPluginSDK"]),
    plugin("VigorLLMPlanner", folder: "llm-planner", dependencies: ["VigorPluginSDK", "VigorCoaching"]),
]

let package = Package(
    name: "vigor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigor", targets: ["vigor"]),
        .library(name: "VigorPluginAPI", targets: ["VigorPluginAPI"]),
        .library(name: "VigorPluginSDK", targets: ["VigorPluginSDK"]),
        .library(name: "VigorPluginTesting", targets: ["VigorPluginTesting"]),
        .library(name: "VigorHost", targets: ["VigorHost"]),
    ] + plugins.map(\.0),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The stable C ABI: header only (see docs/plugin-abi.md).
        .target(name: "VigorPluginAPI"),
        // Swift layer for plugin authors: wire types, protocols, the C thunks.
        .target(
            name: "VigorPluginSDK",
            dependencies: ["VigorPluginAPI"],
            swiftSettings: swiftSettings
        ),
        // The coaching domain: profile, plan, exercise catalogue, plan validator.
        .target(name: "VigorCoaching", swiftSettings: swiftSettings),
        // The plugin loader: dlopen, compatibility checks, descriptors, calls, host services.
        .target(
            name: "VigorPluginLoader",
            dependencies: [
                "VigorPluginAPI", "VigorPluginSDK",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Mock host and conformance checks for plugin developers.
        .target(
            name: "VigorPluginTesting",
            dependencies: [
                "VigorPluginAPI", "VigorPluginSDK", "VigorPluginLoader",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The host as a library.
        .target(
            name: "VigorHost",
            dependencies: [
                "VigorPluginSDK", "VigorCoaching", "VigorPluginLoader",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            // The web client, served at `/` (see Sources/VigorHost/Web/WebAssets.swift).
            resources: [.copy("Web/static")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "vigor",
            dependencies: [
                "VigorHost", "VigorPluginTesting", "VigorPluginLoader", "VigorPluginSDK", "VigorCoaching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VigorCoachingTests",
            dependencies: ["VigorCoaching"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VigorPluginTests",
            dependencies: [
                "VigorPluginAPI", "VigorPluginSDK", "VigorPluginLoader", "VigorPluginTesting", "VigorCoaching",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VigorHostTests",
            dependencies: [
                "VigorHost", "VigorCoaching", "VigorPluginSDK", "VigorPluginLoader", "VigorPluginAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ] + plugins.map(\.1)
)
