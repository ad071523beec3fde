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
    /// Parameters all of whose tokens have one system, with its number (`token_pid`). For
    /// these the build stores no `system|` rows: that search is `has(pid)`.
    private(set) var single: [Int: Int] = [:]
    /// While staging: the systems seen under each parameter (0 and 1 for the bare and
    /// system-less forms).
    private var seen: [Int: Set<Int>] = [:]

    /// The number of `system`, if the index has it.
    func number(_ system: String) -> Int? { numbers[system] }

    /// The number of `system`, numbering it if it is new (at build time).
    mutating func numbering(_ system: String) -> Int {
        if let known = numbers[system] { return known }
        let next = numbers.count + 2
        numbers[system] = next
        return next
    }

    /// Notes that a token of `pid` has system number `sys` (at build time); -1 marks a
    /// parameter that must keep its `system|` rows.
    mutating func saw(pid: Int, sys: Int) {
        if seen[pid]?.contains(sys) != true { seen[pid, default: []].insert(sys) }
    }

    /// Loads the index's systems and single-system parameters.
    ///
    ///     SELECT id, uri FROM token_system; SELECT pid, sys FROM token_pid
    static func load(_ db: Database) throws -> TokenSystems {
        var systems = TokenSystems()
        for row in try Row.fetchAll(db, sql: "SELECT id, uri FROM token_system") {
            systems.numbers[try row.decode(String.self, atIndex: 1)] = try row.decode(atIndex: 0)
        }
        for row in try Row.fetchAll(db, sql: "SELECT pid, sys FROM token_pid") {
            systems.single[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
        }
        return systems
    }

    /// Writes the systems numbered during a build, and the parameters whose tokens all have
    /// one (real) system.
    func save(_ db: Database) throws {
        for (uri, id) in numbers.sorted(by: { $0.value < $1.value }) {
            try db.execute(sql: "INSERT INTO token_system(id, uri) VALUES (?, ?)", arguments: [id, uri])
        }
        for (pid, systems) in seen.sorted(by: { $0.key < $1.key }) where systems.count == 1 {
            guard let sys = systems.first, sys > Self.noSystem else { continue }
            try db.execute(sql: "INSERT INTO token_pid(pid, sys) VALUES (?, ?)", arguments: [pid, sys])
        }
    }
}
