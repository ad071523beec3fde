import GRDB

/// The token systems of one index, numbered: `tok` stores a system as its number, not its
/// URL, which a national file would otherwise repeat tens of millions of times.
///
/// Numbers 0 and 1 are reserved (`TokenTable`): 0 marks the bare `code` form, 1 the `|code`
/// form (no system). Systems are numbered from 2 in the order the build first meets them.
struct TokenSystems: Sendable {
    static let anySystem = 0
    static let noSystem = 1

    private(set) var numbers: [String: Int] = [:]

    /// The number of `system`, if the index has it.
    func number(_ system: String) -> Int? { numbers[system] }

    /// The number of `system`, numbering it if it is new (at build time).
    mutating func numbering(_ system: String) -> Int {
        if let known = numbers[system] { return known }
        let next = numbers.count + 2
        numbers[system] = next
        return next
    }

    /// Loads the index's systems.
    ///
    ///     SELECT id, uri FROM token_system
    static func load(_ db: Database) throws -> TokenSystems {
        var systems = TokenSystems()
        for row in try Row.fetchAll(db, sql: "SELECT id, uri FROM token_system") {
            systems.numbers[try row.decode(String.self, atIndex: 1)] = try row.decode(atIndex: 0)
        }
        return systems
    }

    /// Writes the systems numbered during a build.
    func save(_ db: Database) throws {
        for (uri, id) in numbers.sorted(by: { $0.value < $1.value }) {
            try db.execute(sql: "INSERT INTO token_system(id, uri) VALUES (?, ?)", arguments: [id, uri])
        }
    }
}
