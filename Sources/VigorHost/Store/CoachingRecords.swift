import Foundation

/// A stored workout plan; the plan itself is kept as JSON text (the `WorkoutPlan` shape).
public struct PlanRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    /// Who produced the plan: a generator id, or `client` for a plan the user uploaded.
    public var source: String
    public var planJSON: String
    public var createdAt: Date

    public init(id: Int64, userID: Int64, source: String, planJSON: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.source = source
        self.planJSON = planJSON
        self.createdAt = createdAt
    }
}

/// A stored workout log: one session done against one of the owner's plans.
public struct WorkoutLogRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var planID: Int64
    /// Calendar day the session was done, `YYYY-MM-DD`.
    public var performedOn: String
    public var durationMinutes: Int
    /// The exercises done, as JSON text (an array of `{exercise_id, sets, reps, load_kg?}`).
    public var exercisesJSON: String
    public var notes: String
    /// 1–5.
    public var rating: Int
    public var createdAt: Date

    public init(
        id: Int64, userID: Int64, planID: Int64, performedOn: String, durationMinutes: Int, exercisesJSON: String,
        notes: String, rating: Int, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.planID = planID
        self.performedOn = performedOn
        self.durationMinutes = durationMinutes
        self.exercisesJSON = exercisesJSON
        self.notes = notes
        self.rating = rating
        self.createdAt = createdAt
    }
}

/// A workout log to store (the store assigns id and time).
public struct NewWorkoutLog: Sendable, Hashable {
    public var planID: Int64
    public var performedOn: String
    public var durationMinutes: Int
    public var exercisesJSON: String
    public var notes: String
    public var rating: Int

    public init(
        planID: Int64, performedOn: String, durationMinutes: Int, exercisesJSON: String, notes: String, rating: Int
    ) {
        self.planID = planID
        self.performedOn = performedOn
        self.durationMinutes = durationMinutes
        self.exercisesJSON = exercisesJSON
        self.notes = notes
        self.rating = rating
    }
}

/// A body measurement entry.
public struct ProgressRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    /// `YYYY-MM-DD`.
    public var recordedOn: String
    public var weightKg: Double?
    public var bodyFatPercent: Double?
    /// Named measurements in centimetres (`waist`, `chest`, ...).
    public var measurementsCm: [String: Double]
    public var notes: String
    public var createdAt: Date

    public init(
        id: Int64, userID: Int64, recordedOn: String, weightKg: Double?, bodyFatPercent: Double?,
        measurementsCm: [String: Double], notes: String, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.recordedOn = recordedOn
        self.weightKg = weightKg
        self.bodyFatPercent = bodyFatPercent
        self.measurementsCm = measurementsCm
        self.notes = notes
        self.createdAt = createdAt
    }
}

/// A progress entry to store.
public struct NewProgress: Sendable, Hashable {
    public var recordedOn: String
    public var weightKg: Double?
    public var bodyFatPercent: Double?
    public var measurementsCm: [String: Double]
    public var notes: String

    public init(
        recordedOn: String, weightKg: Double?, bodyFatPercent: Double?, measurementsCm: [String: Double], notes: String
    ) {
        self.recordedOn = recordedOn
        self.weightKg = weightKg
        self.bodyFatPercent = bodyFatPercent
        self.measurementsCm = measurementsCm
        self.notes = notes
    }
}
