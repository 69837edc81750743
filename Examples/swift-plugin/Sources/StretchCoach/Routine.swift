/// A short stretching routine for one body area.
struct Routine: Sendable {
    var area: String
    var keywords: [String]
    var stretches: [String]

    /// The answer text: the routine, then the rules that always apply.
    var answer: String {
        "For your \(area): " + stretches.joined(separator: "; ") + ". "
            + "Hold each stretch 20 to 30 seconds, breathe slowly, never bounce, and stop if it hurts rather than pulls."
    }

    /// The routine whose keywords occur in `question` (earliest in the table wins), else the full-body one.
    static func matching(_ question: String) -> Routine {
        let text = question.lowercased()
        return all.first { $0.keywords.contains { text.contains($0) } } ?? fullBody
    }

    static let all: [Routine] = [
        Routine(
            area: "hamstrings", keywords: ["hamstring", "back of my thigh", "toe touch"],
            stretches: ["standing hamstring stretch with a flat back", "lying strap stretch", "seated single-leg reach"]),
        Routine(
            area: "hips", keywords: ["hip", "glute", "piriformis"],
            stretches: ["90/90 hip switch", "half-kneeling hip flexor stretch", "figure-four glute stretch"]),
        Routine(
            area: "shoulders and chest", keywords: ["shoulder", "chest", "pec"],
            stretches: ["doorway chest stretch", "cross-body shoulder stretch", "thread the needle"]),
        Routine(
            area: "lower back", keywords: ["lower back", "spine", "back"],
            stretches: ["cat-cow", "child's pose", "supine knee-to-chest"]),
        Routine(
            area: "calves and ankles", keywords: ["calf", "calves", "ankle", "achilles"],
            stretches: ["wall calf stretch with a straight knee", "the same with a bent knee", "kneeling ankle rocks"]),
        Routine(
            area: "neck", keywords: ["neck", "trap"],
            stretches: ["chin tucks", "ear-to-shoulder side stretch", "levator scapulae stretch"]),
    ]

    static let fullBody = Routine(
        area: "whole body", keywords: [],
        stretches: ["cat-cow", "world's greatest stretch", "standing hamstring stretch", "doorway chest stretch"])
}
