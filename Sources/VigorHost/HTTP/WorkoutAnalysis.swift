import Foundation
import VigorCoaching

/// The host's own analysis of one logged session against its plan: deterministic, offline.
struct WorkoutAnalysis: Encodable, Equatable {
    struct Metrics: Encodable, Equatable {
        var matchedSession: String?
        var plannedExercises: Int
        var completedExercises: Int
        var completionPercent: Int
        var plannedSets: Int
        var completedSets: Int
        var totalReps: Int
        var volumeKg: Double
        var durationMinutes: Int
        var plannedMinutes: Int?
        var rating: Int

        enum CodingKeys: String, CodingKey {
            case rating
            case matchedSession = "matched_session"
            case plannedExercises = "planned_exercises"
            case completedExercises = "completed_exercises"
            case completionPercent = "completion_percent"
            case plannedSets = "planned_sets"
            case completedSets = "completed_sets"
            case totalReps = "total_reps"
            case volumeKg = "volume_kg"
            case durationMinutes = "duration_minutes"
            case plannedMinutes = "planned_minutes"
        }
    }

    var logID: Int64
    var assessment: String
    var strengths: [String]
    var areasToImprove: [String]
    var recommendations: [String]
    var nextSteps: [String]
    var metrics: Metrics
    /// An optional coach narrative (only when asked for and a provider answered).
    var narrative: String?

    enum CodingKeys: String, CodingKey {
        case assessment, strengths, recommendations, metrics, narrative
        case logID = "log_id"
        case areasToImprove = "areas_to_improve"
        case nextSteps = "next_steps"
    }

    /// Compares the log with the plan session it matches best (most shared exercises).
    static func analyze(logID: Int64, log: WorkoutLogBody, plan: WorkoutPlan) -> WorkoutAnalysis {
        let logged = Dictionary(log.exercises.map { ($0.exerciseID, $0) }, uniquingKeysWith: { first, _ in first })
        let sessions = plan.allSessions
        let session = sessions.max { lhs, rhs in
            overlap(lhs, logged) < overlap(rhs, logged)
        }
        let planned = session?.exercises ?? []
        let done = planned.filter { logged[$0.exerciseID] != nil }
        let plannedSets = planned.reduce(0) { $0 + $1.sets }
        let completedSets = planned.reduce(0) { $0 + min($1.sets, logged[$1.exerciseID]?.sets ?? 0) }
        let totalReps = log.exercises.reduce(0) { $0 + $1.sets * $1.reps }
        let volume = log.exercises.reduce(0.0) { $0 + Double($1.sets * $1.reps) * ($1.loadKg ?? 0) }
        let completion = plannedSets == 0 ? (log.exercises.isEmpty ? 0 : 100) : completedSets * 100 / plannedSets
        let metrics = Metrics(
            matchedSession: session?.name, plannedExercises: planned.count, completedExercises: done.count,
            completionPercent: completion, plannedSets: plannedSets, completedSets: completedSets, totalReps: totalReps,
            volumeKg: (volume * 10).rounded() / 10, durationMinutes: log.durationMinutes,
            plannedMinutes: session?.estimatedMinutes, rating: log.rating)

        var strengths: [String] = []
        var improve: [String] = []
        var recommendations: [String] = []
        var next: [String] = []
        if completion >= 90 {
            strengths.append("You completed \(completion)% of the planned sets.")
        } else if completion >= 60 {
            improve.append("You completed \(completion)% of the planned sets; aim for every planned set.")
        } else {
            improve.append("Only \(completion)% of the planned sets were done.")
            recommendations.append("If the session felt too long or hard, drop one set per exercise rather than whole exercises.")
        }
        let skipped = planned.filter { logged[$0.exerciseID] == nil }.map(\.name)
        if !skipped.isEmpty {
            improve.append("Skipped: \(skipped.prefix(5).joined(separator: ", ")).")
        }
        if let minutes = session?.estimatedMinutes, minutes > 0 {
            if log.durationMinutes > minutes * 13 / 10 {
                improve.append("The session took \(log.durationMinutes) min against \(minutes) planned.")
                recommendations.append("Keep rests to the planned times to finish within the session length.")
            } else {
                strengths.append("You kept to the planned session length.")
            }
        }
        switch log.rating {
        case 4...5:
            strengths.append("You rated the session \(log.rating)/5.")
            if completion >= 90 {
                recommendations.append("Progress as the plan says: \(plan.progression.description)")
            }
        case 3:
            next.append("Note which exercise felt hardest and keep its load for another session.")
        default:
            improve.append("You rated the session \(log.rating)/5.")
            recommendations.append("Hold or reduce loads next time, and check sleep and recovery.")
        }
        if volume > 0 { strengths.append("Total volume: \(Int(volume.rounded())) kg.") }
        next.append("Log your next session so progress can be tracked.")
        if plan.deloadWeeks.isEmpty == false {
            next.append("Deload weeks in this plan: \(plan.deloadWeeks.map(String.init).joined(separator: ", ")).")
        }
        let assessment =
            completion >= 90 && log.rating >= 3
            ? "Solid session: the plan was followed and it felt manageable."
            : completion >= 60
                ? "A reasonable session with room to follow the plan more closely."
                : "A partial session: most of the planned work was not done."
        return WorkoutAnalysis(
            logID: logID, assessment: assessment, strengths: strengths, areasToImprove: improve,
            recommendations: recommendations, nextSteps: next, metrics: metrics, narrative: nil)
    }

    private static func overlap(_ session: Session, _ logged: [String: LoggedExercise]) -> Int {
        session.exercises.filter { logged[$0.exerciseID] != nil }.count
    }
}
