import VigorPluginAPI

/// In-process access to the SDK's entry table, for test hosts (`VigorPluginTesting.MockPluginHost`).
///
/// A real host reaches a plugin through `dlopen` and the exported `vigor_plugin_entry`, whose
/// factory is recorded once, globally, by ``PluginExport/table(_:)``. A unit test wants to
/// drive *its own* components through the very same C thunks, in the same process, possibly
/// several different sets of them in one test run. This hook makes that possible without
/// touching the global factory.
extension PluginExport {
    /// The SDK's static entry table (the pointer ``table(_:)`` returns), without recording a factory.
    public static var entryTablePointer: UnsafePointer<vigor_plugin_table> { UnsafePointer(entryTable.pointer) }

    /// Runs `body` with the SDK's entry table; every `on_init` made through that table on the
    /// current thread (or task) while `body` runs builds its components with `factory` instead
    /// of the factory recorded by ``table(_:)``. Other operations are unaffected: they act on
    /// the instance `on_init` returned, which keeps the components it was built with.
    ///
    /// Only `on_init` consults the override, so call it inside `body`; keep using the instance
    /// afterwards as usual.
    public static func withFactory<R>(
        _ factory: @escaping Factory, _ body: (UnsafePointer<vigor_plugin_table>) throws -> R
    ) rethrows -> R {
        try $factoryOverride.withValue(factory) { try body(entryTablePointer) }
    }

    /// The factory bound by ``withFactory(_:_:)`` for the current thread or task, if any.
    @TaskLocal static var factoryOverride: Factory?
}
