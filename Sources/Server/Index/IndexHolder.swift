import FHIRCore
import Foundation
import Logging
import SearchParameters
import Storage
import Synchronization

/// The index being served, and the ones it replaced while their links are still honoured.
///
/// When the file at its path is replaced (a new build renamed into place), `reload` opens the
/// new file, validates it, and only then swaps it in; requests already running keep the
/// snapshot they started with. The replaced snapshot stays open for `linkGrace`, so a `next`
/// link minted on it is answered from the same data; after that such a link is 410 Gone.
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

    /// What one `reload` did.
    public enum ReloadOutcome: Sendable, Equatable {
        /// The file is the one being served (or one already refused).
        case unchanged
        case swapped(version: String)
        case refused(reason: String)
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

    private struct State {
        var current: Snapshot
        /// Replaced snapshots, newest first, each until its grace ends.
        var retired: [(snapshot: Snapshot, until: ContinuousClock.Instant)] = []
        /// The last file refused, so a bad file is validated once, not at every poll.
        var refused: FileIdentity?
    }

    /// Replaced indexes kept open at most: each holds a pool of readers.
    static let maximumRetired = 3

    private let state: Mutex<State>
    let linkGrace: Duration
    private let reloading = Mutex(false)

    public init(index: DirectoryIndex, linkGrace: Duration = .seconds(600)) {
        self.state = Mutex(State(current: Self.snapshot(index, file: FileIdentity(path: index.path))))
        self.linkGrace = linkGrace
    }

    public var current: Snapshot { state.withLock { $0.current } }

    /// The snapshot a page link minted on index `version` is answered from: the current one,
    /// or a replaced one within its grace; nil once the grace is over.
    public func snapshot(forVersion version: String) -> Snapshot? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if state.current.index.version == version { return state.current }
            state.retired.removeAll { $0.until <= now }
            return state.retired.first { $0.snapshot.index.version == version }?.snapshot
        }
    }

    static func snapshot(_ index: DirectoryIndex, file: FileIdentity?) -> Snapshot {
        Snapshot(index: index, builtAtMillis: DateRange(fhir: index.builtAt)?.low ?? 0, file: file)
    }

    /// Opens the file at the served path if it is not the one being served, validates it
    /// (`DirectoryIndex.validate`: format and registry on opening, then `quick_check` when
    /// `structure`, counts against the file's own table, one read per type), and swaps it in.
    /// A file that fails leaves the current index serving and is not tried again until it
    /// changes. Blocking: call it off the cooperative pool.
    public func reload(structure: Bool = true) -> ReloadOutcome {
        // One reload at a time: a poll and a SIGHUP at once would validate the file twice.
        let claimed = reloading.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard claimed else { return .unchanged }
        defer { reloading.withLock { $0 = false } }
        let served = current
        let path = served.index.path
        let (known, refused) = state.withLock { ($0.current.file, $0.refused) }
        guard let now = FileIdentity(path: path), now != known, now != refused else { return .unchanged }
        do {
            let index = try DirectoryIndex(path: path, registry: served.index.registry)
            try index.validate(structure: structure)
            // The identity seen before opening: a file renamed in meanwhile is noticed next time.
            let next = Self.snapshot(index, file: now)
            let until = ContinuousClock.now.advanced(by: linkGrace)
            state.withLock { state in
                state.retired.insert((state.current, until), at: 0)
                state.retired = Array(state.retired.prefix(Self.maximumRetired))
                state.current = next
                state.refused = nil
            }
            return .swapped(version: index.version)
        } catch {
            state.withLock { $0.refused = now }
            return .refused(reason: "\(error)")
        }
    }
}
