import Foundation
import Hummingbird
import VigorCoaching

/// `/api/v1/catalog/*`: the vocabularies a profile is made of and the exercise catalogue,
/// read-only (the web client's forms and exercise search).
struct CatalogRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let vocabulary = try? JSONResponse.encoder.encode(VocabularyResponse.standard)
        table.add(
            RouteDoc(
                .get, "/api/v1/catalog/vocabulary",
                summary: "Equipment, goals, fitness levels, contraindications, injury severities, units, muscles and patterns",
                tag: "catalog", access: .user,
                responses: [.init(200, "Vocabularies", schema: "Vocabulary"), .init(401, "Not signed in")])
        ) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            // The same for every user and every request of this host version.
            headers[.cacheControl] = "private, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: vocabulary ?? Data())))
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/catalog/exercises", summary: "Search and filter the exercise catalogue", tag: "catalog",
                access: .user, responses: [.init(200, "Exercises", schema: "ExercisePage"), .init(422, "Invalid filter")],
                query: [
                    ("q", "Words in the name or id (case-insensitive)"), ("equipment", "Only exercises that use this equipment"),
                    ("muscle", "Only exercises that work this muscle group"), ("level", "Only exercises suited to this level"),
                ] + RouteDoc.pagination)
        ) { request, _ in
            let query = request.uri.queryParameters
            let filter = ExerciseFilter(
                text: query.get("q") ?? "", equipment: query.get("equipment").flatMap(Equipment.init(rawValue:)),
                muscle: query.get("muscle").flatMap(MuscleGroup.init(rawValue:)),
                level: query.get("level").flatMap(FitnessLevel.init(rawValue:)))
            let page = services.page(request)
            let matches = ExerciseCatalog.standard.exercises.filter(filter.matches)
            let items = Array(matches.dropFirst(page.offset).prefix(page.limit))
            return try JSONResponse.make(ExercisePage(items: items, total: matches.count, limit: page.limit, offset: page.offset))
        }
    }
}

/// The filters of `GET /api/v1/catalog/exercises`.
struct ExerciseFilter {
    var text: String
    var equipment: Equipment?
    var muscle: MuscleGroup?
    var level: FitnessLevel?

    func matches(_ exercise: Exercise) -> Bool {
        if let equipment, !exercise.equipment.contains(equipment) { return false }
        if let muscle, !exercise.primaryMuscles.contains(muscle), !exercise.secondaryMuscles.contains(muscle) { return false }
        if let level, exercise.level > level { return false }
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" })
        guard !words.isEmpty else { return true }
        let haystack = (exercise.name + " " + exercise.id.replacingOccurrences(of: "_", with: " ")).lowercased()
        return words.allSatisfy { haystack.contains($0) }
    }
}

/// One page of `GET /api/v1/catalog/exercises`.
struct ExercisePage: Encodable {
    var items: [Exercise]
    var total: Int
    var limit: Int
    var offset: Int
}

/// `GET /api/v1/catalog/vocabulary`: each list holds `{id, label}` in the catalogue's order.
struct VocabularyResponse: Encodable {
    struct Term: Encodable {
        var id: String
        var label: String
    }

    var equipment: [Term]
    var goals: [Term]
    var fitnessLevels: [Term]
    var contraindications: [Term]
    var injurySeverities: [Term]
    var units: [Term]
    var muscles: [Term]
    var patterns: [Term]

    static let standard = VocabularyResponse(
        equipment: terms(Equipment.allCases.map(\.rawValue)), goals: terms(Goal.allCases.map(\.rawValue)),
        fitnessLevels: terms(FitnessLevel.allCases.map(\.rawValue)),
        contraindications: terms(ContraindicationTag.allCases.map(\.rawValue)),
        injurySeverities: terms(Injury.Severity.allCases.map(\.rawValue)),
        units: Preferences.Units.allCases.map { Term(id: $0.rawValue, label: $0.rawValue) },
        muscles: terms(MuscleGroup.allCases.map(\.rawValue)), patterns: terms(MovementPattern.allCases.map(\.rawValue)))

    /// `body_only` → "Body only".
    static func terms(_ ids: [String]) -> [Term] {
        ids.map { id in
            let words = id.replacingOccurrences(of: "_", with: " ")
            return Term(id: id, label: words.prefix(1).uppercased() + words.dropFirst())
        }
    }

    enum CodingKeys: String, CodingKey {
        case equipment, goals, contraindications, units, muscles, patterns
        case fitnessLevels = "fitness_levels"
        case injurySeverities = "injury_severities"
    }
}
