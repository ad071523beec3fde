import ArgumentParser
import Foundation
import Ingest

/// `plandir import KIND INPUT... --output DIR`: source files a plan already has, as NDJSON that
/// `plandir index` reads.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert CMS source files into Plan-Net and Formulary NDJSON.",
        subcommands: [NPPESImportCommand.self, PartDImportCommand.self, QHPImportCommand.self]
    )
}

/// What every importer takes: where to write, where to report, and whether a rejection fails.
struct ImportOptions: ParsableArguments {
    @Option(help: "Folder for the NDJSON files, one per resource type.")
    var output: String

    @Option(help: "The report: one JSON line per rejected row, then counts (default OUTPUT/import-report.jsonl).")
    var report: String?

    @Flag(help: "Exit non-zero when any row is rejected.")
    var strict = false

    /// Runs one import into `--output`: on success the report is written and summed up; on
    /// failure the partial files go and an input problem is a usage error.
    func run(_ body: (NDJSONOutput) throws -> ImportReport) throws {
        let output = try NDJSONOutput(folder: self.output)
        let report: ImportReport
        do {
            report = try body(output)
        } catch let error as ImportError {
            output.discard()
            throw ValidationError(error.description)
        } catch {
            output.discard()
            throw error
        }
        try finish(report)
    }

    /// Fails validation naming the first of `paths` that is not a file.
    static func requireFiles(_ paths: [String]) throws {
        if let missing = paths.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            throw ValidationError("no file at \(missing)")
        }
    }

    func finish(_ report: ImportReport) throws {
        let path = self.report ?? URL(fileURLWithPath: output).appendingPathComponent("import-report.jsonl").path
        try report.write(to: path)
        let written = report.written.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let rejected = report.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(
            "wrote \(written.isEmpty ? "nothing" : written); \(report.rejectedTotal) rejected"
                + (rejected.isEmpty ? "" : " (\(rejected))") + ", \(report.warningTotal) warnings; report: \(path)")
        if strict && report.rejectedTotal > 0 { throw ExitCode.failure }
    }
}

struct NPPESImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nppes",
        abstract: "The NPPES NPI file (npidata_pfile_*.csv) and its secondary locations (pl_pfile_*.csv).")

    @Argument(help: "npidata_pfile and pl_pfile CSV files (told apart by name).")
    var inputs: [String]

    @OptionGroup var common: ImportOptions

    @Option(help: "Network name: the rostered NPIs get a PractitionerRole (or OrganizationAffiliation) in it.")
    var network: String?

    @Option(help: "The payer that owns the network (default: the network's name).")
    var payer: String?

    @Option(help: "CSV of the NPIs in --network (first column).")
    var roster: String?

    @Option(help: "Keep providers whose practice location is in this state (repeatable).")
    var state: [String] = []

    @Option(help: "Keep providers with this taxonomy code or prefix (repeatable).")
    var taxonomy: [String] = []

    @Option(help: "ZIP code points for Location.position (default Data/geo/zcta-2023.csv).")
    var zcta: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one npidata_pfile CSV") }
        try ImportOptions.requireFiles(inputs)
        if (network == nil) != (roster == nil) { throw ValidationError("--network and --roster go together") }
        if let zcta, !FileManager.default.fileExists(atPath: zcta) {
            throw ValidationError("--zcta: no file at \(zcta)")
        }
        if let bad = state.first(where: { $0.count != 2 }) {
            throw ValidationError("--state takes two-letter codes, not '\(bad)'")
        }
    }

    func run() throws {
        var options = NPPESImporter.Options()
        options.network = network
        options.payer = payer
        options.roster = roster
        options.states = Set(state.map { $0.uppercased() })
        options.taxonomies = taxonomy
        if let path = zcta ?? IndexCommand.defaultZCTA() {
            options.zcta = try ZCTAFile(path: path).byZCTA
        }
        try common.run {
            var importer = try NPPESImporter(options: options, output: $0)
            return try importer.run(inputs: inputs)
        }
    }
}

struct PartDImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partd",
        abstract: "A Part D formulary release: the plan information and basic drugs formulary files.")

    @Argument(help: "Pipe-delimited files with headers, told apart by their header.")
    var inputs: [String]

    @OptionGroup var common: ImportOptions

    @Option(help: "Tier numbers to DrugTierCS codes: 1=preferred-generic,2=generic,… (unmapped tiers are reported).")
    var tierMap: String?

    @Option(help: "RxNorm RXNCONSO.RRF, for drug names (SAB=RXNORM, TTY SCD, SBD, GPCK, BPCK).")
    var rxnorm: String?

    @Option(help: "PharmacyBenefitTypeCS codes every item gets (the files do not say), comma-separated.")
    var pharmacyTypes = "1-month-in-retail,3-month-in-mail"

    func validate() throws {
        guard !inputs.isEmpty else {
            throw ValidationError("give the plan information and basic drugs formulary files")
        }
        try ImportOptions.requireFiles(inputs + [rxnorm].compactMap { $0 })
        if let tierMap {
            do { _ = try PartDImporter.tierMap(tierMap) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        var options = PartDImporter.Options()
        options.tiers = try tierMap.map(PartDImporter.tierMap) ?? [:]
        options.rxnorm = rxnorm
        options.pharmacyTypes = pharmacyTypes.split(separator: ",").map(String.init)
        try common.run {
            var importer = PartDImporter(options: options, output: $0)
            return try importer.run(inputs: inputs)
        }
    }
}

struct QHPImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qhp",
        abstract: "Marketplace QHP JSON: cms-data-index.json, or plans, providers and drugs files.")

    @Argument(help: "cms-data-index.json (its URLs name files beside it), or the JSON files themselves.")
    var inputs: [String]

    @OptionGroup var common: ImportOptions

    func validate() throws {
        guard !inputs.isEmpty else {
            throw ValidationError("give cms-data-index.json or the plans, providers and drugs files")
        }
        try ImportOptions.requireFiles(inputs)
    }

    func run() throws {
        try common.run {
            var importer = QHPImporter(output: $0)
            return try importer.run(inputs: inputs)
        }
    }
}
