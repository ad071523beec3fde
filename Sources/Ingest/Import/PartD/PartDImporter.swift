import FHIRCore
import Foundation

/// `plandir import partd`: a "Prescription Drug Plan Formulary, Pharmacy Network, and Pricing
/// Information" release (pipe-delimited, with headers) as US Drug Formulary 2.0.1 NDJSON.
///
/// - The plan information file (Windows-1252): its rows (one per county) collapse into one
///   PayerInsurancePlan per contract, plan and segment, pointing at its formulary; suppressed
///   plans are skipped and counted.
/// - The basic drugs formulary file: one Formulary per `FORMULARY_ID`, one MedicationKnowledge
///   per RXCUI, and one FormularyItem per formulary and RXCUI, merging its NDC rows (rows that
///   disagree are reported, and the most restrictive values kept). The rows of one formulary and
///   RXCUI must be together, as CMS writes them.
/// - Files are told apart by their header. Names come from RxNorm (`--rxnorm RXNCONSO.RRF`).
public struct PartDImporter {
    public struct Options: Sendable {
        /// Plan tier number → DrugTierCS code.
        public var tiers: [Int: String] = [:]
        /// PharmacyBenefitTypeCS codes for every item: the basic file does not say, and the
        /// profile requires at least one.
        public var pharmacyTypes = ["1-month-in-retail", "3-month-in-mail"]
        public var rxnorm: String?

        public init() {}
    }

    static let usdf = "http://hl7.org/fhir/us/davinci-drug-formulary"
    static let rxnormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm"
    static let formularySystem = "https://data.cms.gov/partd/formulary-id"
    static let planSystem = "https://data.cms.gov/partd/contract-plan-segment"

    let options: Options
    let output: NDJSONOutput
    public internal(set) var report = ImportReport()
    var names: [String: String] = [:]
    var drugsWritten = Set<String>()
    var formulariesWritten = Set<String>()
    /// Digests of the formulary|RXCUI pairs done: a national release has about 1.5 million, and
    /// eight bytes each keep the import's memory flat.
    var itemsSeen = Set<UInt64>()

    public init(options: Options, output: NDJSONOutput) {
        self.options = options
        self.output = output
    }

    /// Parses `1=preferred-generic,2=generic,…`.
    public static func tierMap(_ text: String) throws -> [Int: String] {
        var map: [Int: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let tier = Int(parts[0]), !parts[1].isEmpty,
                parts[1].allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" })
            else { throw ImportError("--tier-map takes TIER=code pairs such as 1=preferred-generic, not '\(pair)'") }
            map[tier] = parts[1]
        }
        return map
    }

    public mutating func run(inputs: [String]) throws -> ImportReport {
        if let path = options.rxnorm { try loadRxNorm(path) }
        // A formulary file is read once, as it is sniffed (it is large, and may be a pipe); plan
        // files are small, and wait until every formulary id is known.
        var plans: [String] = []
        for path in inputs {
            var reader = try DelimitedReader(path: path, delimiter: "|")
            guard case .success(let header)? = reader.read() else { throw ImportError("\(path) has no header line") }
            if header.fields.contains("PLAN_SUPPRESSED_YN") {
                plans.append(path)
            } else if header.fields.contains("RXCUI") && header.fields.contains("FORMULARY_ID") {
                try importFormulary(path, reader: &reader, header: header.fields)
            } else {
                throw ImportError("\(path) is neither a plan information nor a basic drugs formulary file")
            }
        }
        for path in plans { try importPlans(path) }
        try output.close()
        return report
    }

    // MARK: RxNorm

    /// `RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|…`: the RxNorm
    /// names of prescribable drugs and packs.
    mutating func loadRxNorm(_ path: String) throws {
        var reader = try DelimitedReader(path: path, delimiter: "|")
        let kept: Set<String> = ["SCD", "SBD", "GPCK", "BPCK"]
        while let result = reader.read() {
            guard case .success(let row) = result, row.fields.count >= 15 else { continue }
            let f = row.fields
            guard f[11] == "RXNORM", kept.contains(f[12]), names[f[0]] == nil else { continue }
            names[f[0]] = f[14]
        }
    }

    // MARK: The basic drugs formulary file

