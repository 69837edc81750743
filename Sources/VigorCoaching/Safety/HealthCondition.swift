/// A condition that changes what exercise is safe, and whether a professional must decide first.
///
/// Raw values are stable (wire, prompt, offline coach). Add cases at the end.
public enum HealthCondition: String, Sendable, Hashable, CaseIterable, Codable {
    /// Pregnant now.
    case pregnancy = "pregnancy"
    /// Gave birth within about a year (including after a caesarean section).
    case postpartum = "postpartum"
    /// 65 or older (from the profile's `health_screen.age` or the message).
    case olderAdult = "older_adult"
    /// Heart disease: a heart attack, angina, heart failure, a stent or bypass, an arrhythmia, a pacemaker.
    case heartDisease = "heart_disease"
    /// Lung disease: asthma, COPD, emphysema and the like.
    case lungDisease = "lung_disease"
    /// Type 1 or type 2 diabetes, insulin use.
    case diabetes = "diabetes"
    /// High blood pressure.
    case highBloodPressure = "high_blood_pressure"
    /// Surgery within about the last 12 weeks (or at an unknown time).
    case recentSurgery = "recent_surgery"
    /// Osteoporosis or osteopenia.
    case osteoporosis = "osteoporosis"
    /// Epilepsy or a seizure disorder.
    case epilepsy = "epilepsy"
    /// A red-flag symptom in the past (fainting, chest pain…), no longer happening now.
    case symptomHistory = "symptom_history"
    /// A "yes" on the profile's PAR-Q screen.
    case parqPositive = "parq_positive"

    /// Whether a professional (doctor, midwife, surgeon, physiotherapist) should clear training first.
    public var requiresReferral: Bool {
        switch self {
        case .olderAdult: false
        default: true
        }
    }

    /// A short English name.
    public var title: String {
        switch self {
        case .pregnancy: "pregnancy"
        case .postpartum: "postpartum (recently gave birth)"
        case .olderAdult: "older adult (65+)"
        case .heartDisease: "heart disease"
        case .lungDisease: "lung disease or asthma"
        case .diabetes: "diabetes"
        case .highBloodPressure: "high blood pressure"
        case .recentSurgery: "recent surgery"
        case .osteoporosis: "osteoporosis"
        case .epilepsy: "epilepsy"
        case .symptomHistory: "past red-flag symptoms"
        case .parqPositive: "a yes on the PAR-Q health screen"
        }
    }

    /// What a coach must respect, in English (facts from public guidance; see docs/coaching.md).
    public var guidance: String {
        switch self {
        case .pregnancy:
            "Moderate intensity (able to talk while exercising); no lying flat on the back for long after the first trimester; "
                + "no contact sports, fall risks, heavy straining or breath-holding, hot rooms or overheating; drink enough. "
                + "Get clearance from the obstetric care provider. Stop and seek care at once on vaginal bleeding, fluid leaking, "
                + "regular painful contractions, dizziness, chest pain, headache, calf pain or swelling."
        case .postpartum:
            "Return gradually; pelvic-floor and core rehabilitation first; after a caesarean section or a complicated birth wait "
                + "for clearance from the doctor or midwife before impact or heavy lifting."
        case .olderAdult:
            "Include balance and strength work at least twice a week; progress slowly; moderate intensity; "
                + "medical clearance first when inactive or with symptoms or a chronic condition."
        case .heartDisease:
            "Training only with clearance from the cardiologist, ideally through cardiac rehabilitation; moderate intensity, "
                + "long warm-up and cool-down, no maximal efforts or breath-holding; stop at chest pain, unusual breathlessness, "
                + "dizziness or an irregular heartbeat."
        case .lungDisease:
            "Keep the reliever inhaler at hand; long warm-up; avoid very cold, dry air and pollutants; moderate intensity; "
                + "stop if breathing does not settle with the inhaler; a doctor should agree the plan (COPD: pulmonary rehabilitation)."
        case .diabetes:
            "Check blood glucose before and after exercise when using insulin or drugs that can cause lows; carry fast sugar; "
                + "watch for lows during and hours after training; check the feet; a doctor should agree changes in medication."
        case .highBloodPressure:
            "Moderate aerobic work most days helps; avoid breath-holding and maximal lifts; have the blood pressure controlled "
                + "and checked by a doctor before hard training."
        case .recentSurgery:
            "Follow the surgeon's or physiotherapist's restrictions; no loading of the operated area until cleared; "
                + "start with gentle movement; stop at wound pain, swelling, redness or fever."
        case .osteoporosis:
            "Strength and balance training help; avoid high-impact jumps, loaded spinal flexion and twisting; "
                + "a doctor or physiotherapist should agree the plan."
        case .epilepsy:
            "Avoid training alone in water or at heights; keep well hydrated and rested; "
                + "a doctor should agree the plan."
        case .symptomHistory:
            "A past episode of a red-flag symptom (fainting, chest pain, palpitations…) needs a doctor's check before "
                + "hard training; stop at once and seek emergency care if it comes back."
        case .parqPositive:
            "The PAR-Q health screen had a yes: get medical clearance before starting; keep the intensity low until then."
        }
    }
}
