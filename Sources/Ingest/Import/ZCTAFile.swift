import Foundation
import Ingest

/// The ZIP code points (`Data/geo/zcta-2023.csv`: `zcta,lat,lon`) a build loads into the
/// index's `zcta` table, checked row by row: a bad row is a warning with its file and line,
/// and is left out.
struct ZCTAFile {
    struct Point {
        var zcta: String
        var latitude: Double
        var longitude: Double
    }

    var points: [Point] = []
    var issues: [SourceIssue] = []

    static let header = "zcta,lat,lon"

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `path`; throws when the file cannot be read or is not this CSV at all.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable(description: "cannot read the ZCTA file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        guard let first = lines.next(), first.trimmingCharacters(in: .whitespacesAndNewlines) == Self.header else {
            throw Unreadable(description: "\(path) does not start with the header \(Self.header)")
        }
        var number = 1
        var seen = Set<String>()
        while let line = lines.next() {
            number += 1
            let row = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if row.isEmpty { continue }
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            func reject(_ reason: String) {
                issues.append(
                    SourceIssue(
                        severity: .warning, file: path, line: number, reason: "\(reason): \(row.prefix(80))",
                        kind: "zcta"))
            }
            guard fields.count == 3 else {
                reject("expected zcta,lat,lon")
                continue
            }
            let zcta = String(fields[0])
            guard zcta.utf8.count == 5, zcta.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                reject("a ZCTA is five digits")
                continue
            }
            guard let latitude = Double(fields[1]), let longitude = Double(fields[2]),
                (-90...90).contains(latitude), (-180...180).contains(longitude)
            else {
                reject("latitude must be within ±90 and longitude within ±180")
                continue
            }
            guard seen.insert(zcta).inserted else {
                reject("ZCTA \(zcta) appears twice; the first is kept")
                continue
            }
            points.append(Point(zcta: zcta, latitude: latitude, longitude: longitude))
        }
    }
}
