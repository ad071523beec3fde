import GRDB

extension DirectoryIndex {
    /// The internal point of a ZIP code's ZCTA (2023 Census), when the index has one.
    ///
    ///     SELECT lat, lon FROM zcta WHERE zcta = ?
    public func zipPoint(_ zip: String) async throws -> (latitude: Double, longitude: Double)? {
        try await reader.read { db in
            let statement = try db.cachedStatement(sql: "SELECT lat, lon FROM zcta WHERE zcta = ?")
            guard let row = try Row.fetchOne(statement, arguments: [zip]) else { return nil }
            return (try row.decode(atIndex: 0), try row.decode(atIndex: 1))
        }
    }
}
