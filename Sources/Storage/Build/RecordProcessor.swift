import Conformance
import FHIRCore
import Indexing
import Ingest
import SearchParameters

/// Turns one source record into what the index stores: `RecordPreparer`'s work (parsed once,
/// checked, compacted, stamped, values extracted), then deflated with its type's dictionary.
/// Thread-safe, so every core runs it.
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
    }

    enum Outcome: Sendable {
        case staged(Staged)
        case rejected(reason: String, resource: String?)
    }

    let preparer: RecordPreparer
    let dictionaries: DocumentDictionaries

    init(
        registry: SearchParameterRegistry, buildInstant: String, dictionaries: DocumentDictionaries = .init(),
        checker: ResourceChecker? = nil, repair: Bool = false
    ) {
        self.preparer = RecordPreparer(
            registry: registry, buildInstant: buildInstant, checker: checker, repair: repair)
        self.dictionaries = dictionaries
    }

    /// Processes one record; with a `compressor`, its stored bytes come out deflated with its
    /// type's dictionary.
    func process(_ bytes: [UInt8], compressor: DocumentCompressor? = nil) -> Outcome {
        switch preparer.prepare(bytes) {
        case .rejected(let reason, let resource):
            return .rejected(reason: reason, resource: resource)
        case .prepared(let prepared):
            var staged = Staged(
                type: prepared.type, id: prepared.id, lastUpdated: prepared.lastUpdated, document: prepared.stored,
                size: prepared.stored.count, dictionary: nil, values: prepared.values, problems: prepared.problems)
            if let compressor {
                let dictionary = dictionaries.forType(prepared.type)
                staged.document = compressor.compress(prepared.stored, dictionary: dictionary.bytes)
                staged.dictionary = dictionary.id
            }
            return .staged(staged)
        }
    }
}
