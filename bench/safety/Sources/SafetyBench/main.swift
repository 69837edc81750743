// Times SafetyScreen.standard.assess on representative messages: median and p90 ns per call
// over 15 rounds of N calls (N=100 000 by default, SAFETY_BENCH_N to change), after a warm-up;
// the 100 KB messages over 5 rounds of N/10 000 calls (at least 2). SAFETY_BENCH_ONLY=<name prefix>
// runs only the matching messages (for perf).
import Foundation
import VigorCoaching

let iterations = Int(ProcessInfo.processInfo.environment["SAFETY_BENCH_N"] ?? "") ?? 100_000

func hostile100KB() -> String {
    let pieces = ["e\u{301}\u{302}\u{303}", "שלום ", "🏋️‍♀️", "supercalifragilistic", "ﷺ", " \u{200F}x\u{200E} ", "Ａ", ". "]
    var text = ""
    var index = 0
    while text.utf8.count < 100_000 {
        text += pieces[index % pieces.count]
        index += 1
    }
    return text
}

let benign100KB = String(repeating: "Plan a simple beginner workout with squats and rows. ", count: 1_900)
let messages: [(name: String, text: String, n: Int)] = [
    ("bench prompt", "Plan a 3-day beginner workout", iterations),
    ("short greeting", "hello, give me a short tip", iterations),
    (
        "benign, longer",
        "Hi! I'm 34 and want to get stronger. Can you build me a 4 day split with squats, rows and presses? I have dumbbells at home.",
        iterations
    ),
    ("red flag", "I get chest pain when I run", iterations),
    ("condition + goal", "I'm pregnant and want to lose 5 kg in 2 weeks", iterations),
    ("100 KB benign", benign100KB, max(2, iterations / 10_000)),
    ("100 KB hostile Unicode", hostile100KB(), max(2, iterations / 10_000)),
    ("100 KB one word", String(repeating: "a", count: 100_000), max(2, iterations / 10_000)),
]

let screen = SafetyScreen.standard
var sink = 0
print("message | ns/call median | p90 | calls/round | escalates")
print("---|---|---|---|---")
let only = ProcessInfo.processInfo.environment["SAFETY_BENCH_ONLY"]
for (name, text, n) in messages where only.map({ name.hasPrefix($0) }) ?? true {
    let rounds = n == iterations ? 15 : 5
    for _ in 0..<max(1, n / 10) { sink &+= screen.assess(text).redFlags.count }
    var perCall: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n { sink &+= screen.assess(text).conditions.count }
        perCall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n))
    }
    perCall.sort()
    let median = perCall[rounds / 2]
    let p90 = perCall[rounds * 9 / 10]
    print("\(name) | \(String(format: "%.0f", median)) | \(String(format: "%.0f", p90)) | \(n) | \(screen.assess(text).escalates)")
}
if sink == 42 { print("") }
