import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The temporary files of one build, named after the output and the building process so that
/// a later build can tell an abandoned file (its process is gone) from a live one.
///
///     .NAME.building-PID-TOKEN        the index being written
///     .NAME.staging-PID-TOKEN-PART    staged records and values, deleted as they are used
struct BuildFiles {
    let output: URL
    let folder: URL
    let token: String

    init(output: String) {
        self.output = URL(fileURLWithPath: output).standardizedFileURL
        self.folder = self.output.deletingLastPathComponent()
        self.token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    var building: URL { folder.appendingPathComponent(".\(output.lastPathComponent).building-\(token)") }

    func staging(_ part: String) -> URL {
        folder.appendingPathComponent(".\(output.lastPathComponent).staging-\(token)-\(part)")
    }

    /// Removes what builds of the same output left behind when they were killed: files whose
    /// process no longer runs. Returns the paths removed.
    @discardableResult
    func removeAbandoned() -> [String] {
        let name = output.lastPathComponent
        let prefixes = [".\(name).building-", ".\(name).staging-"]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for entry in entries {
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }) else { continue }
            let rest = entry.dropFirst(prefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }) else { continue }
            if pid == getpid() || Self.isRunning(pid) { continue }
            let path = folder.appendingPathComponent(entry).path
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// Every temporary file of the builds in this process, so a signal handler can remove them
/// before the process exits.
public enum BuildCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []

    static func track(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    static func untrack(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// Runs `body`, which creates temporary files, unless the process is exiting: then it
    /// waits for the exit, so no file appears after the cleanup removed the others.
    static func creating<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Deletes every tracked file and keeps the lock, so no build creates another before the
    /// process exits; for a signal handler that exits right after.
    public static func removeAllBeforeExit() {
        lock.lock()
        for path in paths { unlink(path) }
        paths = []
    }
}
