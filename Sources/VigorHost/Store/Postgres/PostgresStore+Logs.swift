import Foundation
import PostgresNIO

/// Workout logs and progress entries on PostgreSQL, scoped to their owner as in ``SQLiteStore``.
extension PostgresStore {
    static func logRecord(_ row: PostgresRandomAccessRow) throws -> WorkoutLogRecord {
        WorkoutLogRecord(
            id: try row.get("id"), userID: try row.get("user_id"), planID: try row.get("plan_id"),
            performedOn: try row.get("performed_on"), durationMinutes: try row.get("duration_minutes"),
            exercisesJSON: try row.get("exercises_json"), notes: try row.get("notes"), rating: try row.get("rating"),
            createdAt: try row.date("created_at"))
    }

    static func progressRecord(_ row: PostgresRandomAccessRow) throws -> ProgressRecord {
        let measurementsText = try row.get("measurements_json", as: String?.self) ?? "{}"
        let measurements =
            (try? JSONDecoder().decode([String: Double].self, from: Data(measurementsText.utf8))) ?? [:]
        return ProgressRecord(
            id: try row.get("id"), userID: try row.get("user_id"), recordedOn: try row.get("recorded_on"),
            weightKg: try row.get("weight_kg"), bodyFatPercent: try row.get("body_fat_percent"),
            measurementsCm: measurements, notes: try row.get("notes"), createdAt: try row.date("created_at"))
    }

    /// One statement: the row is inserted only if the plan is one of the owner's, so
    /// another user's plan (or none) is `notFound` on `plan_id`, and no transaction is needed.
    public func createWorkoutLog(_ log: NewWorkoutLog, userID: Int64, now: Date) async throws -> WorkoutLogRecord {
        try Self.refuseNUL(["performed_on": log.performedOn, "exercises_json": log.exercisesJSON, "notes": log.notes])
        let row = try await fetchOne(
            """
            INSERT INTO workout_logs (user_id, plan_id, performed_on, duration_minutes, exercises_json, notes,
                rating, created_at)
            SELECT \(userID), p.id, \(log.performedOn), \(Int64(log.durationMinutes)), \(log.exercisesJSON),
                \(log.notes), \(Int64(log.rating)), \(now.epochMillis)
            FROM workout_plans p WHERE p.id = \(log.planID) AND p.user_id = \(userID)
            RETURNING id
            """)
        guard let row else { throw StoreError(.notFound, field: "plan_id", "no such plan") }
        return WorkoutLogRecord(
            id: try row.get("id"), userID: userID, planID: log.planID, performedOn: log.performedOn,
            durationMinutes: log.durationMinutes, exercisesJSON: log.exercisesJSON, notes: log.notes,
            rating: log.rating, createdAt: now)
    }

    public func workoutLog(id: Int64, userID: Int64) async throws -> WorkoutLogRecord? {
        try await fetchOne(
            """
            SELECT id, user_id, plan_id, performed_on, duration_minutes, exercises_json, notes, rating, created_at
            FROM workout_logs WHERE id = \(id) AND user_id = \(userID)
            """
        ).map(Self.logRecord)
    }

    /// Latest day first; days compare byte-wise (`COLLATE "C"`), as SQLite's `BINARY` does.
    public func workoutLogs(userID: Int64, page: Page) async throws -> [WorkoutLogRecord] {
        try await fetchAll(
            """
            SELECT id, user_id, plan_id, performed_on, duration_minutes, exercises_json, notes, rating, created_at
            FROM workout_logs WHERE user_id = \(userID)
            ORDER BY performed_on COLLATE "C" DESC, id DESC LIMIT \(Int64(page.limit)) OFFSET \(Int64(page.offset))
            """
        ).map(Self.logRecord)
    }

    public func createProgress(_ entry: NewProgress, userID: Int64, now: Date) async throws -> ProgressRecord {
        try Self.refuseNUL(["recorded_on": entry.recordedOn, "notes": entry.notes])
        // JSON escapes a NUL in a measurement's name, so the encoded text never holds one.
        let measurements = String(decoding: try JSONEncoder().encode(entry.measurementsCm), as: UTF8.self)
        let row = try await fetchOne(
            """
            INSERT INTO progress_metrics (user_id, recorded_on, weight_kg, body_fat_percent, measurements_json,
                notes, created_at)
            VALUES (\(userID), \(entry.recordedOn), \(entry.weightKg), \(entry.bodyFatPercent), \(measurements),
                \(entry.notes), \(now.epochMillis))
            RETURNING id
            """)
        guard let row else { throw StoreError(.unavailable, "the progress insert returned no id") }
        return ProgressRecord(
            id: try row.get("id"), userID: userID, recordedOn: entry.recordedOn, weightKg: entry.weightKg,
            bodyFatPercent: entry.bodyFatPercent, measurementsCm: entry.measurementsCm, notes: entry.notes,
            createdAt: now)
    }

    /// Latest day first, byte-wise as in SQLite.
    public func progress(userID: Int64, page: Page) async throws -> [ProgressRecord] {
        try await fetchAll(
            """
            SELECT id, user_id, recorded_on, weight_kg, body_fat_percent, measurements_json, notes, created_at
            FROM progress_metrics WHERE user_id = \(userID)
            ORDER BY recorded_on COLLATE "C" DESC, id DESC LIMIT \(Int64(page.limit)) OFFSET \(Int64(page.offset))
            """
        ).map(Self.progressRecord)
    }
}
