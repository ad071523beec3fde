import Foundation
import SearchParameters
import Storage

/// Any bytes as an index file, through the open-and-validate step a server runs before it
/// serves a file: the file opens and validates, or is refused with an error, never a trap.
public enum IndexFileFuzzing {
    static let registry = try! SearchParameterRegistry.bundled()
    static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("plandir-fuzz-index-\(ProcessInfo.processInfo.processIdentifier).sqlite").path

    public enum Outcome: Equatable {
        case served
        case refused(String)
    }

    /// Opens and validates `bytes` written to a scratch file.
    public static func check(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            return .refused("cannot write \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let index = try DirectoryIndex(path: path, registry: registry)
            try index.validate(structure: true)
            return .served
        } catch {
            return .refused("\(error)")
        }
    }
}
