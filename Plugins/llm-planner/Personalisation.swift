import Foundation
import VigorCoaching
import VigorPluginSDK

/// What the model may change in the skeleton plan.
struct Personalisation: Decodable {
    struct Swap: Decodable {
        var from: String
        var to: String
    }

    var title: String?
    var summary: String?
    var swaps: [Swap]

    enum CodingKeys: String, CodingKey { case title, summary, swaps }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        swaps = try c.decodeIfPresent([Swap].self, forKey: .swaps) ?? []
    }

    /// Reads the first JSON object in a model's answer (models sometimes wrap it in prose or fences).
    static func parse(_ text: String) throws -> Personalisation {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else {
            throw PluginError.unavailable("the model's answer contains no JSON object")
        }
        do {
            return try JSONDecoder().decode(Personalisation.self, from: Data(text[start...end].utf8))
        } catch {
            throw PluginError.unavailable("the model's answer is not the requested JSON: \(error)")
        }
    }

    /// Applies the swaps: each must replace an exercise of the plan with one of ITS listed substitutions.
    func apply(to plan: inout WorkoutPlan, catalog: ExerciseCatalog) throws {
        for swap in swaps {
            var applied = false
            for w in plan.weeks.indices {
                for d in plan.weeks[w].days.indices {
                    guard var session = plan.weeks[w].days[d].session else { continue }
                    for e in session.exercises.indices where session.exercises[e].exerciseID == swap.from {
                        guard session.exercises[e].substitutions.contains(swap.to), let replacement = catalog[swap.to] else {
                            throw PluginError.unavailable("\(swap.to) is not an allowed substitution for \(swap.from)")
                        }
                        var substitutions = session.exercises[e].substitutions.filter { $0 != swap.to }
                        substitutions.append(swap.from)
                        session.exercises[e].exerciseID = replacement.id
                        session.exercises[e].name = replacement.name
                        session.exercises[e].instructions = replacement.instructions
                        session.exercises[e].substitutions = substitutions
                        applied = true
                    }
                    plan.weeks[w].days[d].session = session
                }
            }
            guard applied else { throw PluginError.unavailable("\(swap.from) is not in the plan") }
        }
        if let title, !title.isEmpty, title.count <= 120 { plan.title = title }
        if let summary, !summary.isEmpty, summary.count <= 1_000 { plan.summary = summary }
    }
}

/// The prompt: the skeleton's exercises and their allowed substitutions, and the answer shape.
struct PlannerPrompt {
    let system: String
    let user: String

    init(plan: WorkoutPlan, profile: FitnessProfile, feedback: [String]) {
        system = """
            You are a strength and conditioning coach. You personalise a workout plan that safety rules already \
            shaped. Answer with ONE JSON object and nothing else: \
            {"title": string, "summary": string (2-3 sentences), "swaps": [{"from": exercise_id, "to": exercise_id}]}. \
            Only swap an exercise for one of the substitutions listed for it. Never invent ids. Make no medical claims.
            """
        var lines: [String] = []
        lines.append("Athlete: \(profile.fitnessLevel.rawValue), goals \(profile.goals.map(\.rawValue).joined(separator: ", ")).")
        if let preferences = profile.preferences, !preferences.focusAreas.isEmpty {
            lines.append("Focus areas: \(preferences.focusAreas.joined(separator: ", ")).")
        }
        lines.append("Plan: \(plan.title) — \(plan.split), \(plan.daysPerWeek) days a week.")
        var seen = Set<String>()
        for session in plan.weeks.first?.days.compactMap(\.session) ?? [] {
            lines.append("Session \(session.name):")
            for exercise in session.exercises where seen.insert(exercise.exerciseID).inserted {
                lines.append(
                    "- \(exercise.exerciseID) (\(exercise.name)); substitutions: \(exercise.substitutions.joined(separator: ", "))")
            }
        }
        if !feedback.isEmpty {
            lines.append("Your previous answer was rejected: \(feedback.joined(separator: "; ")). Fix that.")
        }
        user = lines.joined(separator: "\n")
    }
}
