import Foundation

/// The ZIP code points (`Data/geo/zcta-2023.csv`: `zcta,lat,lon`) that a build loads into the
/// index's `zcta` table and `plandir import nppes` places Locations with, checked row by row:
/// a bad row is a warning with its file and line, and is left out.
public struct ZCTAFile: Sendable {
    public struct Point: Sendable {
        public var zcta: String
        public var latitude: Double
        public var longitude: Double
    }

    public var points: [Point] = []
    public var issues: [SourceIssue] = []

    static let header = "zcta,lat,lon"

    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path`; throws when the file cannot be read or is not this CSV at all.
    public init(path: String) throws {
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

    /// The points by ZCTA, as an importer looks them up (each ZCTA is in `points` once).
    public var byZCTA: [String: (latitude: Double, longitude: Double)] {
        Dictionary(uniqueKeysWithValues: points.map { ($0.zcta, (latitude: $0.latitude, longitude: $0.longitude)) })
    }
}
