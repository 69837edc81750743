/// Which days of the week get which session, for a number of training days.
///
/// Sessions on consecutive days always have disjoint muscle sets (see
/// ``SessionFocus/allowedMuscles``), and Sunday is always a rest day, so no muscle group
/// is trained two days running, across week boundaries included.
struct SplitLayout {
    /// The split's name as plans state it.
    let name: String
    /// Training days (1 = Monday) and their focus, in day order.
    let sessions: [(day: Int, focus: SessionFocus)]

    /// The layout for `days` training days (clamped to 1–6).
    static func forDays(_ days: Int) -> SplitLayout {
        switch clamp(days, 1...6) {
        case 1:
            SplitLayout(name: "full_body", sessions: [(1, .fullBody)])
        case 2:
            SplitLayout(name: "full_body", sessions: [(1, .fullBody), (4, .fullBody)])
        case 3:
            SplitLayout(name: "full_body", sessions: [(1, .fullBody), (3, .fullBody), (5, .fullBody)])
        case 4:
            SplitLayout(
                name: "upper_lower", sessions: [(1, .upper), (2, .lower), (4, .upper), (5, .lower)])
        case 5:
            SplitLayout(
                name: "push_pull_legs_upper_lower",
                sessions: [(1, .push), (2, .pull), (3, .legs), (5, .upper), (6, .lower)])
        default:
            SplitLayout(
                name: "push_pull_legs",
                sessions: [(1, .push), (2, .pull), (3, .legs), (4, .push), (5, .pull), (6, .legs)])
        }
    }
}
