import ArgumentParser
import Foundation
import Logging
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Generate a workout plan offline and print it as JSON.")

    @Option(help: "Fitness profile JSON file.")
    var profile: String

    @Option(help: "Plugin folder (default: $VIGOR_PLUGIN_DIR, ./plugins, or the executable's folder).")
    var plugins: String?

    @Option(help: "Generator plugin id.")
    var generator = "dev.vigor.planner"

    @Option(help: "Days per week (overrides the profile).")
    var days: Int?

    @Option(help: "Weeks (1–16).")
    var weeks: Int?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: profile) else {
            throw ValidationError("cannot read profile file \(profile)")
        }
        let fitness: FitnessProfile
        do {
            fitness = try JSONDecoder().decode(FitnessProfile.self, from: data)
        } catch let error as DecodingError {
            throw ValidationError("invalid profile: \(WireJSON.describe(error))")
        }
        let problems = fitness.validate()
        guard problems.isEmpty else {
            throw ValidationError("invalid profile: " + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        }
        var logger = Logger(label: "vigor.plan")
        logger.logLevel = .error
        let registry = PluginRegistry(loader: PluginLoader(logger: logger))
        registry.scan(directory: PluginDirectory.resolve(plugins))
        guard let component = registry.component(id: generator) else {
            throw ValidationError("generator \(generator) is not loaded (see `vigor plugin list`)")
        }
        let request = PlanRequest(daysPerWeek: days, sessionMinutes: nil, weeks: weeks, focusAreas: nil)
        let output = try component.invoke(
            "generator.generate", GenerateInput(profile: fitness, request: request), as: GenerateOutput<WorkoutPlan>.self)
        let violations = PlanValidator.validate(output.plan, profile: fitness, catalog: .standard)
        guard violations.isEmpty else {
            throw ValidationError("generated plan is invalid: " + violations.map(\.message).joined(separator: "; "))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output.plan), as: UTF8.self))
    }
}
