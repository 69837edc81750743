import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// What a plugin folder's file is, and whether anyone but the host's operator could have
/// written it, checked before any of its code runs.
///
/// A plugin runs with the host's rights, so its file and the folder it sits in must be
/// writable only by their owner, and owned by root or the host's user. A symlink is followed
/// and judged by its target (the target's file and folder must pass); the reason names it.
public enum PluginFileCheck {
    /// Checks `path`; returns the problems that `allowInsecure` lets through (to be logged),
    /// or throws the first one when it does not. A file that is not a regular file is
    /// always refused.
    static func check(path: String, allowInsecure: Bool) throws(PluginRejection) -> [String] {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            throw PluginRejection(.notSharedLibrary, "cannot read file: \(String(cString: strerror(errno)))")
        }
        var target = path
        var prefix = ""
        if (link.st_mode & S_IFMT) == S_IFLNK {
            let named = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            guard let resolved = realpath(path, nil) else {
                throw PluginRejection(.notSharedLibrary, "is a symlink to \(named), which does not exist")
            }
            target = String(cString: resolved)
            free(resolved)
            prefix = "symlink to \(target): "
        }
        var info = stat()
        guard stat(target, &info) == 0 else {
            throw PluginRejection(.notSharedLibrary, "\(prefix)cannot read file: \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw PluginRejection(.notSharedLibrary, "\(prefix)is a directory, not a shared library")
        default: throw PluginRejection(.notSharedLibrary, "\(prefix)is not a regular file (a device, socket or pipe), not a shared library")
        }
        var problems = problems(file: info)
        let folders = [(path as NSString).deletingLastPathComponent, (target as NSString).deletingLastPathComponent]
        for folder in Set(folders.map { $0.isEmpty ? "." : $0 }).sorted() {
            var folderInfo = stat()
            guard stat(folder, &folderInfo) == 0 else { continue }
            problems += Self.problems(folder: folder, folderInfo)
        }
        problems = problems.map { prefix + $0 }
        if let first = problems.first, !allowInsecure {
            throw PluginRejection(.insecurePermissions, "\(first) (VIGOR_PLUGIN_ALLOW_INSECURE=1 loads it anyway, for development)")
        }
        return problems
    }

    static func problems(file info: stat) -> [String] {
        var out: [String] = []
        if let owner = foreignOwner(info) {
            out.append("plugin file is owned by uid \(owner), not by root or the host's user (uid \(geteuid()))")
        }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 { out.append("plugin file is writable by other users (mode \(mode(info)))") }
        return out
    }

    static func problems(folder: String, _ info: stat) -> [String] {
        var out: [String] = []
        if let owner = foreignOwner(info) {
            out.append("plugin folder \(folder) is owned by uid \(owner), not by root or the host's user (uid \(geteuid()))")
        }
        if info.st_mode & S_IWOTH != 0 {
            out.append("plugin folder \(folder) is world-writable (mode \(mode(info)))")
        } else if info.st_mode & S_IWGRP != 0 {
            out.append("plugin folder \(folder) is group-writable (mode \(mode(info)))")
        }
        return out
    }

    static func foreignOwner(_ info: stat) -> uid_t? {
        info.st_uid == 0 || info.st_uid == geteuid() ? nil : info.st_uid
    }

    static func mode(_ info: stat) -> String { String(format: "%04o", info.st_mode & 0o7777) }

    /// `VIGOR_PLUGIN_ALLOW_INSECURE` is `1`, `true` or `yes`.
    public static func allowInsecure(environment: [String: String]) -> Bool {
        ["1", "true", "yes"].contains((environment["VIGOR_PLUGIN_ALLOW_INSECURE"] ?? "").lowercased())
    }
}
