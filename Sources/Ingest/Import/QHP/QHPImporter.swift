import FHIRCore
import Foundation

/// `plandir import qhp`: marketplace QHP provider and formulary JSON (`cms-data-index.json`,
/// `plans.json`, `providers.json`, `drugs.json`) as Plan-Net and Formulary NDJSON.
///
/// - Files are local: `cms-data-index.json`'s URLs name files in its own folder (by their last
///   path part), or the files are given directly. Each file is a top-level array, read element
///   by element; its kind is the index key that lists it, or else what its first element is.
/// - Plans: a Plan-Net InsurancePlan (`qhp-<plan_id>`) and a Formulary (`qhp-formulary-…`) per
///   `plan_id`, a network Organization per `plan_id` and `network_tier`, and the issuer (the
///   plan id's first five digits) as payer.
/// - Providers: INDIVIDUAL is a Practitioner (`npi-<NPI>`, as `import nppes` names it) with a
///   Location per address and a PractitionerRole per address and plan network; FACILITY is an
///   Organization with Locations and an OrganizationAffiliation per plan network.
/// - Drugs: MedicationKnowledge (`rxcui-…`) and a FormularyItem per plan.
public struct QHPImporter {
    static let planNet = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
    static let usdf = PartDImporter.usdf
    static let tiers: Set<String> = [
        "generic", "preferred-generic", "non-preferred-generic", "specialty", "brand", "preferred-brand",
        "non-preferred-brand", "zero-cost-share-preventative", "medical-service",
    ]

    struct Plan {
        var name: String
        var networks: [String]
        var mailOrderTiers: Set<String>
    }

    let output: NDJSONOutput
    public internal(set) var report = ImportReport()
    var plans: [String: Plan] = [:]
    var drugsWritten = Set<String>()
    /// Digests of the provider resources written: one provider can be listed in several files
    /// (one per issuer or plan), and is written once.
    var providerIDs = Set<UInt64>()

    public init(output: NDJSONOutput) {
        self.output = output
    }

    enum Kind { case plans, providers, drugs }

    /// The data files: an index's files, each of the kind its key names, or the files given,
    /// each of the kind its first element shows (so a file given directly is read twice, and
    /// must be a file; an index's files can be pipes).
    static func files(_ inputs: [String]) throws -> [(path: String, kind: Kind)] {
        var files: [(path: String, kind: Kind)] = []
        for input in inputs {
            guard (input as NSString).lastPathComponent == "cms-data-index.json" else {
                files.append((input, try kind(of: input)))
                continue
            }
            guard let data = FileManager.default.contents(atPath: input),
                let index = try? JSONParser.parse(Array(data))
            else { throw ImportError("\(input) is not readable JSON") }
            let folder = (input as NSString).deletingLastPathComponent
            for (key, kind) in [("plan_urls", Kind.plans), ("provider_urls", .providers), ("formulary_urls", .drugs)] {
                for url in index[key]?.asList.compactMap(\.stringValue) ?? [] {
                    let name = (URL(string: url)?.lastPathComponent ?? url)
                    let local = (folder as NSString).appendingPathComponent(name)
                    guard FileManager.default.fileExists(atPath: local) else {
                        throw ImportError("\(input) lists \(url); there is no \(name) beside it")
                    }
                    files.append((local, kind))
                }
            }
        }
        return files
    }

    static func kind(of path: String) throws -> Kind {
        var reader = try JSONArrayReader(path: path)
        guard case .success(let first)? = reader.read() else { return .providers }
        if first.value["rxnorm_id"] != nil { return .drugs }
        if first.value["npi"] != nil { return .providers }
        if first.value["marketing_name"] != nil || first.value["network"] != nil { return .plans }
        throw ImportError("\(path): its first element is not a QHP plan, provider or drug")
    }

    public mutating func run(inputs: [String]) throws -> ImportReport {
        let files = try Self.files(inputs)
        for (path, kind) in files where kind == .plans { try each(path) { try $0.plan($1, $2, path) } }
        for (path, kind) in files where kind == .providers { try each(path) { try $0.provider($1, $2, path) } }
        for (path, kind) in files where kind == .drugs { try each(path) { try $0.drug($1, $2, path) } }
        try output.close()
        return report
    }

    mutating func each(_ path: String, _ body: (inout QHPImporter, JSONValue, Int) throws -> Void) throws {
        var reader = try JSONArrayReader(path: path)
        while let result = reader.read() {
            switch result {
            case .failure(let bad):
                report.reject(path, bad.line, 1, "malformed-json", bad.reason, "")
            case .success(let element):
                try body(&self, element.value, element.line)
            }
        }
    }

    /// Whether `Type/id` is new in this import (and now seen); a repeat is counted, not written.
    mutating func once(_ type: String, _ id: String) -> Bool {
        var digest = FNV1a()
        digest.add("\(type)/\(id)")
        if providerIDs.insert(digest.value).inserted { return true }
        report.note("repeated-\(type)")
        return false
    }

    static func text(_ value: JSONValue) -> String {
        String(String(decoding: JSONWriter.encode(value), as: UTF8.self).prefix(200))
    }

    static func slug(_ text: String) -> String { NPPESImporter.slug(text) }

    static func updated(_ value: JSONValue) -> String? {
        guard let date = value["last_updated_on"]?.stringValue, date.count == 10, DateRange(fhir: date) != nil else {
            return nil
        }
        return "\(date)T00:00:00Z"
    }

    /// A plan id is the 14-character HIOS plan id (five-digit issuer, state, product, plan).
    mutating func planID(_ value: JSONValue?, _ line: Int, _ path: String, _ element: JSONValue) -> String? {
        guard let id = value?.stringValue, id.count == 14, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            report.reject(
                path, line, 1, "invalid-plan-id",
                "plan_id '\(value?.stringValue ?? "")' is not a 14-character HIOS plan id", Self.text(element))
            return nil
        }
        return id
    }
}
