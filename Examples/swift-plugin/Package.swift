// swift-tools-version:6.1
// An out-of-tree Vigor plugin: its own package, depending on the Vigor SDK by path.
// Build: swift build --package-path Examples/swift-plugin   (from the Vigor checkout)
// The plugin is .build/debug/libStretchCoach.so; check it with `vigor plugin check`.
import PackageDescription

let package = Package(
    name: "StretchCoach",
    platforms: [.macOS(.v15)],
    products: [
        // A plugin is a dynamic library exporting `vigor_plugin_entry`.
        .library(name: "StretchCoach", type: .dynamic, targets: ["StretchCoach"])
    ],
    dependencies: [
        // The Vigor checkout: VigorPluginSDK to write the plugin, VigorPluginTesting to test it.
        .package(name: "vigor", path: "../..")
    ],
    targets: [
        .target(
            name: "StretchCoach",
            dependencies: [.product(name: "VigorPluginSDK", package: "vigor")]
        ),
        .testTarget(
            name: "StretchCoachTests",
            dependencies: ["StretchCoach", .product(name: "VigorPluginTesting", package: "vigor")]
        ),
    ]
)
