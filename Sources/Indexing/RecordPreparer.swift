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
        /// The source's `meta.versionId` when it is a positive integer, else 0 (none).
        public var versionId: Int64
        /// The content without its version and timestamp (`ContentHash`): what a rebuild compares.
        public var contentHash: Int64
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
        let contentHash = ContentHash.of(json)
        let versionId = json["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 0
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
                type: type, id: id, lastUpdated: values.lastUpdated ?? buildMillis, versionId: versionId,
                contentHash: contentHash, stored: stored, values: values, problems: checked?.problems ?? []))
    }

    /// `prepared` as version `versionId`, last updated at `millis`: its stored bytes say so in
    /// `meta`, replacing what the source said, and its `_lastUpdated` value follows.
    public func restamped(_ prepared: Prepared, versionId: Int64, lastUpdated millis: Int64) -> Prepared {
        var result = dated(prepared, lastUpdated: millis)
        result.versionId = versionId
        result.stored = JSONBytes.settingVersion(
            prepared.stored, versionId: String(versionId), lastUpdated: DateRange.instantString(millis: millis))
        return result
    }

    /// `prepared` with its `_lastUpdated` value at `millis`, for a record whose stored bytes
    /// are replaced by bytes that say so (an unchanged resource keeps its previous ones).
    public func dated(_ prepared: Prepared, lastUpdated millis: Int64) -> Prepared {
        var result = prepared
        result.lastUpdated = millis
        result.values.lastUpdated = millis
        if let parameter = registry.parameter(prepared.type, "_lastUpdated") {
            result.values.dates.removeAll { $0.pid == parameter.pid }
            result.values.dates.append(.init(pid: parameter.pid, range: DateRange(low: millis, high: millis)))
        }
        return result
    }
}
