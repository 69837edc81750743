extension ExerciseCatalog {
    /// Fewest exercises the standard catalogue keeps for each equipment kind a person may
    /// own alone, so a profile with only that kind still gets varied sessions.
    public static let minimumPerEquipment: [Equipment: Int] = [
        .bands: 12, .kettlebell: 12, .suspension: 12, .cardioMachine: 8,
    ]
    /// Fewest exercises for every other equipment kind.
    public static let minimumForAnyEquipment = 5

    /// Every problem with the catalogue's entries, described; empty when it is sound.
    ///
    /// Checks each entry: a name, instructions, primary muscles and equipment present;
    /// body weight never mixed with other equipment; cardio and mobility dosed by time;
    /// at least three form cues (its own or derived), none blank; every substitution an
    /// existing id other than its own, of the same pattern or sharing a primary muscle.
    /// And the catalogue: enough exercises for every equipment kind (see
    /// ``minimumPerEquipment`` and ``minimumForAnyEquipment``).
    public func problems() -> [String] {
        var problems: [String] = []
        for exercise in exercises {
            let id = exercise.id
            if exercise.name.allSatisfy(\.isWhitespace) { problems.append("\(id): no name") }
            if exercise.instructions.allSatisfy(\.isWhitespace) { problems.append("\(id): no instructions") }
            if exercise.primaryMuscles.isEmpty { problems.append("\(id): no primary muscles") }
            if exercise.equipment.isEmpty { problems.append("\(id): no equipment") }
            if exercise.equipment.contains(.bodyOnly) && exercise.equipment.count > 1 {
                problems.append("\(id): body_only mixed with other equipment")
            }
            if !exercise.pattern.isResistance && exercise.measure != .time {
                problems.append("\(id): \(exercise.pattern.rawValue) must be dosed by time")
            }
            let cues = exercise.cues
            if cues.count < 3 || cues.contains(where: { $0.allSatisfy(\.isWhitespace) }) {
                problems.append("\(id): needs at least three form cues")
            }
            for substitute in exercise.substitutions {
                guard substitute != id else {
                    problems.append("\(id): lists itself as a substitution")
                    continue
                }
                guard let other = self[substitute] else {
                    problems.append("\(id): substitution '\(substitute)' is not in the catalogue")
                    continue
                }
                if other.pattern != exercise.pattern && Set(other.primaryMuscles).isDisjoint(with: exercise.primaryMuscles) {
                    problems.append("\(id): substitution '\(substitute)' trains neither the same pattern nor the same muscles")
                }
            }
        }
        for piece in Equipment.allCases where piece != .bodyOnly {
            let count = exercises.filter { $0.equipment.contains(piece) }.count
            let minimum = Self.minimumPerEquipment[piece] ?? Self.minimumForAnyEquipment
            if count < minimum { problems.append("\(piece.rawValue): \(count) exercises, fewer than \(minimum)") }
        }
        return problems
    }
}
