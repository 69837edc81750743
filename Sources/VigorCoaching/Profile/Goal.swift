/// What a person wants from training. The first goal a profile lists is its main one.
public enum Goal: String, Codable, Sendable, CaseIterable {
    /// Lose body fat: higher reps, short rests, conditioning finishers.
    case weightLoss = "weight_loss"
    /// Build muscle: moderate reps and rests, more weekly sets.
    case muscleGain = "muscle_gain"
    /// Lift heavier: low reps, long rests, compound lifts.
    case strength
    /// Last longer: high reps, short rests, conditioning finishers.
    case endurance
    /// Move more freely: moderate resistance plus mobility work.
    case flexibility
    /// Be generally fit: a balanced mix.
    case generalFitness = "general_fitness"
}
