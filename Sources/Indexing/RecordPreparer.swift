import Conformance
import FHIRCore
import SearchParameters

/// Turns one source record into what the index stores, short of compressing it: parsed once,
/// checked against R4 (and repaired when asked), compacted, stamped with `meta.lastUpdated`
/// where the source has none, and with its search values extracted. Pure and thread-safe, so
/// every build core runs it, and a fuzzer can run it on any bytes.
public struct RecordPreparer: Sendable {
    /// A record ready to be stored.
    public struct Prepared: Sendable {
        public var type: String
        public var id: String
        public var lastUpdated: Int64
        /// Compact JSON: the source's own bytes unless a repair re-encoded them.
        public var stored: [UInt8]
        public var values: ExtractedValues
        /// What the R4 check found; with `repair`, the repairable ones are fixed in `stored`.
        public var problems: [ResourceChecker.Problem]
    }

    public enum Outcome: Sendable {
        case prepared(Prepared)
        /// The build report's line for a record that is not stored.
        case rejected(reason: String, resource: String?)
    }

    public let registry: SearchParameterRegistry
    let extractor: ResourceExtractor
    let buildInstant: String
    let buildMillis: Int64
    let checker: ResourceChecker?
    let repair: Bool

    public init(
        registry: SearchParameterRegistry, buildInstant: String, checker: ResourceChecker? = nil, repair: Bool = false
    ) {
        self.registry = registry
        self.checker = checker
        self.repair = repair
        self.extractor = ResourceExtractor(registry: registry)
        self.buildInstant = buildInstant
        self.buildMillis = DateRange(fhir: buildInstant)?.low ?? 0
    }

    public func prepare(_ bytes: [UInt8]) -> Outcome {
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
        return .prepared(
            Prepared(
                type: type, id: id, lastUpdated: values.lastUpdated ?? buildMillis, stored: stored, values: values,
                problems: checked?.problems ?? []))
    }
}