    struct Item {
        var line: Int
        var text: String
        var formulary: String
        var version: String
        var year: String
        var rxcui: String
        var tier: Int
        var quantityLimit: Bool
        var amount: Double?
        var days: Int?
        var priorAuthorization: Bool
        var stepTherapy: Bool
    }

    static func itemKey(_ formulary: String, _ rxcui: String) -> UInt64 {
        var digest = FNV1a()
        digest.add("\(formulary)|\(rxcui)")
        return digest.value
    }

    mutating func importFormulary(_ path: String, reader: inout DelimitedReader, header: [String]) throws {
        let columns = NPPESImporter.Columns(header)
        func col(_ name: String) throws -> Int { try columns.require(name, in: path) }
        let c = (
            formulary: try col("FORMULARY_ID"), version: try col("FORMULARY_VERSION"), year: try col("CONTRACT_YEAR"),
            rxcui: try col("RXCUI"), tier: try col("TIER_LEVEL_VALUE"), ql: try col("QUANTITY_LIMIT_YN"),
            amount: try col("QUANTITY_LIMIT_AMOUNT"), days: try col("QUANTITY_LIMIT_DAYS"),
            pa: try col("PRIOR_AUTHORIZATION_YN"), st: try col("STEP_THERAPY_YN")
        )
        var group: [Item] = []
        while let result = reader.read() {
            guard let row = report.accept(result, columns: columns.count, path: path) else { continue }
            let f = row.fields
            func flag(_ column: Int) -> Bool? {
                switch f[column] {
                case "Y": return true
                case "N": return false
                default: return nil
                }
            }
            guard !f[c.formulary].isEmpty, f[c.formulary].allSatisfy(\.isNumber) else {
                report.reject(
                    path, row.line, c.formulary + 1, "invalid-formulary-id",
                    "FORMULARY_ID '\(f[c.formulary])' is not a number", row.text)
                continue
            }
            guard !f[c.rxcui].isEmpty, f[c.rxcui].allSatisfy(\.isNumber) else {
                report.reject(
                    path, row.line, c.rxcui + 1, "invalid-rxcui", "RXCUI '\(f[c.rxcui])' is not a number", row.text)
                continue
            }
            guard let tier = Int(f[c.tier]), tier >= 0 else {
                report.reject(
                    path, row.line, c.tier + 1, "invalid-tier", "TIER_LEVEL_VALUE '\(f[c.tier])' is not a tier number",
                    row.text)
                continue
            }
            var flags: [Bool] = []
            var badFlag: Int?
            for column in [c.ql, c.pa, c.st] {
                if let value = flag(column) { flags.append(value) } else if badFlag == nil { badFlag = column }
            }
            if let column = badFlag {
                report.reject(path, row.line, column + 1, "invalid-flag", "'\(f[column])' is not Y or N", row.text)
                continue
            }
            let item = Item(
                line: row.line, text: row.text, formulary: f[c.formulary], version: f[c.version], year: f[c.year],
                rxcui: f[c.rxcui], tier: tier, quantityLimit: flags[0], amount: Double(f[c.amount]),
                days: Int(f[c.days]),
                priorAuthorization: flags[1], stepTherapy: flags[2])
            if let first = group.first, first.formulary != item.formulary || first.rxcui != item.rxcui {
                try flush(group, path)
                group = []
            }
            if group.isEmpty && itemsSeen.contains(Self.itemKey(item.formulary, item.rxcui)) {
                report.reject(
                    path, row.line, c.rxcui + 1, "rows-apart",
                    "formulary \(item.formulary), RXCUI \(item.rxcui) appeared earlier; its rows must be together",
                    row.text)
                continue
            }
            group.append(item)
        }
        try flush(group, path)
    }

