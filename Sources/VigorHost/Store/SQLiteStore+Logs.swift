import Foundation
import GRDB

extension SQLiteStore {
    static func logRecord(_ row: Row) -> WorkoutLogRecord {
        WorkoutLogRecord(
            id: row["id"], userID: row["user_id"], planID: row["plan_id"], performedOn: row["performed_on"],
            durationMinutes: row["duration_minutes"], exercisesJSON: row["exercises_json"], notes: row["notes"],
            rating: row["rating"], createdAt: row.date("created_at"))
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

    static func progressRecord(_ row: Row) -> ProgressRecord {
        let measurementsText: String = row["measurements_json"] ?? "{}"
        let measurements =
            (try? JSONDecoder().decode([String: Double].self, from: Data(measurementsText.utf8))) ?? [:]
        return ProgressRecord(
            id: row["id"], userID: row["user_id"], recordedOn: row["recorded_on"], weightKg: row["weight_kg"],
            bodyFatPercent: row["body_fat_percent"], measurementsCm: measurements, notes: row["notes"],
            createdAt: row.date("created_at"))
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
