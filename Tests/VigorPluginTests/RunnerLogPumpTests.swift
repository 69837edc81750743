import Logging
import Testing

@testable import VigorPluginLoader

/// How a runner's stderr line becomes a host log record.
@Suite("Runner log lines")
struct RunnerLogPumpTests {
    @Test("a swift-log line from the runner keeps its level; its text is the message")
    func runnerLogLine() {
        let (level, message) = RunnerLogPump.parse(
            "2026-12-03T22:00:00+0000 error vigor.plugin-runner : pid=42 plugin=x plugin runner: broken frame")
        #expect(level == .error)
        #expect(message == "vigor.plugin-runner : pid=42 plugin=x plugin runner: broken frame")
    }

    @Test("anything else a plugin prints is a notice, kept whole", arguments: ["hello from C", "error: not a log line", "T error"])
    func plainOutput(line: String) {
        let (level, message) = RunnerLogPump.parse(line)
        #expect(level == .notice)
        #expect(message == line)
    }
}
