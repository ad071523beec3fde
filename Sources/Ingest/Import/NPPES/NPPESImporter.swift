import FHIRCore
import Foundation

/// `plandir import nppes`: the NPPES NPI file (`npidata_pfile_*.csv`, V1 or V2) and its
/// secondary practice locations (`pl_pfile_*.csv`) as Plan-Net NDJSON, a row at a time.
///
/// - Entity type 1 is a Practitioner, 2 an Organization (`npi-<NPI>`); the practice address is
///   a Location (`npi-<NPI>-loc-1`), placed at its ZIP code's ZCTA point, and each `pl_pfile` row
///   adds one more (`-loc-2`, …). The mailing address is ignored.
/// - NPPES knows no networks: with `network` and a roster, each rostered practitioner gets a
///   PractitionerRole per location in that network (specialties from its taxonomies, the primary
///   first), and each rostered organization an OrganizationAffiliation.
/// - Ids, order and bytes follow the input, so the same files give the same output.
public struct NPPESImporter {
    public struct Options: Sendable {
        public var network: String?
        public var payer: String?
        public var roster: String?
        public var states: Set<String> = []
        /// Taxonomy codes or prefixes (`207R`): a provider with none of them is left out.
        public var taxonomies: [String] = []
        public var zcta: [String: (latitude: Double, longitude: Double)] = [:]

        public init() {}
    }

    static let planNet = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/"
    static let npiSystem = "http://hl7.org/fhir/sid/us-npi"
    static let nucc = "http://nucc.org/provider-taxonomy"

    let options: Options
    let output: NDJSONOutput
    public internal(set) var report = ImportReport()
    let networkSlug: String?
    /// Rostered NPIs, with the roster line each came from.
    var roster: [UInt64: Int] = [:]
    var rosterFound = Set<UInt64>()
    /// What the secondary locations of a rostered provider need: its entity type and specialties.
    var rostered: [UInt64: (organization: Bool, specialties: [String])] = [:]
    /// Every NPI written, sorted before the secondary locations are read: 8 bytes each, where a
    /// set would take four times that at 9 million providers.
    var written: [UInt64] = []
    /// The next location number of providers that have secondary locations (2 when absent).
    var nextLocation: [UInt64: Int] = [:]

    public init(options: Options, output: NDJSONOutput) throws {
        self.options = options
        self.output = output
        self.networkSlug = options.network.map(Self.slug)
        if let path = options.roster {
            guard options.network != nil else { throw ImportError("--roster needs --network") }
            var reader = try DelimitedReader(path: path)
            while let result = reader.read() {
                guard case .success(let row) = result,
                    let first = row.fields.first?.trimmingCharacters(in: .whitespaces)
                else { continue }
                guard let npi = UInt64(first), first.utf8.count == 10 else {
                    if row.line > 1 {
                        report.reject(path, row.line, 1, "roster-npi", "not a 10-digit NPI: '\(first)'", row.text)
                    }
                    continue
                }
                roster[npi] = roster[npi] ?? row.line
            }
        } else if options.network != nil {
            throw ImportError("--network needs --roster (the NPIs in the network)")
        }
    }

    static func slug(_ name: String) -> String {
        let lowered = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(lowered).split(separator: "-").joined(separator: "-")
    }

    /// Imports the main files, then the secondary location files, then reports rostered NPIs
    /// that no main file had.
    public mutating func run(inputs: [String]) throws -> ImportReport {
        let (locations, main) = inputs.reduce(into: ([String](), [String]())) { split, path in
            if Self.isSecondaryLocations(path) { split.0.append(path) } else { split.1.append(path) }
        }
        if let network = options.network, let slug = networkSlug { try writeNetwork(network, slug) }
        for path in main { try importMain(path) }
        written.sort()
        for path in locations { try importLocations(path) }
        for (npi, line) in roster.sorted(by: { $0.value < $1.value }) where !rosterFound.contains(npi) {
            report.reject(
                options.roster ?? "", line, 1, "roster-npi-missing",
                "NPI \(String(npi)) is on the roster but in no NPPES file given", String(npi))
        }
        try output.close()
        return report
    }

