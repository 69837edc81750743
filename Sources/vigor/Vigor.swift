import ArgumentParser

@main
struct Vigor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigor",
        abstract: "Vigor: an AI fitness-coaching host with dlopen plugins.",
        subcommands: [
            ServeCommand.self, PluginCommand.self, PlanCommand.self, UserCommand.self, MigrateCommand.self, PluginRunnerCommand.self,
            PluginProbeCommand.self,
        ]
    )
}
