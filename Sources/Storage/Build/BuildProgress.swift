import Foundation

/// The named phases of an index build, in the order they run.
public enum BuildPhase: String, Sendable, CaseIterable {
    /// Read, parse, validate and extract every record (on every core); append the resource
    /// bytes and their search values in input order.
    case stage
    /// Sort the records by (type, id), drop superseded duplicates and number the rest.
    case number
    /// Copy the search values into their tables in key order, under the final numbers.
    case load
    /// Build the secondary indexes from the loaded tables.
    case index
    /// With `--previous`: record the resources it had and this build lacks as deleted, and
    /// carry its deletions that are still in their window.
    case deletions
    /// Report references to resources that are not in the input.
    case references
    /// Fill the full-text indexes: words for `_content`, trigrams for `:contains`.
    case content
    /// Gather planner statistics and merge the full-text index.
    case analyze
    /// Rename the finished file into place.
    case publish
}

/// Where a build is, for a progress line.
public struct BuildProgress: Sendable {
    public var phase: BuildPhase
    /// What the phase is doing now (a table or index name), if more than its name says.
    public var step: String?
    /// Records read so far (in `stage`) or items done (in other phases).
    public var done: Int
    /// Input bytes read and their total, for an estimate of the time left in `stage`.
    public var bytesRead: Int64
    public var bytesTotal: Int64
    /// Seconds since the build started, and since this phase started.
    public var elapsed: Double
    public var phaseElapsed: Double

    /// Seconds left in `stage` at its rate so far, once there is a rate to go by.
    public var stageSecondsLeft: Double? {
        guard phase == .stage, bytesRead > 0, bytesTotal > bytesRead, phaseElapsed > 1 else { return nil }
        return phaseElapsed * Double(bytesTotal - bytesRead) / Double(bytesRead)
    }
}
