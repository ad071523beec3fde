import Conformance
import FHIRCore
import Indexing
import Ingest
import SearchParameters

/// Turns one source record into what the index stores: validated, compacted, stamped and with
/// its search values extracted. Pure and thread-safe, so every core runs it.
///
/// Each record is parsed exactly once, here.
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

    let registry: SearchParameterRegistry
    let extractor: ResourceExtractor
    let buildInstant: String
    let buildMillis: Int64
    let dictionaries: DocumentDictionaries
    let checker: ResourceChecker?
    let repair: Bool

    init(
        registry: SearchParameterRegistry, buildInstant: String, dictionaries: DocumentDictionaries = .init(),
        checker: ResourceChecker? = nil, repair: Bool = false
    ) {
        self.registry = registry
        self.checker = checker
        self.repair = repair
        self.dictionaries = dictionaries
        self.extractor = ResourceExtractor(registry: registry)
        self.buildInstant = buildInstant
        self.buildMillis = DateRange(fhir: buildInstant)?.low ?? 0
    }

    /// Processes one record; with a `compressor`, its stored bytes come out deflated with its
    /// type's dictionary.
    func process(_ bytes: [UInt8], compressor: DocumentCompressor? = nil) -> Outcome {
        var json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            let at = JSONBytes.lineAndColumn(of: error.offset, in: bytes)
            return .rejected(reason: "invalid JSON: \(error.reason) (column \(at.column))", resource: nil)
        }
        guard case .object = json else {
            return .rejected(reason: "not a JSON object", resource: nil)
        }
        guard let type = json["resourceType"]?.stringValue, !type.isEmpty else {
            return .rejected(reason: "missing resourceType", resource: nil)
        }
        guard let id = json["id"]?.stringValue, !id.isEmpty else {
            return .rejected(reason: "missing id", resource: type)
        }
        guard FHIRID.isValid(id) else {
            return .rejected(
                reason: "id '\(id.prefix(80))' breaks FHIR id syntax ([A-Za-z0-9-.]{1,64})", resource: type)
        }
        guard registry.supports(type) else {
            return .rejected(reason: "unsupported resourceType \(type)", resource: "\(type)/\(id)")
        }
        var stored: [UInt8]
        let checked = checker.map { $0.check(json, type: type, repair: repair) }
        if let repaired = checked?.repaired {
            // Only a repaired resource is re-encoded; every other one keeps its own bytes.
            json = repaired
            stored = JSONWriter.encode(repaired)
        } else {
            stored = JSONBytes.compact(bytes)
        }
        var values = extractor.extract(resourceType: type, resource: json)
        if json["meta"]?["lastUpdated"]?.stringValue == nil {
            stored = JSONBytes.insertingLastUpdated(
                stored, instant: buildInstant, hasMeta: json["meta"]?.objectValue != nil)
            // The values came from the source, which had no lastUpdated: index the stamped one,
            // as if extracted from the stored bytes.
            if let parameter = registry.parameter(type, "_lastUpdated"), let range = DateRange(fhir: buildInstant) {
                values.dates.append(.init(pid: parameter.pid, range: range))
            }
        }
        var staged = Staged(
            type: type, id: id, lastUpdated: values.lastUpdated ?? buildMillis, document: stored, size: stored.count,
            dictionary: nil, values: values, problems: checked?.problems ?? [])
        if let compressor {
            let dictionary = dictionaries.forType(type)
            staged.document = compressor.compress(stored, dictionary: dictionary.bytes)
            staged.dictionary = dictionary.id
        }
        return .staged(staged)
    }
}
