import Foundation

/// Where plugins are looked for: `--plugins`, else `VIGOR_PLUGIN_DIR`, else `./plugins`,
/// else the folder of the `vigor` executable (where `swift build` puts the bundled plugins).
enum PluginDirectory {
    static func resolve(_ flag: String?) -> String {
        if let flag { return flag }
        if let env = ProcessInfo.processInfo.environment["VIGOR_PLUGIN_DIR"], !env.isEmpty { return env }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: "plugins", isDirectory: &isDir), isDir.boolValue { return "plugins" }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}
