/// A symptom that means "stop exercising and get emergency care now", or words of suicide or
/// self-harm that mean "talk to a person now" (``selfHarm``).
///
/// The raw values are stable: they go on the wire, into the escalation log and into the
/// operator's report. Add cases at the end; never rename one.
public enum RedFlag: String, Sendable, Hashable, CaseIterable, Codable {
    /// Chest pain, pressure, tightness or squeezing; pain spreading to the arm or jaw; a suspected heart attack.
    case chestPain = "chest_pain"
    /// Fainting, passing out, blacking out, collapsing, nearly fainting (syncope / presyncope).
    case fainting = "fainting"
    /// Numbness or weakness of one arm, leg or side of the body.
    case oneSidedWeakness = "one_sided_weakness"
    /// Facial droop, slurred or lost speech: the FAST stroke signs (or a suspected stroke).
    case strokeSigns = "stroke_signs"
    /// A sudden, severe ("worst ever", "thunderclap") headache.
    case suddenSevereHeadache = "sudden_severe_headache"
    /// An irregular, skipping or fluttering heartbeat, or a racing heart with dizziness.
    case palpitations = "palpitations"
    /// Breathlessness at rest, struggling to breathe, blue lips, an asthma attack that the inhaler does not settle.
    case breathlessnessAtRest = "breathlessness_at_rest"
    /// Heat illness with confusion, or heat stroke.
    case heatIllness = "heat_illness"
    /// Dark (brown, cola-coloured) urine, with or without swollen, painful muscles after exertion.
    case rhabdomyolysis = "rhabdomyolysis"
    /// A seizure or convulsions.
    case seizure = "seizure"
    /// Sudden loss of vision, double vision, vision going dark.
    case visionLoss = "vision_loss"
    /// A warning sign in pregnancy: vaginal bleeding, fluid leaking, regular painful contractions,
    /// reduced baby movement, calf pain or swelling.
    case pregnancyWarningSign = "pregnancy_warning_sign"
    /// Thoughts or plans of suicide or self-harm, or self-harm happening now. Answered with
    /// crisis lines and the emergency number, not "stop exercising" (``SafetyLanguage/crisisReply``).
    case selfHarm = "self_harm"
    /// In someone with diabetes: confusion, drowsiness or strange behaviour during or after
    /// exercise, or a low that does not come up with sugar (a severe hypoglycaemia).
    case lowBloodSugar = "low_blood_sugar"
    /// A blow to the head followed by a warning sign: vomiting, drowsiness, confusion, memory
    /// loss, a worsening headache, double vision, numbness, clear fluid from the nose or ears,
    /// or having been knocked out.
    case headInjury = "head_injury"
    /// A severe allergic reaction: swelling of the throat, tongue or lips, or hives with trouble
    /// breathing or dizziness (food- and exercise-induced anaphylaxis included).
    case anaphylaxis = "anaphylaxis"
    /// A swollen, painful or red leg together with breathlessness, chest pain or coughing blood,
    /// or a known clot with those signs: a possible clot that has reached the lungs.
    case bloodClot = "blood_clot"
    /// A serious injury: a bone through the skin, bleeding that will not stop, or a fall or dive
    /// followed by a neck injury or legs that cannot be felt or moved.
    case severeInjury = "severe_injury"
    /// Someone who has collapsed and is not breathing, or only gasping, or has no pulse: a
    /// cardiac arrest until proven otherwise (CPR now, not "lie down with your legs raised").
    case cardiacArrest = "cardiac_arrest"

    /// A short English name for reports and replies.
    public var title: String {
        switch self {
        case .chestPain: "chest pain or pressure"
        case .fainting: "fainting or nearly fainting"
        case .oneSidedWeakness: "numbness or weakness on one side"
        case .strokeSigns: "signs of a stroke (face drooping, slurred speech)"
        case .suddenSevereHeadache: "a sudden, severe headache"
        case .palpitations: "an irregular or racing heartbeat with dizziness"
        case .breathlessnessAtRest: "breathlessness at rest"
        case .heatIllness: "heat illness with confusion"
        case .rhabdomyolysis: "dark urine and swollen, painful muscles after exercise (possible rhabdomyolysis)"
        case .seizure: "a seizure"
        case .visionLoss: "sudden loss or change of vision"
        case .pregnancyWarningSign: "a warning sign in pregnancy"
        case .selfHarm: "thoughts of suicide or self-harm"
        case .lowBloodSugar: "confusion or drowsiness with diabetes (a possible severe low blood sugar)"
        case .headInjury: "a head injury with warning signs (vomiting, drowsiness, confusion, a worsening headache)"
        case .anaphylaxis: "a severe allergic reaction (swelling of the throat, tongue or lips, or hives with trouble breathing)"
        case .bloodClot: "a swollen, painful leg with breathlessness or chest pain (a possible blood clot)"
        case .cardiacArrest: "not breathing after a collapse (a possible cardiac arrest)"
        case .severeInjury: "a serious injury (a bone through the skin, bleeding that will not stop, or a possible neck or back injury)"
        }
    }

    /// The public guidance this rule comes from (named, not quoted); see docs/coaching.md.
    public var source: String {
        switch self {
        case .chestPain, .palpitations:
            "Heart-attack warning signs (AHA, NHS); PAR-Q+ question 2; ACSM pre-participation screening"
        case .fainting:
            "PAR-Q+ (dizziness or loss of consciousness); ACSM pre-participation screening (syncope)"
        case .oneSidedWeakness, .strokeSigns:
            "Stroke FAST signs (face, arms, speech, time)"
        case .suddenSevereHeadache:
            "Thunderclap headache warning (NHS, stroke and aneurysm guidance)"
        case .breathlessnessAtRest:
            "ACSM pre-participation screening (shortness of breath at rest or mild exertion)"
        case .heatIllness:
            "Heat-stroke warning signs (ACSM exertional heat illness position stand)"
        case .rhabdomyolysis:
            "Exertional rhabdomyolysis warning signs (ACSM, CDC)"
        case .seizure, .visionLoss:
            "Emergency warning signs (NHS 999 guidance)"
        case .pregnancyWarningSign:
            "ACOG Committee Opinion 804: warning signs to stop exercising in pregnancy"
        case .lowBloodSugar:
            "Severe hypoglycaemia: confusion or drowsiness needs help from others (ADA Standards of Care; NHS); 15–20 g of fast sugar if able to swallow"
        case .headInjury:
            "Head-injury warning signs that need emergency care (NICE NG232, 2023; NHS; CDC HEADS UP danger signs)"
        case .anaphylaxis:
            "Anaphylaxis: call the emergency number, use an adrenaline auto-injector, lie down with legs raised or sit up if breathing is hard (NHS; Resuscitation Council UK)"
        case .bloodClot:
            "Deep-vein thrombosis with breathlessness or chest pain: call the emergency number (NHS DVT and pulmonary-embolism guidance)"
        case .cardiacArrest:
            "Resuscitation guidelines (AHA 2020, ERC 2021): unresponsive and not breathing normally means call, start CPR at 100–120 compressions a minute and use an AED"
        case .severeInjury:
            "First-aid guidance on open fractures, severe bleeding and suspected spinal injury (NHS; British and American Red Cross)"
        case .selfHarm:
            "Suicide-prevention guidance for services people confide in: respond, do not carry on as usual, point to a crisis line (988 Lifeline, Samaritans, WHO)"
        }
    }
}