    static func isSecondaryLocations(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.lowercased().hasPrefix("pl_pfile")
    }

    // MARK: The main file

    struct Columns {
        var index: [String: Int]
        var count: Int

        init(_ header: [String]) {
            var index: [String: Int] = [:]
            for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
            self.index = index
            count = header.count
        }

        func require(_ name: String, in path: String) throws -> Int {
            guard let i = index[name] else { throw ImportError("\(path) has no column \"\(name)\"") }
            return i
        }
    }

    mutating func importMain(_ path: String) throws {
        var reader = try DelimitedReader(path: path)
        guard case .success(let header)? = reader.read() else { throw ImportError("\(path) has no header line") }
        let columns = Columns(header.fields)
        let c = try MainColumns(columns, path: path)
        while let result = reader.read() {
            guard let row = report.accept(result, columns: columns.count, path: path) else { continue }
            try importRow(row, c, path)
        }
    }

    mutating func importRow(_ row: DelimitedReader.Row, _ c: MainColumns, _ path: String) throws {
        let f = row.fields
        let npiText = f[c.npi]
        guard NPI.isValid(npiText), let npi = UInt64(npiText) else {
            report.reject(path, row.line, c.npi + 1, "invalid-npi", Self.npiProblem(npiText), row.text)
            return
        }
        for column in c.dates where !f[column].isEmpty {
            guard Self.instant(f[column]) != nil else {
                report.reject(
                    path, row.line, column + 1, "invalid-date", "'\(f[column])' is not a date in MM/DD/YYYY", row.text)
                return
            }
        }
        let entity = f[c.entityType]
        if entity.isEmpty && !f[c.deactivation].isEmpty && f[c.reactivation].isEmpty {
            report.note("skipped-deactivated")
            return
        }
        guard entity == "1" || entity == "2" else {
            report.reject(
                path, row.line, c.entityType + 1, "unknown-entity-type",
                "entity type '\(entity)' is neither 1 (individual) nor 2 (organization)", row.text)
            return
        }
        // Taxonomies, the primary one first.
        var codes: [(code: String, primary: Bool)] = []
        for (code, primary) in c.taxonomies where !f[code].isEmpty {
            codes.append((f[code], f[primary] == "Y"))
        }
        let primaries = codes.filter(\.primary).count
        if !codes.isEmpty && primaries != 1 {
            report.warn(
                path, row.line, c.taxonomies[0].switch + 1, "primary-taxonomy",
                primaries == 0
                    ? "no taxonomy is marked primary (Y); they are listed in file order"
                    : "\(primaries) taxonomies are marked primary; the first is listed first", row.text)
        }
        let ordered = Self.primaryFirst(codes).map(\.code)
        let state = f[c.state].uppercased()
        if !options.states.isEmpty && !options.states.contains(state) {
            report.note("filtered-state")
            return
        }
        if !options.taxonomies.isEmpty
            && !ordered.contains(where: { code in options.taxonomies.contains { code.hasPrefix($0) } })
        {
            report.note("filtered-taxonomy")
            return
        }
        let updated = Self.instant(f[c.lastUpdate]) ?? Self.instant(f[c.enumeration])
        let isOrganization = entity == "2"
        let id = "npi-\(npiText)"
        let name = isOrganization ? f[c.organizationName] : Self.personText(f, c)
        let address = PracticeAddress(
            line1: f[c.line1], line2: f[c.line2], city: f[c.city], state: state, postalCode: f[c.postalCode],
            phone: f[c.phone])
        if isOrganization {
            try output.write(organization(id, npiText, name, address, ordered, updated))
        } else {
            try output.write(practitioner(id, npiText, f, c, updated))
        }
        report.wrote(isOrganization ? "Organization" : "Practitioner")
        let locationID = "\(id)-loc-1"
        try writeLocation(
            locationID, address, name: isOrganization ? name : nil, organization: isOrganization ? id : nil, updated)
        written.append(npi)
        if roster[npi] != nil {
            rosterFound.insert(npi)
            rostered[npi] = (isOrganization, ordered)
            try writeMembership(
                npi: npiText, organization: isOrganization, specialties: ordered, location: locationID, index: 1,
                updated)
        }
    }

