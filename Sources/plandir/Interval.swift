import ArgumentParser

/// A length of time on the command line: a number and a unit, `90d`, `12h`, `30m`, `45s`
/// (`0` alone means none).
struct Interval: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    var duration: Duration
    var description: String

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "0" {
            self.duration = .zero
            self.description = "0"
            return
        }
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "d": seconds = 86_400
        case "h": seconds = 3_600
        case "m": seconds = 60
        case "s": seconds = 1
        default: return nil
        }
        guard count <= Int64.max / seconds / 1000 else { return nil }
        self.duration = .seconds(count * seconds)
        self.description = text
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
