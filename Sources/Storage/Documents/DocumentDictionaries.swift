/// The preset deflate dictionaries of one index: one per resource type, made from records of
/// that type, stored in the index's `dictionary` table and numbered from 1 (0 means none).
struct DocumentDictionaries: Sendable {
    /// Bigger dictionaries compress a little better and cost more per record to prime: 16 KB
    /// stored the Plan-Net reference data in 9.4% of its size against 10.7% at 8 KB, for half
    /// again as much time.
    static let maximumBytes = 16 << 10
    /// Sample records kept per type while training.
    static let samplesPerType = 64

    struct Entry: Sendable {
        var id: Int
        var type: String
        var bytes: [UInt8]
    }

    private(set) var entries: [Entry] = []
    private var byType: [String: Int] = [:]
    private var byID: [Int: Int] = [:]

    init(_ entries: [Entry] = []) {
        for entry in entries { add(entry) }
    }

    private mutating func add(_ entry: Entry) {
        byType[entry.type] = entries.count
        byID[entry.id] = entries.count
        entries.append(entry)
    }

    /// The dictionary for a type's records: its id (0 when the type has none) and bytes.
    func forType(_ type: String) -> (id: Int, bytes: [UInt8]?) {
        guard let index = byType[type] else { return (0, nil) }
        return (entries[index].id, entries[index].bytes)
    }

    /// The bytes of dictionary `id`; nil for 0 and for ids the index does not hold.
    func bytes(id: Int) -> [UInt8]? {
        byID[id].map { entries[$0].bytes }
    }

    /// Makes one dictionary per type from sample records of that type (stored bytes, in input
    /// order), after the `existing` ones: a `--previous` build keeps its previous index's
    /// dictionaries, under their ids, so unchanged documents are copied still deflated, and
    /// trains only types that index did not have.
    ///
    /// Deflate matches against the last 32 KB it has seen, so a dictionary is a run of whole
    /// records chosen at an even stride through the samples: the keys, systems and URLs that
    /// recur across records are all in reach, and records near the start of the input do not
    /// dominate. Types are numbered in name order, so the same input gives the same file.
    static func train(samples: [String: [[UInt8]]], existing: DocumentDictionaries = .init()) -> DocumentDictionaries {
        var entries = existing.entries
        var nextID = (entries.map(\.id).max() ?? 0) + 1
        for type in samples.keys.sorted() where existing.byType[type] == nil {
            let records = samples[type] ?? []
            guard !records.isEmpty else { continue }
            let average = max(1, records.reduce(0) { $0 + $1.count } / records.count)
            let wanted = max(1, min(records.count, maximumBytes / average))
            let stride = max(1, records.count / wanted)
            var bytes: [UInt8] = []
            for index in Swift.stride(from: 0, to: records.count, by: stride) {
                let record = records[index]
                guard bytes.count + record.count <= maximumBytes else { break }
                bytes += record
            }
            if bytes.isEmpty, let first = records.first { bytes = Array(first.suffix(maximumBytes)) }
            entries.append(Entry(id: nextID, type: type, bytes: bytes))
            nextID += 1
        }
        return DocumentDictionaries(entries)
    }
}
