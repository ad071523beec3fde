import GRDB
import Synchronization

/// Remembers how many candidates (up to the probe limit) a clause has, so the pages of one
/// search, and repeats of popular searches, plan without probing again. The index never
/// changes under an open `DirectoryIndex`, so entries never go stale; the cache is simply
/// emptied when it reaches `capacity`.
final class EstimateCache: Sendable {
    let capacity: Int
    private let counts = Mutex<[String: Int]>([:])

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The cached count for this candidate query, or `probe()`'s answer, remembered.
    func count(sql: String, arguments: StatementArguments, probe: () throws -> Int) rethrows -> Int {
        let key = sql + "\u{1}" + arguments.description
        if let known = counts.withLock({ $0[key] }) { return known }
        let value = try probe()
        counts.withLock { counts in
            if counts.count >= capacity { counts.removeAll(keepingCapacity: true) }
            counts[key] = value
        }
        return value
    }
}
