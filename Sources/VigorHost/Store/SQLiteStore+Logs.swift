import Foundation
import GRDB

extension SQLiteStore {
    static func logRecord(_ row: Row) throws -> WorkoutLogRecord {
        WorkoutLogRecord(
            id: try row.get("id"), userID: try row.get("user_id"), planID: try row.get("plan_id"), performedOn: try row.get("performed_on"),
            durationMinutes: try row.get("duration_minutes"), exercisesJSON: try row.get("exercises_json"), notes: try row.get("notes"),
            rating: try row.get("rating"), createdAt: try row.date("created_at"))
    }

    public func createWorkoutLog(_ log: NewWorkoutLog, userID: Int64, now: Date) async throws -> WorkoutLogRecord {
        try await write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM workout_plans WHERE id = ? AND user_id = ?", arguments: [log.planID, userID])
                    != nil
            else { throw StoreError(.notFound, field: "plan_id", "no such plan") }
            try db.execute(
                sql: """
                    INSERT INTO workout_logs (user_id, plan_id, performed_on, duration_minutes, exercises_json,
                        notes, rating, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    userID, log.planID, log.performedOn, log.durationMinutes, log.exercisesJSON, log.notes, log.rating,
                    now.epochMillis,
                ])
            return WorkoutLogRecord(
                id: db.lastInsertedRowID, userID: userID, planID: log.planID, performedOn: log.performedOn,
                durationMinutes: log.durationMinutes, exercisesJSON: log.exercisesJSON, notes: log.notes,
                rating: log.rating, createdAt: now)
        }
    }

    public func workoutLog(id: Int64, userID: Int64) async throws -> WorkoutLogRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM workout_logs WHERE id = ? AND user_id = ?", arguments: [id, userID])
                .map(Self.logRecord)
        }
    }

    public func workoutLogs(userID: Int64, page: Page) async throws -> [WorkoutLogRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM workout_logs WHERE user_id = ? ORDER BY performed_on DESC, id DESC LIMIT ? OFFSET ?",
                arguments: [userID, page.limit, page.offset]
            ).map(Self.logRecord)
        }
    }

    static func progressRecord(_ row: Row) throws -> ProgressRecord {
        let measurementsText: String = try row.get("measurements_json") ?? "{}"
        let measurements =
            (try? JSONDecoder().decode([String: Double].self, from: Data(measurementsText.utf8))) ?? [:]
        return ProgressRecord(
            id: try row.get("id"), userID: try row.get("user_id"), recordedOn: try row.get("recorded_on"),
            weightKg: try row.get("weight_kg"),
            bodyFatPercent: try row.get("body_fat_percent"), measurementsCm: measurements, notes: try row.get("notes"),
            createdAt: try row.date("created_at"))
    }

    public func createProgress(_ entry: NewProgress, userID: Int64, now: Date) async throws -> ProgressRecord {
        let measurements = String(decoding: try JSONEncoder().encode(entry.measurementsCm), as: UTF8.self)
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO progress_metrics (user_id, recorded_on, weight_kg, body_fat_percent,
                        measurements_json, notes, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    userID, entry.recordedOn, entry.weightKg, entry.bodyFatPercent, measurements, entry.notes,
                    now.epochMillis,
                ])
            return ProgressRecord(
                id: db.lastInsertedRowID, userID: userID, recordedOn: entry.recordedOn, weightKg: entry.weightKg,
                bodyFatPercent: entry.bodyFatPercent, measurementsCm: entry.measurementsCm, notes: entry.notes,
                createdAt: now)
        }
    }

    public func progress(userID: Int64, page: Page) async throws -> [ProgressRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM progress_metrics WHERE user_id = ? ORDER BY recorded_on DESC, id DESC LIMIT ? OFFSET ?",
                arguments: [userID, page.limit, page.offset]
            ).map(Self.progressRecord)
        }
    }
}
