import VigorCoaching

/// The exercise catalogue as the offline coach reads it: which catalogue exercise a
/// message names, and which ones suit a profile.
enum CoachCatalog {
    static let catalog = ExerciseCatalog.standard

    /// Normalised names (display name and id in words) with their exercise, longest first.
    static let names: [(name: String, exercise: Exercise)] = {
        var out: [(String, Exercise)] = []
        for exercise in catalog.exercises {
            let display = CoachText.words(ofNormalized: CoachText.normalize(exercise.name)).joined(separator: " ")
            let id = exercise.id.replacingOccurrences(of: "_", with: " ")
            for name in [display, id] where !out.contains(where: { $0.0 == name }) { out.append((name, exercise)) }
        }
        return out.enumerated().sorted { lhs, rhs in
            lhs.element.0.count != rhs.element.0.count ? lhs.element.0.count > rhs.element.0.count : lhs.offset < rhs.offset
        }.map(\.element)
    }()

    /// Words people use for a piece of kit, rewritten to the catalogue's words.
    private static let synonyms: [(String, String)] = [
        (" trx ", " suspension "), (" rings ", " suspension "), (" kb ", " kettlebell "), (" db ", " dumbbell "),
        (" resistance band ", " band "), (" resistance bands ", " band "), (" pushup ", " push up "), (" pushups ", " push ups "),
        (" situps ", " crunches "), (" sit ups ", " crunches "), (" situp ", " crunch "), (" sit up ", " crunch "),
        (" pullup ", " pull up "), (" pullups ", " pull ups "), (" chinup ", " chin up "), (" chinups ", " chin ups "),
    ]

    /// The catalogue exercise a normalised message names, with the length of the name
    /// matched (the longest name wins; ties go to catalogue order).
    static func detect(in padded: String) -> (exercise: Exercise, length: Int)? {
        var text = padded
        for (from, to) in synonyms { text = text.replacingOccurrences(of: from, with: to) }
        for entry in names where CoachText.contains(text, entry.name) {
            return (entry.exercise, entry.name.count)
        }
        return nil
    }

    /// The tags of `exercise` that the profile's injuries or pregnancy rule out.
    static func conflicts(_ exercise: Exercise, profile: CoachProfile?) -> [ContraindicationTag] {
        guard let profile else { return [] }
        var avoided = profile.avoidedTags
        if profile.pregnant { avoided.formUnion([.supine, .spinalLoading, .plyometric, .highImpact, .inverted]) }
        return exercise.conflicts(with: avoided)
    }

    /// The first catalogue substitution (or, failing that, an exercise of the same pattern
    /// and level or below) the profile can do with its equipment and without a conflict.
    static func alternative(to exercise: Exercise, profile: CoachProfile?) -> Exercise? {
        let domain = profile?.fitnessProfile
        let kit = domain?.availableEquipment ?? [.bodyOnly]
        let level = domain?.fitnessLevel ?? .beginner
        func suits(_ other: Exercise) -> Bool {
            other.id != exercise.id && other.isDoable(with: kit) && other.level <= level
                && conflicts(other, profile: profile).isEmpty
        }
        let listed = exercise.substitutions.compactMap { catalog[$0] }
        return listed.first(where: suits)
            ?? catalog.exercises.first {
                $0.pattern == exercise.pattern && suits($0)
                    && Set($0.primaryMuscles).intersection(exercise.primaryMuscles).count > 0
            }
            ?? catalog.exercises.first { $0.pattern == exercise.pattern && suits($0) }
    }
}
