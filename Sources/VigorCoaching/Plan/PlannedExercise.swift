/// One exercise as prescribed in a session.
public struct PlannedExercise: Codable, Sendable, Equatable, Hashable {
    /// Catalogue id.
    public var exerciseID: String
    /// Display name.
    public var name: String
    /// Working sets.
    public var sets: Int
    /// Reps per set, for rep-based exercises.
    public var reps: RepRange?
    /// Seconds per set, for timed exercises (holds, carries, intervals).
    public var durationSeconds: Int?
    /// How hard each set should be.
    public var load: Load
    /// Rest after each set, in seconds.
    public var restSeconds: Int
    /// How to do it.
    public var instructions: String
    /// Catalogue ids that may replace it.
    public var substitutions: [String]

    /// Creates a planned exercise.
    public init(
        exerciseID: String, name: String, sets: Int, reps: RepRange?, durationSeconds: Int?,
        load: Load, restSeconds: Int, instructions: String, substitutions: [String]
    ) {
        self.exerciseID = exerciseID
        self.name = name
        self.sets = sets
        self.reps = reps
        self.durationSeconds = durationSeconds
        self.load = load
        self.restSeconds = restSeconds
        self.instructions = instructions
        self.substitutions = substitutions
    }

    enum CodingKeys: String, CodingKey {
        case exerciseID = "exercise_id"
        case name, sets, reps
        case durationSeconds = "duration_seconds"
        case load
        case restSeconds = "rest_seconds"
        case instructions, substitutions
    }
}

/// A rep target: do at least `min` and at most `max` reps.
public struct RepRange: Codable, Sendable, Equatable, Hashable {
    /// Fewest reps.
    public var min: Int
    /// Most reps; reaching it on every set is the cue to add load.
    public var max: Int

    /// Creates a rep range.
    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }
}

/// A load target: an effort (RPE), a weight, or body weight.
public struct Load: Codable, Sendable, Equatable, Hashable {
    /// The kind of target.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Rate of perceived exertion, 1–10 (10 = failure).
        case rpe
        /// A weight in kilograms.
        case kg
        /// The person's own body weight.
        case bodyweight
    }

    /// The kind of target.
    public var type: Kind
    /// The RPE or the kilograms; `nil` for body weight.
    public var value: Double?

    /// Creates a load target.
    public init(type: Kind, value: Double?) {
        self.type = type
        self.value = value
    }

    /// An RPE target.
    public static func rpe(_ value: Double) -> Load { Load(type: .rpe, value: value) }
}
