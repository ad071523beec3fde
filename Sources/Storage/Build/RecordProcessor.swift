import Conformance
import FHIRCore
import Indexing
import Ingest
import SearchParameters

/// Turns one source record into what the index stores: `RecordPreparer`'s work (parsed once,
/// checked, compacted, stamped, values extracted), versioned against the previous index when
/// there is one, then deflated with its type's dictionary. Thread-safe, so every core runs it.
struct RecordProcessor: Sendable {
    /// A record ready to be written.
    struct Staged: Sendable {
        var type: String
        var id: String
        var lastUpdated: Int64
        /// The stored bytes: compacted, stamped, and deflated when a compressor was given.
        var document: [UInt8]
        /// The length of the stored bytes before deflating.
        var size: Int
        /// The dictionary `document` was deflated with (0: none); nil when it is not deflated.
        var dictionary: Int?
        var values: ExtractedValues
        /// What the R4 check found; with `repair`, the repairable ones are fixed in `document`.
        var problems: [ResourceChecker.Problem] = []
        var contentHash: Int64 = 0
        /// `meta.versionId` (0: none).
        var version: Int64 = 0
        /// Against the previous index; nil without one.
        var change: ResourceChange?
    }

    enum Outcome: Sendable {
        case staged(Staged)
        case rejected(reason: String, resource: String?)
    }

    let preparer: RecordPreparer
    let dictionaries: DocumentDictionaries
    /// The index this build versions against (`--previous`).
    let previous: PreviousIndex?
    let buildMillis: Int64

    init(
        registry: SearchParameterRegistry, buildInstant: String, dictionaries: DocumentDictionaries = .init(),
        checker: ResourceChecker? = nil, repair: Bool = false, previous: PreviousIndex? = nil
    ) {
        self.preparer = RecordPreparer(
            registry: registry, buildInstant: buildInstant, checker: checker, repair: repair)
        self.dictionaries = dictionaries
        self.previous = previous
        self.buildMillis = DateRange(fhir: buildInstant)?.low ?? 0
    }

    /// Processes one record without a previous version; with a `compressor`, its stored bytes
    /// come out deflated with its type's dictionary.
    func process(_ bytes: [UInt8], compressor: DocumentCompressor? = nil) -> Outcome {
        finish(preparer.prepare(bytes), prior: nil, compressor: compressor)
    }

    /// Processes records against the previous index, looked up together.
    func process(_ records: some Collection<[UInt8]>, compressor: DocumentCompressor) throws -> [Outcome] {
        let prepared = records.map { preparer.prepare($0) }
        guard let previous else { return prepared.map { finish($0, prior: nil, compressor: compressor) } }
        var keys: [PreviousIndex.Key] = []
        for outcome in prepared {
            if case .prepared(let record) = outcome {
                keys.append(.init(type: record.type, id: record.id, hash: record.contentHash))
            }
        }
        var priors = try previous.lookup(keys).makeIterator()
        return prepared.map { outcome in
            guard case .prepared = outcome else { return finish(outcome, prior: nil, compressor: compressor) }
            return finish(outcome, prior: priors.next() ?? .absent, compressor: compressor)
        }
    }

    /// Versions a prepared record and deflates it. Without a `prior` (no previous index) the
    /// source's own `meta` stands. An unchanged resource keeps its previous stored document; a
    /// changed or added one is stamped with the build time and its next version.
    private func finish(_ outcome: RecordPreparer.Outcome, prior: PriorVersion?, compressor: DocumentCompressor?)
        -> Outcome
    {
        var record: RecordPreparer.Prepared
        switch outcome {
        case .rejected(let reason, let resource): return .rejected(reason: reason, resource: resource)
        case .prepared(let prepared): record = prepared
        }
        var change: ResourceChange?
        switch prior {
        case nil: break
        case .unchanged(let version, let lastUpdated, let dictionary, let size, let body):
            record = preparer.dated(record, lastUpdated: lastUpdated)
            var staged = staged(record, change: .unchanged)
            staged.version = version
            staged.document = body
            staged.size = size
            staged.dictionary = dictionary
            return .staged(staged)
        case .changed(let version):
            record = preparer.restamped(record, versionId: max(version, 1) + 1, lastUpdated: buildMillis)
            change = .changed
        case .deleted(let version):
            record = preparer.restamped(record, versionId: max(version, 1) + 1, lastUpdated: buildMillis)
            change = .added
        case .absent:
            record = preparer.restamped(record, versionId: 1, lastUpdated: buildMillis)
            change = .added
        }
        var staged = staged(record, change: change)
        if let compressor {
            let dictionary = dictionaries.forType(record.type)
            staged.document = compressor.compress(record.stored, dictionary: dictionary.bytes)
            staged.dictionary = dictionary.id
        }
        return .staged(staged)
    }

    private func staged(_ record: RecordPreparer.Prepared, change: ResourceChange?) -> Staged {
        Staged(
            type: record.type, id: record.id, lastUpdated: record.lastUpdated, document: record.stored,
            size: record.stored.count, dictionary: nil, values: record.values, problems: record.problems,
            contentHash: record.contentHash, version: record.versionId, change: change)
    }
}
