// The English synonym groups and rules. Concepts are referenced from rules as `@name`.
// Each rule's source is listed in docs/coaching.md ("Where each rule comes from").

enum EnglishSafetyTable {
    static let wordReplacements: [String: [String]] = [
        "cant": ["cannot"], "can not": ["cannot"], "dont": ["do", "not"], "doesnt": ["does", "not"], "didnt": ["did", "not"],
        "isnt": ["is", "not"], "wasnt": ["was", "not"], "arent": ["are", "not"], "werent": ["were", "not"],
        "havent": ["have", "not"], "hasnt": ["has", "not"], "hadnt": ["had", "not"], "wont": ["will", "not"],
        "wouldnt": ["would", "not"], "couldnt": ["could", "not"], "shouldnt": ["should", "not"], "im": ["i", "am"],
        "ive": ["i", "have"], "youre": ["you", "are"], "thats": ["that", "is"], "whats": ["what", "is"],
        "theyre": ["they", "are"], "feint": ["faint"], "feinted": ["fainted"], "feinting": ["fainting"],
        "dizzyness": ["dizziness"], "diziness": ["dizziness"], "dizzyiness": ["dizziness"], "lightheadedness": ["lightheaded"],
        "lightheadness": ["lightheaded"], "chestpain": ["chest", "pain"], "headach": ["headache"], "heartbeat": ["heart", "beat"],
        "heartbeats": ["heart", "beats"], "heartrate": ["heart", "rate"], "breathe": ["breathe"], "brethe": ["breathe"],
        "presure": ["pressure"], "preasure": ["pressure"], "pregnent": ["pregnant"], "pregant": ["pregnant"],
        "diabetis": ["diabetes"], "asthmatic": ["asthma"], "astma": ["asthma"], "surgury": ["surgery"], "sergery": ["surgery"],
        "mom's": ["mom"], "u": ["you"], "ur": ["your"], "pls": ["please"], "rn": ["right", "now"], "yo": ["yo"],
        "wanna": ["want", "to"], "selfharming": ["self", "harming"],
    ]