    /// One FormularyItem from the NDC rows of one formulary and RXCUI (and the Formulary and
    /// MedicationKnowledge the first time each is met).
    mutating func flush(_ rows: [Item], _ path: String) throws {
        guard var merged = rows.first else { return }
        itemsSeen.insert(Self.itemKey(merged.formulary, merged.rxcui))
        for row in rows.dropFirst() {
            var differences: [String] = []
            if row.tier != merged.tier { differences.append("tier \(merged.tier) and \(row.tier)") }
            if row.priorAuthorization != merged.priorAuthorization { differences.append("prior authorization") }
            if row.stepTherapy != merged.stepTherapy { differences.append("step therapy") }
            if row.quantityLimit != merged.quantityLimit || row.amount != merged.amount || row.days != merged.days {
                differences.append("quantity limit")
            }
            guard !differences.isEmpty else { continue }
            report.warn(
                path, row.line, 1, "ndc-rows-disagree",
                "the NDC rows of formulary \(row.formulary), RXCUI \(row.rxcui) differ in \(differences.joined(separator: ", ")); the most restrictive is kept",
                row.text)
            merged.tier = max(merged.tier, row.tier)
            merged.priorAuthorization = merged.priorAuthorization || row.priorAuthorization
            merged.stepTherapy = merged.stepTherapy || row.stepTherapy
            if row.quantityLimit {
                let rate = { (item: Item) -> Double in (item.amount ?? .infinity) / Double(max(1, item.days ?? 1)) }
                if !merged.quantityLimit || rate(row) < rate(merged) {
                    merged.amount = row.amount
                    merged.days = row.days
                }
                merged.quantityLimit = true
            }
        }
        if formulariesWritten.insert(merged.formulary).inserted {
            try output.write(formulary(merged))
            report.wrote("InsurancePlan")
        }
        if drugsWritten.insert(merged.rxcui).inserted {
            if names[merged.rxcui] == nil { report.note("drugs-without-name") }
            try output.write(drug(merged.rxcui))
            report.wrote("MedicationKnowledge")
        }
        if options.tiers[merged.tier] == nil {
            report.warn(
                path, merged.line, 1, "unmapped-tier",
                "tier \(merged.tier) is not in --tier-map; the item carries it as text only", merged.text)
        }
        try output.write(item(merged))
        report.wrote("Basic")
    }

    // MARK: The plan information file

    struct Plan {
        var id: String
        var name: String
        var contractName: String
        var formulary: String
        var line: Int
    }

    mutating func importPlans(_ path: String) throws {
        var reader = try DelimitedReader(path: path, delimiter: "|", encoding: .windows1252)
        guard case .success(let header)? = reader.read() else { return }
        let columns = NPPESImporter.Columns(header.fields)
        func col(_ name: String) throws -> Int { try columns.require(name, in: path) }
        let contract = try col("CONTRACT_ID"), planID = try col("PLAN_ID"), segment = try col("SEGMENT_ID")
        let contractName = try col("CONTRACT_NAME"), planName = try col("PLAN_NAME"),
            formulary = try col("FORMULARY_ID")
        let suppressed = try col("PLAN_SUPPRESSED_YN")
        var plans: [String: Plan] = [:]
        var order: [String] = []
        var skipped = Set<String>()
        while let result = reader.read() {
            guard let row = report.accept(result, columns: columns.count, path: path) else { continue }
            let f = row.fields
            guard !f[contract].isEmpty, !f[planID].isEmpty else {
                report.reject(
                    path, row.line, contract + 1, "invalid-plan", "a plan needs CONTRACT_ID and PLAN_ID", row.text)
                continue
            }
            let id = "partd-\(f[contract])-\(f[planID])-\(f[segment].isEmpty ? "000" : f[segment])"
            if f[suppressed] == "Y" {
                if skipped.insert(id).inserted { report.note("skipped-suppressed-plan") }
                continue
            }
            guard !f[formulary].isEmpty, f[formulary].allSatisfy(\.isNumber) else {
                report.reject(
                    path, row.line, formulary + 1, "invalid-formulary-id",
                    "FORMULARY_ID '\(f[formulary])' is not a number", row.text)
                continue
            }
            if let known = plans[id] {
                if known.formulary != f[formulary] {
                    report.warn(
                        path, row.line, formulary + 1, "plan-formulary-differs",
                        "plan \(id) names formulary \(f[formulary]) here and \(known.formulary) on line \(known.line); the first is kept",
                        row.text)
                }
                continue
            }
            plans[id] = Plan(
                id: id, name: f[planName], contractName: f[contractName], formulary: f[formulary], line: row.line)
            order.append(id)
        }
        for id in order {
            guard let plan = plans[id] else { continue }
            if !formulariesWritten.contains(plan.formulary) {
                report.warn(
                    path, plan.line, formulary + 1, "unknown-formulary",
                    "plan \(id) names formulary \(plan.formulary), which no basic drugs formulary file given has", "")
            }
            try output.write(payerPlan(plan))
            report.wrote("InsurancePlan")
        }
    }
}
