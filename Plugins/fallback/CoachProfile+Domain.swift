import VigorCoaching

/// The lenient coach profile as the coaching domain's ``FitnessProfile``, so the offline
/// coach can build sessions from the catalogue and ask the safety screen.
extension CoachProfile {
    /// Equipment names people use, mapped to catalogue equipment (ids are normalised with
    /// underscores, as ``CoachProfile`` stores them).
    static let equipmentAliases: [(names: [String], equipment: [Equipment])] = [
        (["body_only", "bodyweight", "body_weight", "none", "no_equipment"], [.bodyOnly]),
        (["dumbbell", "dumbbells"], [.dumbbell]),
        (["barbell", "barbells"], [.barbell]),
        (["bench", "weight_bench"], [.bench]),
        (["rack", "squat_rack", "power_rack"], [.rack]),
        (["pullup_bar", "pull_up_bar", "pullupbar", "chin_up_bar", "chinup_bar"], [.pullupBar]),
        (["kettlebell", "kettlebells", "kettle_bell"], [.kettlebell]),
        (["cable", "cables", "cable_machine"], [.cable]),
        (["machine", "machines"], [.machine]),
        (["bands", "band", "resistance_bands", "resistance_band", "loop_bands", "mini_bands"], [.bands]),
        (["medicine_ball", "med_ball"], [.medicineBall]),
        (["foam_roll", "foam_roller"], [.foamRoll]),
        (["exercise_ball", "stability_ball", "swiss_ball"], [.exerciseBall]),
        (
            [
                "cardio_machine", "cardio_machines", "treadmill", "bike", "exercise_bike", "stationary_bike", "spin_bike",
                "rower", "rowing_machine", "elliptical", "cross_trainer", "stair_climber", "stepper",
            ], [.cardioMachine]
        ),
        (["suspension", "suspension_trainer", "suspension_straps", "trx", "rings", "gymnastic_rings"], [.suspension]),
        (["gym", "full_gym", "commercial_gym", "home_gym"], Equipment.allCases),
    ]

    /// Tags to keep away from an injured area when the profile names no tags itself.
    static func defaultAvoid(area: String) -> [ContraindicationTag] {
        let padded = CoachText.normalize(area)
        func has(_ word: String) -> Bool { CoachText.contains(padded, word) }
        if has("knee") || has("acl") || has("meniscus") || has("patella") { return [.deepKneeFlexion, .plyometric, .highImpact] }
        if has("back") || has("spine") || has("disc") || has("sciatica") { return [.spinalLoading, .spinalFlexion] }
        if has("shoulder") || has("rotator cuff") { return [.overhead, .shoulderRotation] }
        if has("wrist") || has("hand") { return [.wristExtension] }
        if has("ankle") || has("achilles") || has("foot") || has("shin") { return [.plyometric, .highImpact] }
        if has("neck") { return [.spinalLoading, .inverted, .overhead] }
        if has("hip") { return [.deepKneeFlexion, .plyometric] }
        if has("elbow") { return [.wristExtension] }
        return []
    }

    /// Every tag the injuries rule out: the profile's own tags, else those usual for the area.
    var avoidedTags: Set<ContraindicationTag> {
        var tags: Set<ContraindicationTag> = []
        for injury in injuries {
            let listed = injury.avoidIDs.compactMap(ContraindicationTag.init(rawValue:))
            tags.formUnion(listed.isEmpty ? Self.defaultAvoid(area: injury.area) : listed)
        }
        return tags
    }

    /// The profile in the domain's terms; a missing level counts as beginner (the safe side).
    var fitnessProfile: FitnessProfile {
        var kit: [Equipment] = []
        for id in equipment {
            for alias in Self.equipmentAliases where alias.names.contains(id) {
                for piece in alias.equipment where !kit.contains(piece) { kit.append(piece) }
            }
        }
        var goalList: [Goal] = []
        for goal in goals.compactMap(Goal.init(rawValue:)) where !goalList.contains(goal) { goalList.append(goal) }
        let tags = Array(avoidedTags).sorted { $0.rawValue < $1.rawValue }
        let injuryList = tags.isEmpty ? [] : [Injury(area: injuries.first?.area ?? "injury", avoid: tags)]
        let screen = HealthScreen(parqAnyYes: parqAnyYes, pregnant: pregnant, age: age, inactive: inactive)
        return FitnessProfile(
            fitnessLevel: level.flatMap(FitnessLevel.init(rawValue:)) ?? .beginner, goals: goalList,
            equipment: kit.isEmpty ? [.bodyOnly] : kit, daysPerWeek: daysPerWeek,
            sessionMinutes: sessionMinutes.map { min(max($0, 15), 120) }, injuries: injuryList, healthScreen: screen)
    }
}
