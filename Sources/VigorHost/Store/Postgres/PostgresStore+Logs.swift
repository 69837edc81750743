import Foundation
import PostgresNIO

/// Workout logs and progress entries (placeholder until implemented on PostgreSQL).
extension PostgresStore {
    public func createWorkoutLog(_ log: NewWorkoutLog, userID: Int64, now: Date) async throws -> WorkoutLogRecord {
        throw Self.notYet
    }

    public func workoutLog(id: Int64, userID: Int64) async throws -> WorkoutLogRecord? {
        throw Self.notYet
    }

    public func workoutLogs(userID: Int64, page: Page) async throws -> [WorkoutLogRecord] {
        throw Self.notYet
    }

    public func createProgress(_ entry: NewProgress, userID: Int64, now: Date) async throws -> ProgressRecord {
        throw Self.notYet
    }

    public func progress(userID: Int64, page: Page) async throws -> [ProgressRecord] {
        throw Self.notYet
    }
}
