/// Sets, reps or time, rest and effort for one exercise, from the goal and the level.
///
/// Numbers follow the ACSM progression guidance: strength 3–6 reps with 120–180 s rest;
/// muscle gain 8–12 reps with 60–90 s; endurance and weight loss 12–20 reps with 30–60 s;
/// beginners 1–3 sets at RPE 7 or below.
struct Prescription: Equatable {
    var sets: Int
    var reps: RepRange?
    var durationSeconds: Int?
    var restSeconds: Int
    var rpe: Double

    /// The prescription for `exercise` under `settings`.
    static func make(for exercise: Exercise, settings: PlanSettings) -> Prescription {
        let level = settings.level
        var result: Prescription
        switch exercise.pattern {
        case .cardio:
            result = Prescription(
                sets: pick(level, 3, 4, 5), reps: nil, durationSeconds: pick(level, 30, 40, 45),
                restSeconds: pick(level, 30, 20, 20), rpe: 7)
        case .mobility:
            result = Prescription(sets: 2, reps: nil, durationSeconds: 30, restSeconds: 15, rpe: 3)
        default:
            result = resistance(goal: settings.goal, level: level, mechanic: exercise.mechanic)
            if exercise.measure == .time {
                let carry = exercise.pattern == .carry ? 10 : 0
                result.reps = nil
                result.durationSeconds = pick(level, 20, 30, 40) + carry
                result.restSeconds = min(max(result.restSeconds, 30), 60)
            }
        }
        result.rpe = min(result.rpe, settings.rpeCap)
        return result
    }

    /// The lighter version for a deload week: half the sets (rounded up), one RPE lower.
    func deloaded() -> Prescription {
        var copy = self
        copy.sets = (sets + 1) / 2
        copy.rpe = rpe > 5 ? rpe - 1 : rpe
        return copy
    }

    private static func resistance(goal: Goal, level: FitnessLevel, mechanic: Mechanic) -> Prescription {
        let compound = mechanic == .compound
        switch goal {
        case .strength:
            return Prescription(
                sets: compound ? pick(level, 3, 4, 5) : pick(level, 2, 3, 3),
                reps: compound
                    ? (level == .beginner ? RepRange(min: 5, max: 8) : RepRange(min: 3, max: 6))
                    : RepRange(min: 6, max: 10),
                durationSeconds: nil,
                restSeconds: compound ? pick(level, 150, 150, 180) : 120,
                rpe: pick(level, 7, 8, 8))
        case .muscleGain:
            return Prescription(
                sets: compound ? pick(level, 3, 3, 4) : pick(level, 2, 3, 3),
                reps: RepRange(min: 8, max: 12), durationSeconds: nil,
                restSeconds: compound ? 90 : 60, rpe: pick(level, 7, 8, 8))
        case .endurance, .weightLoss:
            let shortRest = goal == .weightLoss
            return Prescription(
                sets: pick(level, 2, 3, 3),
                reps: level == .beginner ? RepRange(min: 12, max: 15) : RepRange(min: 12, max: 20),
                durationSeconds: nil,
                restSeconds: compound ? (shortRest ? 45 : 60) : (shortRest ? 30 : 45), rpe: 7)
        case .generalFitness:
            return Prescription(
                sets: pick(level, 2, 3, 3),
                reps: compound ? RepRange(min: 8, max: 12) : RepRange(min: 10, max: 15),
                durationSeconds: nil, restSeconds: compound ? 75 : 60, rpe: 7)
        case .flexibility:
            return Prescription(
                sets: 2, reps: RepRange(min: 10, max: 15), durationSeconds: nil,
                restSeconds: compound ? 60 : 45, rpe: pick(level, 6, 7, 7))
        }
    }

    /// The value for the level: beginner, intermediate or advanced.
    private static func pick<T>(_ level: FitnessLevel, _ beginner: T, _ intermediate: T, _ advanced: T) -> T {
        switch level {
        case .beginner: beginner
        case .intermediate: intermediate
        case .advanced: advanced
        }
    }
}
