import VigorPluginSDK

/// The one symbol a Vigor plugin exports. The SDK handles the C side: negotiation, the
/// descriptor, JSON, errors, buffer ownership.
@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { host in
        host.log(.info, "stretch coach ready")
        return [StretchCoach()]
    }
}
