import Foundation
import Testing

@testable import VigorCoaching

@Suite("Fitness profile and plan request")
struct ProfileTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test("the domain's example profile decodes")
    func example() throws {
        let json = """
            { "fitness_level": "beginner", "goals": ["muscle_gain"], "equipment": ["body_only","dumbbell","bench"],
              "days_per_week": 3, "session_minutes": 45,
              "injuries": [{"area": "knee", "severity": "mild", "avoid": ["deep_knee_flexion", "plyometric"]}],
              "health_screen": {"parq_any_yes": false, "pregnant": false, "age": 34},
              "preferences": {"units": "kg", "focus_areas": ["full_body"], "disliked_exercise_ids": []} }
            """
        let profile = try decode(FitnessProfile.self, json)
        #expect(profile.fitnessLevel == .beginner && profile.goals == [.muscleGain])
        #expect(profile.equipment == [.bodyOnly, .dumbbell, .bench])
        #expect(profile.injuries == [Injury(area: "knee", severity: .mild, avoid: [.deepKneeFlexion, .plyometric])])
        #expect(profile.healthScreen == HealthScreen(age: 34))
        #expect(profile.preferences?.focusAreas == ["full_body"])
        #expect(profile.validate().isEmpty)
        #expect(try decode(FitnessProfile.self, String(decoding: sortedJSON(profile), as: UTF8.self)) == profile)
    }

    @Test("only the level is required; missing arrays are empty")
    func minimal() throws {
        let profile = try decode(FitnessProfile.self, #"{"fitness_level": "advanced"}"#)
        #expect(profile == FitnessProfile(fitnessLevel: .advanced))
        #expect(profile.goals.isEmpty && profile.equipment.isEmpty && profile.injuries.isEmpty)
        #expect(profile.primaryGoal == .generalFitness)
        #expect(profile.availableEquipment == [.bodyOnly])
        let injury = try decode(Injury.self, #"{"area": "wrist"}"#)
        #expect(injury.severity == .moderate && injury.avoid.isEmpty)
        let preferences = try decode(Preferences.self, "{}")
        #expect(preferences == Preferences())
        #expect(throws: DecodingError.self) { try decode(FitnessProfile.self, #"{"goals": []}"#) }
    }

    @Test("unknown enum values are errors")
    func unknownValues() {
        #expect(throws: DecodingError.self) {
            try decode(FitnessProfile.self, #"{"fitness_level": "beginner", "equipment": ["rowing_boat"]}"#)
        }
        #expect(throws: DecodingError.self) { try decode(FitnessProfile.self, #"{"fitness_level": "expert"}"#) }
        #expect(throws: DecodingError.self) {
            try decode(Injury.self, #"{"area": "knee", "avoid": ["juggling"]}"#)
        }
    }

    @Test("profiles encode with snake_case keys")
    func keys() throws {
        let profile = FitnessProfile(
            fitnessLevel: .intermediate, goals: [.weightLoss], equipment: [.pullupBar], daysPerWeek: 3,
            sessionMinutes: 30, healthScreen: HealthScreen(parqAnyYes: true),
            preferences: Preferences(units: .lb, dislikedExerciseIDs: ["burpee"]))
        let json = String(decoding: try sortedJSON(profile), as: UTF8.self)
        for key in [
            "fitness_level", "days_per_week", "session_minutes", "health_screen", "parq_any_yes",
            "focus_areas", "disliked_exercise_ids", "pullup_bar", "weight_loss",
        ] {
            #expect(json.contains("\"\(key)\""), "\(key)")
        }
    }

    @Test("the default profile is a valid body-weight beginner")
    func defaultProfile() {
        #expect(FitnessProfile.default.fitnessLevel == .beginner)
        #expect(FitnessProfile.default.goals == [.generalFitness])
        #expect(FitnessProfile.default.equipment == [.bodyOnly])
        #expect(FitnessProfile.default.validate().isEmpty)
    }

    @Test("bad values are reported by field")
    func validation() {
        let long = String(repeating: "x", count: 201)
        let profile = FitnessProfile(
            fitnessLevel: .beginner, goals: [.strength, .strength], daysPerWeek: 8, sessionMinutes: 10,
            injuries: [Injury(area: "")] + Array(repeating: Injury(area: "knee"), count: 20),
            healthScreen: HealthScreen(age: 12),
            preferences: Preferences(focusAreas: [long], dislikedExerciseIDs: ["ok", " "]))
        let fields = Set(profile.validate().map(\.field))
        #expect(
            fields == [
                "days_per_week", "session_minutes", "goals", "injuries", "injuries[0].area", "health_screen.age",
                "preferences.focus_areas[0]", "preferences.disliked_exercise_ids[1]",
            ])
        var fine = profile
        fine.daysPerWeek = 7
        fine.sessionMinutes = 120
        #expect(!fine.validate().map(\.field).contains("days_per_week"))
        #expect(
            FitnessProfile(fitnessLevel: .beginner, healthScreen: HealthScreen(age: 121)).validate()
                == [FieldError(field: "health_screen.age", message: "must be between 13 and 120, got 121")])
    }

    @Test("plan requests are checked too")
    func request() throws {
        #expect(PlanRequest().validate().isEmpty)
        #expect(PlanRequest(daysPerWeek: 7, sessionMinutes: 15, weeks: 16).validate().isEmpty)
        let bad = PlanRequest(daysPerWeek: 0, sessionMinutes: 121, weeks: 17, focusAreas: [""])
        #expect(Set(bad.validate().map(\.field)) == ["days_per_week", "session_minutes", "weeks", "focus_areas[0]"])
        let decoded = try decode(PlanRequest.self, #"{"days_per_week": 4, "focus_areas": ["glutes"]}"#)
        #expect(decoded == PlanRequest(daysPerWeek: 4, focusAreas: ["glutes"]))
    }

    @Test("health screen: who needs medical clearance")
    func clearance() {
        #expect(HealthScreen(parqAnyYes: true).needsMedicalClearance)
        #expect(HealthScreen(pregnant: true).needsMedicalClearance)
        #expect(HealthScreen(age: 70, inactive: true).needsMedicalClearance)
        #expect(HealthScreen(age: 75).needsMedicalClearance)
        #expect(!HealthScreen(age: 75, inactive: false).needsMedicalClearance)
        #expect(!HealthScreen(age: 69, inactive: true).needsMedicalClearance)
        #expect(!HealthScreen().needsMedicalClearance)
    }
}
