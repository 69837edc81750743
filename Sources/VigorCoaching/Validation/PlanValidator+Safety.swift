extension PlanValidator {
    /// Words that make a medical claim when a plan uses them about itself.
    static let claimWords: Set<String> = [
        "cure", "cures", "cured", "curing", "heal", "heals", "healed", "healing",
        "diagnose", "diagnoses", "diagnosis", "treats", "treatment", "therapeutic", "guaranteed",
    ]

    /// Rule 10: a positive health screen (PAR-Q "yes", pregnancy, or age 70+ and inactive)
    /// needs a "medical clearance" note and low intensity (RPE ≤ 6, no kg targets);
    /// every plan carries a disclaimer saying it is not medical advice, and no text
    /// outside the disclaimer makes a medical claim.
    static func checkHealthAndDisclaimer(
        _ plan: WorkoutPlan, uses: [ExerciseUse], words: [String: [String]], profile: FitnessProfile,
        into report: inout ViolationReport
    ) {
        if profile.needsMedicalClearance {
            if !plan.safetyNotes.contains(where: { $0.lowercased().contains("medical clearance") }) {
                report.add(
                    10, PlanViolation.Code.medicalClearanceNote,
                    "the health screen asks for medical clearance but no safety note says so")
            }
            for use in uses where !isLowIntensity(use.exercise.load) {
                report.add(
                    10, PlanViolation.Code.highIntensity,
                    "'\(use.exercise.exerciseID)' (\(use.place)) is above RPE 6, which the health screen calls for",
                    key: use.exercise.exerciseID)
            }
        }
        if !plan.disclaimer.lowercased().contains("not medical advice") {
            report.add(
                10, PlanViolation.Code.missingDisclaimer,
                "the plan's disclaimer must say it is general fitness guidance, not medical advice")
        }
        for text in plainTexts(plan) {
            let scanned = words[text] ?? TextScan.words(in: text)
            guard let word = scanned.first(where: claimWords.contains) else { continue }
            report.add(10, PlanViolation.Code.medicalClaim, "the plan makes a medical claim ('\(word)'): \(text)", key: word)
        }
    }

    /// Whether a load is low intensity: body weight, or RPE at most ``clearanceMaxRPE``.
    static func isLowIntensity(_ load: Load) -> Bool {
        switch load.type {
        case .bodyweight: true
        case .kg: false
        case .rpe: (load.value ?? .infinity) <= clearanceMaxRPE
        }
    }

    /// The plan's own texts, disclaimer excepted, each once, in a stable order.
    static func plainTexts(_ plan: WorkoutPlan) -> [String] {
        var texts = [plan.title, plan.summary, plan.progression.description] + plan.safetyNotes
        texts += plan.adjustments.flatMap { [$0.what, $0.why] }
        for session in plan.allSessions {
            texts.append(session.name)
            texts += session.exercises.map(\.instructions)
        }
        var seen: Set<String> = []
        return texts.filter { seen.insert($0).inserted }
    }
}
