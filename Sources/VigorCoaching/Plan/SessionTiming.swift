/// The one formula for how long a session takes, shared by planners and the validator:
/// warm-up + Σ sets × (work + rest) + cool-down.
///
/// Work per set is `duration_seconds` for a timed exercise, otherwise
/// `reps.max × 3` seconds. Rest is counted after every set, the last included,
/// which leaves room for moving between exercises.
public enum SessionTiming {
    /// Seconds one rep takes, on average.
    public static let secondsPerRep = 3

    /// Seconds of work in one set: the duration if given, else the top of the rep range × 3.
    public static func workSeconds(reps: RepRange?, durationSeconds: Int?) -> Int {
        if let durationSeconds { return durationSeconds }
        return (reps?.max ?? 0) * secondsPerRep
    }

    /// Seconds for all sets of one exercise, rests included.
    public static func seconds(sets: Int, reps: RepRange?, durationSeconds: Int?, restSeconds: Int) -> Int {
        sets * (workSeconds(reps: reps, durationSeconds: durationSeconds) + restSeconds)
    }

    /// Seconds for all sets of one planned exercise, rests included.
    public static func seconds(_ exercise: PlannedExercise) -> Int {
        seconds(
            sets: exercise.sets, reps: exercise.reps, durationSeconds: exercise.durationSeconds,
            restSeconds: exercise.restSeconds)
    }

    /// Seconds for a whole session.
    public static func seconds(
        warmup: [Activity], exercises: [PlannedExercise], cooldown: [Activity]
    ) -> Int {
        let activities = (warmup + cooldown).reduce(0) { $0 + $1.minutes * 60 }
        return exercises.reduce(activities) { $0 + seconds($1) }
    }

    /// Seconds expressed as whole minutes, rounded up.
    public static func minutes(seconds: Int) -> Int {
        (seconds + 59) / 60
    }
}
