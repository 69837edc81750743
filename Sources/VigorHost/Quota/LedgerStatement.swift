import Foundation
import GRDB
import GRDBSQLite

/// One of the ledger's hot statements, run through SQLite's C API on the statement GRDB
/// prepared and caches for this connection.
///
/// Every reservation and settle runs about ten statements. GRDB's general path costs each of
/// them an argument array of existentials, a `Row` per result row and a lookup of the columns
/// by name; here the values are bound and read by position. The statement stays GRDB's
/// (prepared once, finalized when the connection closes); it is always left reset and
/// unbound, so GRDB's own bookkeeping of it never sees a difference.
struct LedgerStatement {
    enum Value {
        case int(Int64)
        case text(String)
    }

    private let db: Database
    private let handle: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        handle = try db.cachedStatement(sql: sql).sqliteStatement
    }

    /// Binds `values` to parameters 1…n and steps through every result row, calling `row`
    /// for each; returns the number of rows. Any SQLite error is thrown as `DatabaseError`.
    @discardableResult
    func run(_ values: [Value], row: (Row) throws -> Void = { _ in }) throws -> Int {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .int(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .text(let string):
                code = Self.bind(string, to: handle, at: index)
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
        var count = 0
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return count }
            guard code == SQLITE_ROW else { throw error(code) }
            count += 1
            try row(Row(handle: handle))
        }
    }

    /// The current result row, read by column position.
    struct Row {
        let handle: OpaquePointer

        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        /// nil for SQL NULL.
        func optionalInt(_ column: Int32) -> Int64? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
        }

        /// Whether the column's text is `string`'s bytes exactly (no `String` made).
        func text(_ column: Int32, equals string: String) -> Bool {
            // The text first, then its length (SQLite's order for a value it may convert).
            let bytes = sqlite3_column_text(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            var string = string
            return string.withUTF8 { expected in
                guard expected.count == count else { return false }
                guard count > 0 else { return true }
                guard let bytes, let base = expected.baseAddress else { return false }
                return memcmp(bytes, base, count) == 0
            }
        }

        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: sqlite3_sql(handle).map { String(cString: $0) })
    }

    /// Binds `string` as text from its own UTF-8 storage. Passing the `String` as a C pointer
    /// would copy it into a new NUL-terminated array first: an allocation per text bound,
    /// sixteen per settle. The byte count keeps a text with an embedded NUL whole.
    private static func bind(_ string: String, to handle: OpaquePointer, at index: Int32) -> Int32 {
        var string = string
        return string.withUTF8 { bytes in
            // SQLite reads nothing for an empty text, but wants a pointer: any valid one.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), transient)
            }
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound text before the call returns.
    private static let transient = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)
}

extension LedgerStatement.Value {
    static func bool(_ value: Bool) -> Self { .int(value ? 1 : 0) }
    static func int(_ value: Int) -> Self { .int(Int64(value)) }
}
