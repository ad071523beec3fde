import FHIRCore
import Foundation
import Logging
import SearchParameters
import Storage
import Synchronization

/// The index being served. When the file at its path is replaced (a new build renamed into
/// place), `reloadIfChanged` opens the new file and swaps it in; requests already running keep
/// the snapshot they started with.
public final class IndexHolder: Sendable {
    /// One open index and what the server derives from it once.
    public struct Snapshot: Sendable {
        public let index: DirectoryIndex
        /// The build time, for `Last-Modified` on searches.
        public let builtAtMillis: Int64
        let file: FileIdentity?

        /// The CapabilityStatement, with `implementation.url` the absolute base the request
        /// sees (R4 requires an absolute URL there). Made on a response-cache miss only.
        public func capabilityStatement(base: String) -> [UInt8] {
            JSONWriter.encode(
                CapabilityStatementBuilder.build(
                    registry: index.registry, base: base, version: plandirVersion, builtAt: index.builtAt))
        }
    }

    struct FileIdentity: Equatable {
        var inode: UInt64
        var size: UInt64
        var modified: Date

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
                let size = (attributes[.size] as? NSNumber)?.uint64Value,
                let modified = attributes[.modificationDate] as? Date
            else { return nil }
            self.inode = inode
            self.size = size
            self.modified = modified
        }
    }

    private let state: Mutex<Snapshot>

    public init(index: DirectoryIndex) {
        self.state = Mutex(Self.snapshot(index))
    }

    public var current: Snapshot { state.withLock { $0 } }

    static func snapshot(_ index: DirectoryIndex) -> Snapshot {
        Snapshot(
            index: index, builtAtMillis: DateRange(fhir: index.builtAt)?.low ?? 0, file: FileIdentity(path: index.path))
    }

    /// Opens the file again if it is not the one being served; returns whether it swapped.
    /// A file that cannot be opened leaves the current index in place (and throws).
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        let served = current
        guard let now = FileIdentity(path: served.index.path), now != served.file else { return false }
        let index = try DirectoryIndex(path: served.index.path, registry: served.index.registry)
        let next = Self.snapshot(index)
        state.withLock { $0 = next }
        return true
    }
}
