import Foundation
import Hummingbird
import VigorCoaching

/// One exercise as done in a logged session.
struct LoggedExercise: Codable, Sendable, Hashable {
    var exerciseID: String
    var sets: Int
    /// Reps per set (seconds for timed exercises).
    var reps: Int
    var loadKg: Double?

    enum CodingKeys: String, CodingKey {
        case sets, reps
        case exerciseID = "exercise_id"
        case loadKg = "load_kg"
    }
}

/// `POST /api/v1/workouts/logs` body.
struct WorkoutLogInput: Decodable {
    var planID: Int64
    var date: String?
    var durationMinutes: Int
    var exercises: [LoggedExercise]
    var notes: String?
    var rating: Int

    enum CodingKeys: String, CodingKey {
        case date, exercises, notes, rating
        case planID = "plan_id"
        case durationMinutes = "duration_minutes"
    }

    /// Every problem, each naming its field.
    func validate(catalog: ExerciseCatalog) -> [FieldError] {
        var errors: [FieldError] = []
        if planID <= 0 { errors.append(FieldError(field: "plan_id", message: "must be a plan id")) }
        if let date, UsagePeriod.parseDay(date) == nil {
            errors.append(FieldError(field: "date", message: "must be a day as YYYY-MM-DD"))
        }
        if !(1...600).contains(durationMinutes) {
            errors.append(FieldError(field: "duration_minutes", message: "must be between 1 and 600"))
        }
        if !(1...5).contains(rating) { errors.append(FieldError(field: "rating", message: "must be between 1 and 5")) }
        if exercises.count > 50 { errors.append(FieldError(field: "exercises", message: "at most 50 exercises")) }
        for (index, exercise) in exercises.prefix(50).enumerated() {
            let path = "exercises[\(index)]"
            if !catalog.contains(id: exercise.exerciseID) {
                errors.append(FieldError(field: "\(path).exercise_id", message: "unknown exercise id"))
            }
            if !(1...20).contains(exercise.sets) {
                errors.append(FieldError(field: "\(path).sets", message: "must be between 1 and 20"))
            }
            if !(0...300).contains(exercise.reps) {
                errors.append(FieldError(field: "\(path).reps", message: "must be between 0 and 300"))
            }
            if let load = exercise.loadKg, !(0...1000).contains(load) {
                errors.append(FieldError(field: "\(path).load_kg", message: "must be between 0 and 1000"))
            }
        }
        if let notes, notes.unicodeScalars.count > 2000 || notes.utf8.count > 8000 {
            errors.append(FieldError(field: "notes", message: "at most 2000 characters"))
        }
        return errors
    }
}

/// A stored workout log.
struct WorkoutLogBody: Encodable {
    var id: Int64
    var planID: Int64
    var date: String
    var durationMinutes: Int
    var exercises: [LoggedExercise]
    var notes: String
    var rating: Int
    var createdAt: Date

    init(_ record: WorkoutLogRecord) {
        id = record.id
        planID = record.planID
        date = record.performedOn
        durationMinutes = record.durationMinutes
        exercises = (try? JSONDecoder().decode([LoggedExercise].self, from: Data(record.exercisesJSON.utf8))) ?? []
        notes = record.notes
        rating = record.rating
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, date, exercises, notes, rating
        case planID = "plan_id"
        case durationMinutes = "duration_minutes"
        case createdAt = "created_at"
    }
}

/// A plan in lists: its headline fields, not every session.
struct PlanSummary: Encodable {
    var id: Int64
    var title: String
    var summary: String
    var level: FitnessLevel
    var goals: [Goal]
    var split: String
    var daysPerWeek: Int
    var sessionMinutes: Int
    var weeks: Int
    var generator: String
    var createdAt: Date

    init?(_ record: PlanRecord) {
        guard let plan = try? JSONDecoder().decode(WorkoutPlan.self, from: Data(record.planJSON.utf8)) else { return nil }
        id = record.id
        title = plan.title
        summary = plan.summary
        level = plan.level
        goals = plan.goals
        split = plan.split
        daysPerWeek = plan.daysPerWeek
        sessionMinutes = plan.sessionMinutes
        weeks = plan.weeks.count
        generator = plan.generator
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, summary, level, goals, split, weeks, generator
        case daysPerWeek = "days_per_week"
        case sessionMinutes = "session_minutes"
        case createdAt = "created_at"
    }
}

/// A stored plan in full: `{id, source, created_at, ...plan}`.
enum PlanBody {
    static func response(_ record: PlanRecord, status: HTTPResponse.Status = .ok) throws -> Response {
        guard var object = try JSONSerialization.jsonObject(with: Data(record.planJSON.utf8)) as? [String: Any] else {
            throw APIError.internalError
        }
        object["id"] = record.id
        object["source"] = record.source
        object["created_at"] = ISO8601DateFormatter().string(from: record.createdAt)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
