import Foundation
import Storage

/// Shows a long job's progress on stderr: a live line on a terminal, otherwise a log line every
/// few seconds (and at once when the job enters a new phase).
final class ProgressLine: @unchecked Sendable {
    private let live = isatty(STDERR_FILENO) == 1
    private var lastLogged = Date.distantPast
    private var lastPhase: String?
    private let interval: TimeInterval

    init(interval: TimeInterval = 5) {
        self.interval = interval
    }

    func show(_ progress: BuildProgress) {
        show(Self.describe(progress), phase: progress.phase.rawValue)
    }

    func show(_ text: String, phase: String) {
        if live {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else if phase != lastPhase || Date().timeIntervalSince(lastLogged) >= interval {
            lastLogged = Date()
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
        lastPhase = phase
    }

    /// Ends the live line so the summary starts on a line of its own.
    func finish() {
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func describe(_ p: BuildProgress) -> String {
        var parts = ["[\(format(p.elapsed))]", p.phase.rawValue + (p.step.map { " \($0)" } ?? "")]
        switch p.phase {
        case .stage:
            let rate = p.phaseElapsed > 0 ? Double(p.done) / p.phaseElapsed : 0
            parts.append("\(p.done) records")
            parts.append("\(Int(rate))/s")
            if p.bytesTotal > 0 {
                parts.append("\(p.bytesRead >> 20)/\(p.bytesTotal >> 20) MB (\(100 * p.bytesRead / p.bytesTotal)%)")
            }
            if let left = p.stageSecondsLeft { parts.append("ETA \(format(left))") }
        case .number:
            parts.append("\(p.done) resources")
        case .load, .index, .deletions, .references, .content, .analyze, .publish:
            parts.append(format(p.phaseElapsed))
        }
        return parts.joined(separator: "  ")
    }

    static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