    static let numberWords: [String: Double] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90, "couple": 2, "few": 3, "several": 3, "half": 0.5,
    ]

    static let otherPersonWords: Set<String> = [
        "friend", "friends", "buddy", "mate", "mates", "mom", "mum", "mother", "dad", "father", "wife", "husband", "partner",
        "girlfriend", "boyfriend", "brother", "sister", "son", "daughter", "client", "clients", "grandma", "grandmother",
        "grandpa", "grandfather", "granny", "nan", "uncle", "aunt", "colleague", "coworker", "neighbour", "neighbor", "kid",
        "kids", "child", "children", "teammate", "someone", "somebody", "anyone", "person", "people", "he", "she", "they",
        "him", "her", "his", "their", "them", "guy", "man", "woman", "lady", "member", "athlete", "trainee", "parent",
        "parents", "cousin", "spouse", "fiance", "fiancee", "roommate", "flatmate", "student", "students", "dude", "bro",
    ]

    static let concepts: [String: [String]] = [
        // Body and time context.
        "chest": ["chest", "chests", "sternum", "breastbone", "breast bone", "heart area", "ribcage"],
        "chest_strong": [
            "pain", "pains", "painful", "pressure", "tightness", "tightening", "squeez*", "crush*", "heaviness",
            "heavy feeling", "weight on", "elephant", "constrict*", "discomfort", "stabbing", "burning", "clench*", "band",
            "killing", "vice", "vise", "in a vice",
        ],
        "chest_mild": ["hurt", "hurts", "hurting", "ache", "aches", "aching", "sore", "soreness", "twinge", "tight", "heavy"],
        "muscle_cause": [
            "bench", "benching", "bench press", "push up", "push ups", "pushup", "pushups", "press up", "press ups",
            "chest day", "chest press", "chest fly", "chest flys", "chest workout", "chest exercises", "fly", "flys", "flyes",
            "dips", "pec", "pecs", "pectoral", "pectorals", "doms", "muscle", "muscles", "stretch", "stretching", "cough",
            "coughing",
        ],
        "radiate": [
            "radiat*", "spread*", "going down", "goes down", "shooting down", "shoots down", "travels", "travelling",
            "traveling", "moving into", "moves into", "into my",
        ],
        "arm_jaw": ["arm", "arms", "jaw", "neck", "shoulder blade"],
        "faint": [
            "faint", "fainted", "fainting", "faints", "fainty", "passed out", "pass out", "passing out", "passes out",
            "blacked out", "black out", "blacking out", "blacks out", "blackout", "lost consciousness", "lose consciousness",
            "losing consciousness", "loss of consciousness", "lost conciousness", "went unconscious", "was unconscious",
            "knocked unconscious", "fell unconscious", "syncope", "keeled over", "everything went black", "came to on the floor",
            "woke up on the floor", "came round on the floor", "about to pass out", "going to pass out", "nearly passed out",
            "out cold", "woke up on the", "came to on the", "everything went grey", "everything went gray", "went grey and",
            "came round on the",
        ],
        "ground": ["floor", "ground", "mat", "grass", "track", "people standing over", "everyone standing over"],
        "joint": [
            "knee", "knees", "ankle", "ankles", "arch", "arches", "foot", "feet", "hip", "hips", "back", "elbow", "elbows",
            "wrist", "wrists", "spine", "inward", "inwards", "caving", "lung", "shoulders", "posture", "chest",
        ],
        "side": ["left", "right", "one side", "one half", "half of my", "one", "left hand side", "right hand side", "left sided"],
        "upper_limb": ["arm", "arms", "hand", "side", "face", "body", "half"],
        "leg": ["leg", "legs"],
        "numb_weak": [
            "numb", "numbness", "weak", "weakness", "dead", "cannot feel", "not feel", "cannot move", "not move",
            "cannot lift", "not lift", "cannot raise", "not raise", "paraly*", "tingl*", "pins and needles", "heavy",
            "limp", "floppy", "useless", "cannot grip", "not grip", "no strength", "no feeling", "lost feeling",
            "lost strength", "gave way", "giving way", "drooping", "lost all feeling", "all feeling", "not hold me up",
            "not hold my weight",
        ],
        "numb_only": [
            "numb", "numbness", "dead", "cannot feel", "not feel", "cannot move", "not move", "paraly*", "no feeling",
            "lost feeling", "lost all feeling", "all feeling", "not hold me up", "not hold my weight",
        ],
        "face": ["face", "mouth", "smile", "lip", "lips", "eyelid", "cheek", "side of my face"],
        "droop": [
            "droop*", "hanging", "sag*", "lopsided", "crooked", "uneven", "numb", "slack", "paraly*", "cannot smile",
            "not smile", "fallen", "falling", "twisted", "one sided", "frozen", "dropped", "drops",
        ],
        "speech": ["speech", "speaking", "speak", "talk", "talking", "words", "voice", "sentences"],
        "slur": [
            "slur*", "garbled", "jumbled", "mixed up", "come out wrong", "coming out wrong", "came out wrong", "not make sense",
            "not making sense", "nonsense", "cannot get my words", "not get my words", "not get words", "cannot find the words",
            "cannot find words", "cannot find the right words", "not find the right words", "wrong words",
        ],
        "balance_loss": [
            "lost my balance", "loss of balance", "lose my balance", "cannot walk straight", "not walk straight",
            "cannot stand", "not stand", "cannot stand up", "falling over", "keep falling", "stumbling", "uncoordinated",
        ],
        "headache": [
            "headache", "headaches", "head pain", "pain in my head", "head hurts", "head is pounding", "head pounding",
            "head feels like", "migraine", "back of my head", "head is killing me", "head exploded", "head is exploding",
        ],
        "severe_sudden": [
            "worst", "sudden", "suddenly", "out of nowhere", "thunderclap", "explod*", "excruciating", "blinding",
            "like being hit", "hit by", "never had", "ever had", "10 out of 10", "10 10", "unbearable", "severe",
            "agoni*", "intense", "crushing", "came on fast", "out of the blue", "like a bomb", "ever felt", "never felt",
            "nothing like",
        ],
        "head_pain": ["pounding", "throbbing", "hurts", "hurting", "pain", "exploding", "exploded", "splitting", "killing"],
        "baby_word": ["baby", "child", "twins", "our second", "our first", "my first", "my second", "a girl", "a boy", "a little"],
        "op_site": [
            "knee", "hip", "shoulder", "back", "hernia", "heart", "ankle", "wrist", "elbow", "spine", "eye", "stomach", "foot",
            "bowel", "acl",
        ],
        "organ": ["gallbladder", "gall bladder", "appendix", "tonsils", "ovary", "ovaries", "uterus", "womb", "kidney", "spleen"],
        "heart": ["heart", "heartbeat", "beat", "beats", "pulse", "heart rate", "ticker"],
        "irregular": [
            "skip* beat*", "skip* a beat", "skip* a few beats", "miss* beat*", "missing a beat", "missed a beat",
            "flutter*", "irregular*", "erratic", "out of rhythm", "extra beats", "flip flop*", "all over the place",
            "stopping and starting", "pausing", "jolts", "chaotic", "stutter*", "thumping irregularly", "uneven",
            "arrhythmi*", "jumping", "jumping around", "bouncing around", "somersault*", "heart skip*", "heartbeat skip*",
        ],
        "racing": [
            "racing", "races", "raced", "pounding", "pounds", "hammering", "beating fast", "beating really fast",
            "beating so fast", "going crazy", "going mad", "too fast", "very fast", "so fast", "super fast",
            "out of my chest", "thumping", "not slow down", "not slowing down", "not calm down", "through the roof",
            "palpitat*",
        ],
        "dizzy": [
            "dizz*", "lightheaded", "light headed", "faint", "woozy", "room spinning", "room is spinning", "room was spinning",
            "spinning", "vertigo", "about to pass out", "going to pass out", "going to faint", "see stars", "seeing stars",
            "tunnel vision", "wobbly", "unsteady", "giddy",
        ],
        "at_rest": [
            "at rest", "resting", "while resting", "sitting", "sitting down", "lying", "lying down", "in bed", "doing nothing",
            "not even moving", "not moving", "even when", "watching tv", "at night", "after stopping", "minutes after",
            "hour after", "hours after", "long after", "after i stopped", "after i stop", "still", "when i rest",
            "on the couch", "on the sofa", "standing still",
        ],
        "breathless": [
            "short of breath", "shortness of breath", "breathless", "breathlessness", "out of breath", "cannot breathe",
            "not breathe", "cannot catch my breath", "not catch my breath", "struggling to breathe", "struggle to breathe",
            "hard to breathe", "difficulty breathing", "trouble breathing", "gasping", "wheez*", "breathing is hard",
            "cannot get air", "not get air", "not get enough air", "air hunger", "breathing fast", "winded",
            "cannot get my breath", "not get my breath", "breathing difficult*", "laboured breathing", "labored breathing",
            "barely breathe", "hardly breathe",
        ],
        "cannot_breathe": [
            "cannot breathe", "not breathe", "struggling to breathe", "struggle to breathe", "cannot get air", "not get air",
            "not get enough air", "gasping for air", "fighting for breath", "suffocating", "choking", "barely breathe",
            "hardly breathe",
        ],
        "exertion": [
            "during", "while", "workout", "workouts", "training", "exercise", "exercising", "running", "run", "runs", "lifting",
            "class", "session", "cardio", "gym", "sprint*", "burpee*", "interval*", "hiit", "climbing", "stairs", "when i run",
            "swim*", "cycling", "spin", "rowing", "jog*", "hike", "hiking", "walk", "walking", "match", "game", "race",
        ],
        "inhaler": ["inhaler", "puffer", "ventolin", "salbutamol", "albuterol", "reliever", "blue inhaler"],
        "not_working": [
            "not helping", "not working", "does nothing", "no help", "not help", "did nothing", "is useless", "not doing anything",
            "not touching it", "makes no difference",
        ],
        "blue_lips": ["lips are blue", "lips turning blue", "blue lips", "turning blue", "lips went blue", "lips look blue"],
        "throat": ["throat", "tongue", "lips"],
        "swell": ["swell*", "swollen", "closing", "closing up", "tight", "puffy"],
        "heat": [
            "heat", "hot", "sun", "sunny", "humid", "humidity", "overheat*", "heatwave", "heat wave", "degrees", "sauna",
            "hot yoga", "bikram", "temperature", "summer", "boiling", "scorching", "sweltering", "desert",
        ],
        "confusion": [
            "confus*", "disorient*", "not make sense", "not making sense", "cannot think", "not think straight",
            "cannot think straight", "not know where i am", "not know where i was", "delirious", "acting strange",
            "acting weird", "incoherent", "out of it", "not remember", "foggy", "muddled", "not recognise", "not recognize",
            "stopped sweating", "not sweating",
        ],
        "urine": ["urine", "pee", "piss", "wee", "urinating", "peeing", "weeing", "urinate", "wee wee"],
        "brown_urine": [
            "brown", "cola", "coke", "coca", "tea", "black", "red", "reddish", "rust*", "bloody", "blood", "dark brown",
            "coffee", "port wine",
        ],
        "muscle_trouble": [
            "swollen", "swelling", "swelled", "swell", "rock hard", "extremely sore", "so sore", "cannot straighten",
            "not straighten", "cannot bend", "not bend", "puffy", "severe pain", "extreme pain", "excruciating", "tight and hard",
            "huge", "ballooned", "agony",
        ],
        "urine_dark": ["dark", "darker", "very dark", "really dark"],
        "vision": ["vision", "sight", "eyesight", "see", "eye", "eyes", "everything"],
        "vision_loss": [
            "lost", "loss", "losing", "went black", "going black", "went dark", "going dark", "blind", "blindness", "double",
            "cannot see", "not see", "grey out", "greyed out", "gray out", "grayed out", "curtain", "suddenly blurry",
            "sudden blur*", "went blurry", "disappeared", "gone",
        ],
        "bleeding": ["bleed*", "spotting", "blood", "bled"],
        "fluid_leak": [
            "leaking fluid", "fluid leaking", "leaking", "leak*", "gush", "waters", "water broke", "water breaking", "fluid",
        ],
        "contractions": ["contraction*", "cramping", "cramps", "tighten*", "hardening", "going hard"],
        "baby_movement": [
            "baby not moving", "baby is not moving", "baby stopped moving", "less movement", "reduced movement",
            "baby moving less", "not felt the baby", "not feel the baby", "not felt baby move", "baby has not moved",
            "fewer kicks", "no kicks", "stopped kicking",
        ],
        "calf": ["calf", "calves", "lower leg"],
        "calf_sign": ["swollen", "swelling", "swelled", "red", "warm", "hot", "pain", "painful", "tender"],
        "seizure": [
            "seizure", "seizures", "convulsion", "convulsions", "convulsing", "convulsed", "convulse", "convulses", "had a fit",
            "having a fit", "epileptic fit", "fitted", "shaking uncontrollably",
            "jerking uncontrollably",
        ],
        "kill_self": [
            "kill myself", "killing myself", "kill himself", "killing himself", "kill herself", "killing herself",
            "kill themselves", "killing themselves",
        ],
        "end_life": [
            "end my life", "ending my life", "end my own life", "take my own life", "taking my own life", "end his life",
            "end her life", "end their life", "take his own life", "take her own life", "take their own life",
        ],
        "jump_off": [
            "jump off a bridge", "jump off the bridge", "jump off a building", "jump off the roof", "jump off a roof",
            "jump in front of a train", "jump from a bridge", "jump from the roof",
        ],
        "ending_things": [
            "thoughts of ending things", "thoughts of ending it", "thinking about ending it", "thinking about ending things",
            "thinking of ending it", "thinking of ending things",
        ],
        "diabetic": [
            "diabet*", "t1d", "t2d", "type 1", "type one", "type 2", "type two", "insulin", "hypo", "hypos", "hypoglyc*",
            "blood sugar", "glucose", "metformin", "cgm", "libre", "dexcom",
        ],
        "drowsy": [
            "drowsy", "can barely stay awake", "cannot stay awake", "keep nodding off", "hard to wake", "cannot keep my eyes open",
            "falling asleep",
        ],
        "sugar": ["sugar", "sugars", "glucose", "bg", "bgs", "levels", "numbers", "readings", "reading"],
        "not_coming_up": [
            "not come up", "not coming up", "will not come up", "not going up", "not rising", "keeps dropping", "keep dropping",
            "keeps falling", "keep falling", "still low",
            "still dropping",
        ],
        "hurt_self": ["hurt myself", "hurting myself", "hit myself", "hitting myself"],
        "self_punish": [
            "on purpose", "hate myself", "hate my body", "deserve it", "after i eat", "after eating", "when i eat",
            "after i binge", "after bingeing", "after binging", "to punish",
        ],
        "want_wish": ["want", "wanted", "wish", "hope", "hoping", "pray"],
        "never_wake": ["never wake up", "not wake up", "not to wake up", "never to wake up"],
        "pills": ["pills", "tablets", "painkillers", "sleeping pills", "whole bottle", "the bottle"],
        "on_purpose": [
            "on purpose", "because i want*", "to end", "to die", "all to stop", "so i would not wake", "so i will not wake",
            "bunch", "all of them", "all my", "whole",
        ],
        "suicide_intent": [
            "attempt*", "thoughts", "thought of", "thinking about", "thinking of", "thoughts of", "plan", "planning my",
            "planned my", "commit", "considering", "contemplating", "note", "signs", "warning",
        ],
        "head_blow": [
            "hit ? head", "banged ? head", "bang ? head", "bumped ? head", "knocked ? head", "smacked ? head", "whacked ? head",
            "cracked ? head", "hurt ? head", "landed on ? head", "fell on ? head", "hit the back of ? head",
            "banged the back of ? head", "smacked the back of ? head", "to the head", "to my head", "in the head",
            "on the head", "head injury", "head injuries", "head knock", "knock to the head", "blow to the head", "head hit",
            "head hit the", "head clash", "concuss*",
        ],
        "head_sign": [
            "vomit*", "throwing up", "threw up", "throw up", "been sick", "being sick", "was sick", "keep being sick",
            "confus*", "drowsy", "sleepy", "hard to wake", "cannot stay awake", "not wake", "blurr*", "double vision",
            "seeing double", "not remember", "cannot remember", "memory", "same question*", "same thing over", "slurr*",
            "clear fluid", "fluid coming out", "fluid from", "bleeding from ? ear", "blood from ? ear", "pupil*", "seizure",
            "had a fit", "numb", "tingl*", "weak", "getting worse", "worsening", "not go away", "severe headache",
            "bad headache", "worst headache", "knocked out", "passed out", "blacked out", "lost consciousness",
            "unconscious", "not make sense", "acting strange", "acting weird", "out of it", "lost my balance",
            "cannot walk straight",
        ],
        "knockout_impact": [
            "head", "sparring", "spar", "boxing", "mma", "punch*", "kick*", "tackle*", "elbow*", "knee to", "fight", "bout",
            "match", "fell", "fall", "crash*",
        ],
        "allergy": [
            "allergic reaction", "allergic", "allergy", "hives", "rash all over", "welts", "peanut", "peanuts", "nut", "nuts",
            "shellfish", "shrimp", "prawn", "prawns", "bee", "wasp", "stung",
        ],
        // Signs of a reaction beyond the skin where it touched (a swollen arm after a sting is local).
        "allergy_sign": [
            "@breathless", "@cannot_breathe", "@dizzy", "@swallow_trouble", "faint*", "collaps*", "hoarse",
            "face is swelling", "face swelling", "face swelled", "face is swollen", "face swollen", "face is puffing",
            "face puffing", "face blew up", "face is blowing up", "eyes swelling shut", "eyes are swelling shut",
            "swelling all over",
        ],
        "epipen": ["epipen*", "epi pen*", "auto injector", "autoinjector", "adrenaline pen", "jext", "emerade"],
        "swallow_trouble": [
            "cannot swallow", "not swallow", "hard to swallow", "struggling to swallow", "trouble swallowing",
            "difficulty swallowing",
        ],
        "tongue_swell": ["tongue", "@swell"],
        "leg_site": ["calf", "calves", "lower leg", "leg", "legs", "thigh", "behind my knee", "back of my knee"],
        "leg_sign": ["swollen", "swelling", "swelled", "swell*", "red", "warm", "hot", "tender", "puffy", "throbbing"],
        "clot": ["blood clot", "blood clots", "clot", "clots", "dvt", "deep vein thrombosis", "thrombosis"],
        "lung_sign": [
            "short of breath", "shortness of breath", "breathless", "cannot catch my breath", "not catch my breath",
            "struggling to breathe", "struggle to breathe", "hard to breathe", "difficulty breathing", "trouble breathing",
            "cannot breathe", "not breathe", "cough* up blood", "cough* blood", "chest pain", "pain in my chest", "chest hurts",
            "hurts to breathe", "pain when i breathe", "hurts when i breathe", "pain breathing", "stabbing pain in my chest",
            "sharp pain in my chest", "sharp chest pain",
        ],
        "bone_out": [
            "sticking out", "poking out", "poking through", "through the skin", "through my skin", "through his skin",
            "through her skin", "showing", "is visible", "can see the", "can see it", "can see bone", "out of my skin",
        ],
        "bleeding_severe": [
            "not stop bleeding", "not stop the bleeding", "cannot stop bleeding", "cannot stop the bleeding",
            "bleeding will not stop", "bleeding is not stopping", "bleeding not stopping", "bleeding heavily",
            "bleeding a lot", "bleeding badly", "bleeding everywhere", "blood everywhere", "pouring blood", "blood is pouring",
            "blood pouring", "spurting", "gushing blood", "blood is gushing", "blood gushing", "soaked through",
            "soaking through", "lost a lot of blood", "losing a lot of blood",
        ],
        "fall_word": [
            "fell", "fall", "fallen", "landed", "dropped", "diving", "dived", "dove", "crash*", "thrown", "came off",
            "flipped",
        ],
        "limbs_gone": [
            "cannot feel ? legs", "not feel ? legs", "cannot move ? legs", "not move ? legs", "cannot feel ? arms",
            "not feel ? arms", "cannot move ? arms", "not move ? arms", "cannot feel anything below", "paralys*", "paralyz*",
        ],
        "arrest_context": [
            "collaps*", "unresponsive", "unconscious", "passed out", "fainted", "on the floor", "on the ground", "turning blue",
            "cpr", "help", "911", "999", "112", "ambulance", "dropped", "will not wake",
        ],
        "cry": ["help", "sos", "emergency", "ambulance", "911", "999", "112"],
        "seizure_context": [
            "medication", "meds", "medicine", "tablets", "pills", "seizure free", "disorder", "threshold", "history",
        ],
    ]

    static let redFlagRules: [RedFlagRule] = [
        RedFlagRule("en.chest.discomfort", .chestPain, triggers: [["@chest", "@chest_strong"]], window: 8),
        RedFlagRule(
            "en.chest.mild", .chestPain, triggers: [["@chest", "@chest_mild"]], window: 5, unless: ["@muscle_cause"]),
        RedFlagRule(
            "en.chest.radiating", .chestPain,
            triggers: [
                ["@radiate", "@arm_jaw"], ["left arm", "pain", "@dizzy"], ["left arm", "hurts", "@dizzy"],
                ["jaw", "pain", "@exertion", "@breathless"],
            ], window: 10, unless: ["@muscle_cause"]),
        RedFlagRule(
            "en.chest.heart_attack", .chestPain,
            triggers: [
                ["having a heart attack"], ["heart attack right now"], ["heart attack now"], ["heart attack", "@exertion", "i think"],
            ],
            window: 10),
        // "heart attack?? help": a clause that is only a cry joins the one before it (SafetyLanguage.cryClauses).
        RedFlagRule(
            "en.chest.heart_attack.cry", .chestPain, triggers: [["heart attack", "@cry"]], window: 3,
            unless: ["rehab*", "recover*", "after", "since", "plan", "program*", "workout*", "exercis*", "understand", "explain"]),
        RedFlagRule(
            "en.faint", .fainting,
            triggers: [["@faint"], ["next thing i know", "@ground"], ["next thing i knew", "@ground"]], window: 12,
            unless: [
                "faint hearted", "faint heart", "faint praise", "passed out of the", "blacked out the windows", "black out the windows",
                "blacked out my windows", "blackout curtains", "blackout blinds", "black out the room",
            ]),
        RedFlagRule("en.faint.collapse", .fainting, triggers: [["collaps*"]], unless: ["@joint"]),
        RedFlagRule(
            "en.one_sided", .oneSidedWeakness,
            triggers: [
                ["@side", "@upper_limb", "@numb_weak"], ["@side", "@leg", "@numb_only"], ["one side", "@numb_weak"],
                ["my arm", "@numb_only"], ["one arm", "@numb_weak"], ["one leg", "@numb_only"],
            ],
            window: 10, unless: ["above my head", "over my head", "past shoulder height"]),
        RedFlagRule(
            "en.stroke", .strokeSigns,
            triggers: [
                ["@face", "@droop"], ["@speech", "@slur"], ["slurring"], ["slurred"], ["having a stroke"], ["stroke right now"],
                ["sudden*", "@balance_loss"], ["@dizzy", "@balance_loss"],
            ], window: 6),
        RedFlagRule(
            "en.stroke.cry", .strokeSigns, triggers: [["stroke", "@cry"]], window: 3,
            unless: [
                "swim*", "breast", "back", "free", "butterfly", "technique", "rate", "count", "paddl*", "row*", "pedal*",
                "rehab*", "recover*", "after", "since", "plan", "program*", "workout*", "exercis*", "understand", "explain",
            ]),
        RedFlagRule(
            "en.headache.sudden_severe", .suddenSevereHeadache,
            triggers: [
                ["@headache", "@severe_sudden"], ["thunderclap"], ["worst headache"], ["head", "@head_pain", "@severe_sudden"],
            ], window: 8,
            unless: ["not the worst", "mild"]),
        RedFlagRule(
            "en.palpitations", .palpitations,
            triggers: [
                ["@heart", "@irregular"], ["palpitat*", "@dizzy"], ["@heart", "@racing", "@dizzy"], ["@heart", "@racing", "@at_rest"],
                ["palpitat*", "@exertion"], ["palpitat*", "@chest"],
            ], window: 16, unless: ["rope", "jump rope", "skipping rope"]),
        RedFlagRule(
            "en.breathless.rest", .breathlessnessAtRest,
            triggers: [
                ["@breathless", "@at_rest"], ["@blue_lips"], ["@inhaler", "@not_working"],
            ], window: 10),
        RedFlagRule(
            "en.breathless.cannot", .breathlessnessAtRest, triggers: [["@cannot_breathe"]],
            unless: ["@exertion", "nose", "blocked", "mask", "cold", "flu", "stuffy"]),
        RedFlagRule(
            "en.heat", .heatIllness,
            triggers: [["@heat", "@confusion"], ["heat stroke"], ["heatstroke"], ["sunstroke"], ["stopped sweating", "@heat"]],
            window: 16),
        RedFlagRule(
            "en.rhabdo", .rhabdomyolysis,
            triggers: [["@urine", "@brown_urine"], ["@urine", "@urine_dark", "@muscle_trouble"], ["rhabdo*"]], window: 20,
            unless: [
                "beet*", "beetroot", "vitamin*", "b12", "supplement*", "yellow", "period", "menstrual", "tea before", "drink tea",
                "drinking tea", "coffee before", "drink coffee", "drinking coffee", "cola before", "drink cola", "drinking cola",
            ]),
        RedFlagRule("en.seizure", .seizure, triggers: [["@seizure"]], unless: ["@seizure_context"]),
        RedFlagRule(
            "en.vision", .visionLoss,
            triggers: [["@vision", "@vision_loss"], ["double vision"], ["seeing double"], ["went blind"], ["cannot see out of"]], window: 5,
            unless: ["goal*", "motivation", "lost sight of", "glasses", "contacts", "contact lens", "sweat"]),
        RedFlagRule(
            "en.pregnancy.warning", .pregnancyWarningSign,
            triggers: [
                ["@bleeding"], ["@fluid_leak"], ["@contractions"], ["@baby_movement"], ["@calf", "@calf_sign"],
                ["@dizzy", "@exertion"], ["@headache", "blur*"],
            ], window: 8, unless: ["braxton", "nose", "nosebleed", "gums", "cut", "blister", "scrape", "graze"],
            requires: .pregnancy),
        RedFlagRule("en.pregnancy.waters", .pregnancyWarningSign, triggers: [["waters broke"], ["water broke"], ["waters have broken"]]),
        // Collapsed and not breathing: CPR. "I'm not breathing properly on squats" is technique.
        // ("not breathing" is also a now-cue, so its words are poor pre-check anchors: it needs a
        // word of collapse beside it.)
        RedFlagRule(
            "en.cardiac_arrest", .cardiacArrest,
            triggers: [["not breathing", "@arrest_context"], ["stopped breathing"], ["no pulse"], ["only gasping"]], window: 12,
            unless: [
                "properly", "right", "correctly", "nose", "mouth", "during", "while", "when i", "technique", "brace*", "bracing",
                "holding my breath", "exhal*", "inhal*", "reps", "rep", "lift*", "squat*", "run", "running", "enough",
            ]),
        // A blow to the head and a sign that needs emergency care (NICE NG232's criteria for
        // assessment); a knock with no sign is for the model ("no symptoms, can I train?").
        RedFlagRule(
            "en.head_injury", .headInjury, triggers: [["@head_blow", "@head_sign"]], window: 20,
            unless: ["no symptoms", "symptom free", "lol", "haha*", "cleared", "light headed", "lightheaded"]),
        RedFlagRule(
            "en.head_injury.knocked_out", .headInjury, triggers: [["knocked out", "@knockout_impact"], ["knocked unconscious"]],
            window: 10, unless: ["reps", "sets", "workout", "session", "tournament", "competition", "of the", "first round of"]),
        // Swelling of the throat or tongue, or an allergy with breathing, swelling or dizziness.
        RedFlagRule(
            "en.anaphylaxis", .anaphylaxis,
            triggers: [
                ["@throat", "@swell"], ["anaphyla*"], ["@allergy", "@allergy_sign"], ["@epipen", "@allergy_sign"],
                ["used ? @epipen"], ["use ? @epipen"], ["using ? @epipen"], ["@swallow_trouble", "@tongue_swell"],
            ], window: 12, unless: ["sore throat"]),
        // A leg that is swollen, red or hot with breathlessness or chest pain, or a clot with them
        // (NHS: call 999 for DVT signs with breathlessness or chest pain).
        RedFlagRule(
            "en.blood_clot", .bloodClot, triggers: [["@leg_site", "@leg_sign", "@lung_sign"], ["@clot", "@lung_sign"]],
            window: 24, unless: ["pump", "cramp*", "doms", "sprint*", "interval*", "hiit", "burpee*", "sunburn*"]),
        // A bone through the skin, bleeding that will not stop, a fall or dive and then a neck
        // injury or legs that cannot be felt (keep still: a spinal injury).
        RedFlagRule(
            "en.severe_injury", .severeInjury,
            triggers: [
                ["bone", "@bone_out"], ["compound fracture"], ["open fracture"], ["@bleeding_severe"], ["broke ? neck"],
                ["broken neck"], ["spinal injury"], ["spinal cord"], ["@fall_word", "@limbs_gone"],
            ], window: 14,
            unless: [
                "lol", "haha*", "leg day", "squat*", "doms", "paper", "shav*", "period", "periods", "menstrua*", "spotting",
                "blister*", "broth", "marrow", "gums",
            ]),
        // With diabetes, confusion or drowsiness is a severe low until proven otherwise; the
        // diabetes is named in the trigger, so someone else's ("my dad is diabetic and …") counts.
        RedFlagRule(
            "en.low_blood_sugar", .lowBloodSugar,
            triggers: [
                ["@diabetic", "@confusion"], ["@diabetic", "@drowsy"], ["@sugar", "@not_coming_up"], ["@diabetic", "@not_coming_up"],
            ], window: 16,
            unless: [
                "confused about", "confused by", "confused as to", "confusing", "confused which", "confused what", "fibre*",
                "fiber*", "connection", "signal", "bluetooth", "battery", "wifi",
            ]),
        // Sleepy is only a sign with exercise, and not after a meal.
        RedFlagRule(
            "en.low_blood_sugar.sleepy", .lowBloodSugar, triggers: [["@diabetic", "sleepy", "@exertion"]], window: 12,
            unless: ["meal*", "dinner", "lunch", "breakfast", "eating", "should i"]),
        // Words of suicide or self-harm, as phrases ("end of my life" is not "end my life").
        // "kill myself" is taken at its word even when it may be a figure of speech: the answer
        // says how to carry on.
        RedFlagRule(
            "en.self_harm", .selfHarm,
            triggers: [
                ["@kill_self"], ["@end_life"], ["end it all"], ["ending it all"], ["want it all to end"], ["suicidal"],
                ["self harm"], ["self harming"], ["selfharm"], ["harm myself"], ["harming myself"], ["want to hurt myself"],
                ["going to hurt myself"], ["better off dead"], ["better off without me"], ["not want to live"],
                ["not want to be alive"], ["no reason to live"], ["nothing to live for"], ["tried to overdose"],
                ["took an overdose"], ["unaliv*"], ["self harmed"], ["self harms"], ["hang myself"], ["hanging myself"],
                ["slit my wrists"], ["want* it all to stop"], ["@ending_things"],
            ], window: 5),
        RedFlagRule("en.self_harm.jump", .selfHarm, triggers: [["@jump_off"]], unless: ["bungee", "cliff diving", "into the water"]),
        // Passive wishes to be dead or gone.
        RedFlagRule(
            "en.self_harm.passive", .selfHarm,
            triggers: [
                ["@want_wish", "@never_wake"], ["want to disappear"], ["done with life"], ["done with living"],
                ["tired of living"], ["tired of being alive"], ["miss me if i"], ["miss me when i am gone"],
                ["reason to keep living"], ["reason to go on living"], ["not want to be here anymore"],
                ["not want to be around anymore"], ["not want to exist"], ["wish i did not exist"], ["wish i was never born"],
                ["wish i had never been born"],
            ], window: 8),
        // An overdose that is not of a supplement or by accident (that one is for emergency care too, but not a crisis line).
        RedFlagRule(
            "en.self_harm.overdose", .selfHarm, triggers: [["overdos*"]],
            unless: [
                "pre workout", "preworkout", "caffeine", "supplement*", "creatine", "vitamin*", "accident*", "by mistake",
                "energy drink*", "protein",
            ]),
        // Pills taken in a number or for a reason that is not the daily dose.
        RedFlagRule(
            "en.self_harm.pills", .selfHarm, triggers: [["took", "@pills", "@on_purpose"]], window: 12,
            unless: [
                "vitamin*", "supplement*", "as prescribed", "as usual", "this morning", "today", "every day", "daily",
                "with breakfast", "with food", "by mistake", "accident*",
            ]),
        // "I hurt myself" is usually an injury: only with words of doing it on purpose.
        RedFlagRule("en.self_harm.hurt", .selfHarm, triggers: [["@hurt_self", "@self_punish"]], window: 8),
        RedFlagRule(
            "en.self_harm.burn", .selfHarm, triggers: [["burning myself"], ["burn myself"], ["burned myself"], ["burnt myself"]],
            unless: ["out", "sun*", "stove", "oven", "cooking", "accident*", "iron", "kettle", "pan", "tea", "coffee"]),
        // "Suicide" alone names drills and a grip ("suicide sprints", "suicide grip"): it needs a
        // word of intent next to it.
        RedFlagRule(
            "en.self_harm.suicide", .selfHarm, triggers: [["suicide", "@suicide_intent"]], window: 2,
            unless: ["sprint*", "run", "runs", "drill*", "grip", "squeeze", "line", "lines", "shuttle*", "squat*"]),
        RedFlagRule(
            "en.self_harm.cut", .selfHarm, triggers: [["cut myself"], ["cutting myself"]],
            unless: ["slack", "shav*", "accident*", "by mistake", "cooking", "knurling", "on the", "on a", "on my", "paper"]),
        // "I want to die" is said of burpees too: not with a workout or a laugh in the clause.
        RedFlagRule(
            "en.self_harm.die", .selfHarm, triggers: [["want to die"], ["wish i was dead"], ["wish i were dead"]],
            unless: [
                "lol", "haha*", "lmao", "burpee*", "leg day", "workout", "sore", "doms", "class", "cardio", "squat*", "sprint*",
                "hiit", "session", "training", "run", "running",
            ]),
    ]

    static let conditionRules: [ConditionRule] = [
        ConditionRule(
            "en.pregnancy", .pregnancy,
            triggers: [
                ["pregnant"], ["pregnancy"], ["expecting", "@baby_word"], ["trimester"], ["my bump"], ["baby bump"],
                ["expecting twins"], ["with child"], ["# weeks along"], ["# months along"], ["due", "@baby_word"],
            ],
            unless: [
                "after pregnancy", "after my pregnancy", "post pregnancy", "since my pregnancy", "since pregnancy",
                "before pregnancy", "before my pregnancy", "pre pregnancy", "previous pregnancy", "last pregnancy",
                "since i gave birth", "gave birth",
            ], timing: .current),
        ConditionRule(
            "en.postpartum", .postpartum,
            triggers: [
                ["postpartum"], ["post partum"], ["postnatal"], ["post natal"], ["gave birth"], ["giving birth"], ["had a baby"],
                ["had my baby"], ["had twins"], ["had my son"], ["had my daughter"], ["had our baby"], ["had a son"],
                ["had a daughter"], ["had a baby girl"], ["had a baby boy"], ["c section"], ["caesarean"], ["cesarean"],
                ["after pregnancy"],
                ["after my pregnancy"], ["new mum"], ["new mom"], ["my baby is"], ["diastasis"], ["breastfeeding"],
                ["delivered my"], ["since pregnancy"], ["since my pregnancy"],
            ], unless: ["years old", "year old", "toddler"], timing: .withinDays(365)),
        ConditionRule(
            "en.older", .olderAdult,
            triggers: [["i am a senior"], ["i am elderly"], ["i am a pensioner"], ["i am an older adult"], ["i am an older"]]),
        ConditionRule(
            "en.heart", .heartDisease,
            triggers: [
                ["heart disease"], ["heart condition"], ["heart problem"], ["heart problems"], ["heart issue"], ["heart issues"],
                ["heart attack"], ["heart failure"], ["heart surgery"], ["stent"], ["stents"], ["bypass"], ["angina"],
                ["arrhythmia"], ["afib"], ["a fib"], ["atrial fibrillation"], ["pacemaker"], ["cardiac"], ["cardiomyopathy"],
                ["valve replacement"], ["heart valve"], ["coronary"], ["myocardial"], ["hole in my heart"], ["heart murmur"],
                ["congenital heart"], ["svt"], ["tachycardia"], ["defibrillator"], ["icd"],
            ], unless: ["gastric", "cardiac output", "cardiac zone", "cardio"]),
        ConditionRule(
            "en.lung", .lungDisease,
            triggers: [
                ["asthma"], ["copd"], ["emphysema"], ["chronic bronchitis"], ["lung disease"], ["lung condition"],
                ["lung problem"], ["lung problems"], ["cystic fibrosis"], ["pulmonary fibrosis"], ["inhaler"], ["puffer"],
                ["bronchoconstriction"], ["bronchiectasis"], ["sarcoidosis"], ["lung cancer"], ["half a lung"], ["one lung"],
            ]),
        ConditionRule(
            "en.diabetes", .diabetes,
            triggers: [
                ["diabet*"], ["t1d"], ["t2d"], ["insulin"], ["metformin"], ["blood sugar"], ["blood glucose"], ["prediabet*"],
                ["pre diabet*"], ["hypos"], ["glucose monitor"], ["cgm"], ["sugar levels"],
            ], unless: ["insulin sensitivity", "insulin resistance diet"]),
        ConditionRule(
            "en.blood_pressure", .highBloodPressure,
            triggers: [
                ["high blood pressure"], ["hypertension"], ["hypertensive"], ["blood pressure", "high"], ["blood pressure medication"],
                ["blood pressure meds"], ["blood pressure pills"], ["blood pressure tablets"], ["bp meds"], ["high bp"],
                ["bp", "high"], ["blood pressure", "raised"], ["blood pressure", "elevated"], ["beta blocker*"],
            ], window: 5, unless: ["low blood pressure"]),
        ConditionRule(
            "en.surgery", .recentSurgery,
            triggers: [
                ["surgery"], ["surgeries"], ["operation"], ["operated"], ["post op"], ["postop"], ["keyhole"], ["arthroscop*"],
                ["reconstruction"], ["knee replacement"], ["hip replacement"], ["replacement surgery"], ["stitches"], ["incision"],
                ["hernia repair"], ["appendectomy"], ["appendix out"], ["appendix removed"], ["gallbladder removed"],
                ["c section"], ["caesarean"], ["cesarean"], ["had surgery"], ["surgeon"], ["@op_site", "op"], ["had an op"],
                ["had my op"], ["@organ", "out"], ["@organ", "removed"],
            ], window: 3, timing: .withinDays(84)),
        ConditionRule(
            "en.osteoporosis", .osteoporosis,
            triggers: [["osteoporo*"], ["osteopeni*"], ["brittle bones"], ["low bone density"], ["bone density", "low"]]),
        ConditionRule(
            "en.epilepsy", .epilepsy,
            triggers: [["epilep*"], ["seizure disorder"], ["seizure medication"], ["seizure meds"], ["anti seizure"]]),
    ]
}