    static func primaryFirst(_ codes: [(code: String, primary: Bool)]) -> [(code: String, primary: Bool)] {
        guard let first = codes.firstIndex(where: \.primary) else { return codes }
        var ordered = [codes[first]]
        for (i, code) in codes.enumerated() where i != first { ordered.append(code) }
        return ordered
    }

    // MARK: Secondary practice locations

    mutating func importLocations(_ path: String) throws {
        var reader = try DelimitedReader(path: path)
        guard case .success(let header)? = reader.read() else { throw ImportError("\(path) has no header line") }
        let columns = Columns(header.fields)
        let prefix = "Provider Secondary Practice Location Address"
        let npiColumn = try columns.require("NPI", in: path)
        let line1 = try columns.require("\(prefix)- Address Line 1", in: path)
        let line2 = try columns.require("\(prefix)-  Address Line 2", in: path)
        let city = try columns.require("\(prefix) - City Name", in: path)
        let state = try columns.require("\(prefix) - State Name", in: path)
        let postal = try columns.require("\(prefix) - Postal Code", in: path)
        let phone = try columns.require("\(prefix) - Telephone Number", in: path)
        while let result = reader.read() {
            guard let row = report.accept(result, columns: columns.count, path: path) else { continue }
            let f = row.fields
            guard NPI.isValid(f[npiColumn]), let npi = UInt64(f[npiColumn]) else {
                report.reject(path, row.line, npiColumn + 1, "invalid-npi", Self.npiProblem(f[npiColumn]), row.text)
                continue
            }
            guard Self.contains(written, npi) else {
                report.note("secondary-location-without-provider")
                continue
            }
            let index = nextLocation[npi] ?? 2
            nextLocation[npi] = index + 1
            let id = "npi-\(f[npiColumn])-loc-\(index)"
            let address = PracticeAddress(
                line1: f[line1], line2: f[line2], city: f[city], state: f[state].uppercased(), postalCode: f[postal],
                phone: f[phone])
            let organization = rostered[npi]?.organization == true ? "npi-\(f[npiColumn])" : nil
            try writeLocation(id, address, name: nil, organization: organization, nil)
            if let member = rostered[npi] {
                try writeMembership(
                    npi: f[npiColumn], organization: member.organization, specialties: member.specialties, location: id,
                    index: index, nil)
            }
        }
    }

    static func contains(_ sorted: [UInt64], _ value: UInt64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    // MARK: Values

    static func npiProblem(_ text: String) -> String {
        text.utf8.count == 10 && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
            ? "'\(text)' fails the NPI check digit (Luhn, prefix 80840)" : "'\(text)' is not a 10-digit NPI"
    }

    /// `MM/DD/YYYY` as the instant that day starts, UTC.
    static func instant(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
            let month = Int(parts[0]), let day = Int(parts[1]), let year = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day), (1900...2200).contains(year)
        else { return nil }
        return "\(parts[2])-\(parts[0])-\(parts[1])T00:00:00Z"
    }

    static func personText(_ f: [String], _ c: MainColumns) -> String {
        var text = [f[c.prefix], f[c.first], f[c.middle], f[c.last]].filter { !$0.isEmpty }.joined(separator: " ")
        if !f[c.suffix].isEmpty { text += " \(f[c.suffix])" }
        return text
    }
}
