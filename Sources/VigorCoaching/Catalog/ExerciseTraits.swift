/// An exercise's equipment and tags as bit masks, so planners can filter a catalogue
/// with a few integer operations per exercise.
struct ExerciseTraits: Sendable, Equatable {
    /// Equipment needed, body weight left out (it is always available).
    let equipment: UInt32
    /// Contraindication tags carried.
    let tags: UInt32

    init(_ exercise: Exercise) {
        equipment = Equipment.mask(exercise.equipment.filter { $0 != .bodyOnly })
        tags = ContraindicationTag.mask(exercise.tags)
    }
}

/// A `CaseIterable` enum whose sets can be written as bit masks (at most 32 cases).
protocol BitMaskable: CaseIterable, Equatable {}

extension BitMaskable {
    /// One bit per value, by position in `allCases`.
    static func mask<S: Sequence>(_ values: S) -> UInt32 where S.Element == Self {
        let all = Array(allCases)
        var mask: UInt32 = 0
        for value in values {
            if let index = all.firstIndex(of: value) { mask |= 1 << UInt32(index) }
        }
        return mask
    }
}

extension Equipment: BitMaskable {}
extension ContraindicationTag: BitMaskable {}
