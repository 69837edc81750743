/// A kind of stress an exercise puts on the body, which an injury may say to avoid.
public enum ContraindicationTag: String, Codable, Sendable, CaseIterable {
    /// Knees bent well past 90 degrees under load (deep squats, lunges).
    case deepKneeFlexion = "deep_knee_flexion"
    /// Load carried by the spine (bar on the back, heavy pulls from the floor).
    case spinalLoading = "spinal_loading"
    /// Repeated rounding of the spine (crunches, sit-ups).
    case spinalFlexion = "spinal_flexion"
    /// Twisting of the trunk under load or speed.
    case spinalRotation = "spinal_rotation"
    /// Arms raised or pressing overhead.
    case overhead
    /// Jumps, bounds and other fast stretch-shortening work.
    case plyometric
    /// Landings and running impacts.
    case highImpact = "high_impact"
    /// Weight borne on extended wrists (push-ups, planks on hands).
    case wristExtension = "wrist_extension"
    /// Loaded rotation of the shoulder joint.
    case shoulderRotation = "shoulder_rotation"
    /// Lying on the back for a while (avoided later in pregnancy).
    case supine
    /// Head below the heart (handstands, steep declines).
    case inverted
}
