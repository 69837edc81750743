// The Spanish rule table of the safety screen: the same engine and red flags as English, with
// the answers in Spanish. Sources of each rule: docs/coaching.md.

extension SafetyLanguage {
    /// The built-in Spanish rules.
    public static let spanish = SafetyLanguage(
        code: "es",
        wordReplacements: ["q": ["que"], "xq": ["porque"], "pq": ["porque"], "tb": ["también"], "k": ["que"]],
        clauseBreaks: ["pero", "aunque", "sino"],
        negationCues: ["no", "nunca", "jamás", "jamas", "sin", "ni", "tampoco", "ningún", "ningun", "ninguna", "nada de"],
        negationExceptions: [
            "no puedo", "no puede", "no siento", "no lo siento", "no la siento", "no me salen", "no le salen", "no responde",
            "no respira", "no reacciona", "no despierta", "no se calma", "no baja", "no funciona", "no me hace efecto",
            "no hace efecto", "no hace nada", "no me ayuda", "no sirve", "no me entra", "no entra", "no sé dónde",
            "no se donde", "no sudo", "no recuerdo", "no me acuerdo", "no noto", "no se mueve", "no se le entiende",
            "no se me entiende", "no tengo fuerza", "no para", "no se quita", "no se va", "no mejora", "no sé", "no se si",
            "no estoy seguro", "no estoy segura", "sin aliento", "sin fuerza", "sin sentido", "sin hacer nada", "sin crisis",
        ],
        negationCancellers: ["como esto", "así de fuerte", "asi de fuerte", "hasta hoy", "hasta ahora"],
        negationScopeBreakers: [
            "y", "luego", "ahora", "porque", "cuando", "mientras", "después", "despues", "él", "ella", "yo", "entonces", "que",
        ],
        hypotheticalCues: [
            "qué pasa si", "que pasa si", "qué hago si", "que hago si", "qué hacer si", "que hacer si", "qué debo hacer si",
            "que debo hacer si", "y si", "en caso de", "si alguien", "si un", "si una", "si me", "si le", "síntomas de",
            "sintomas de", "señales de", "senales de", "signos de", "cómo saber", "como saber", "cómo sé si", "como se si",
            "cómo reconocer", "como reconocer", "cómo evitar", "como evitar", "para evitar", "prevenir", "qué causa",
            "que causa", "puede causar", "es normal", "riesgo de", "miedo a", "explica", "explícame", "explicame",
            "diferencia entre", "ante un", "ante una", "primeros auxilios",
        ],
        helpCues: ["cómo ayudo", "como ayudo", "cómo puedo ayudar", "como puedo ayudar", "cómo ayudar", "como ayudar"],
        cryClauses: [
            "ayuda", "ayúdame", "ayudame", "ayuda por favor", "por favor ayuda", "auxilio", "socorro", "emergencia",
            "ayuda ayuda", "llamen a una ambulancia", "llama a una ambulancia",
        ],
        otherPersonWords: SpanishSafetyTable.otherPersonWords,
        firstPersonWords: ["yo", "me", "mi", "mí", "mis", "conmigo"],
        nowCues: [
            "ahora", "ahora mismo", "ya", "en este momento", "acaba de", "acabo de", "no responde", "no respira",
            "no reacciona", "inconsciente", "qué hago", "que hago", "está teniendo", "esta teniendo",
        ],
        remotePastCues: [
            "hace años", "hace anos", "hace meses", "de niño", "de niña", "de nino", "de nina", "cuando era niño",
            "cuando era niña", "cuando era joven", "de pequeño", "de pequeña", "de adolescente", "en el colegio",
            "en la escuela", "el año pasado", "el ano pasado", "hace mucho", "hace tiempo", "solía", "solia",
        ],
        presentCues: [
            "otra vez", "de nuevo", "hoy", "todavía", "todavia", "aún", "ahora mismo", "esta mañana", "esta manana",
            "esta noche", "cada vez que", "siempre que", "últimamente", "ultimamente", "esta semana",
        ],
        pastStateWords: ["estaba", "estuve", "era", "fui"],
        futureCues: ["planeo", "voy a quedar", "quiero quedar", "intentando quedar", "la próxima semana", "el próximo mes"],
        dayWords: ["hoy": 0, "ayer": 1, "anoche": 1],
        numberWords: [
            "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
            "nueve": 9, "diez": 10, "veinte": 20, "treinta": 30,
        ],
        concepts: SpanishSafetyTable.concepts,
        redFlagRules: SpanishSafetyTable.redFlagRules,
        conditionRules: SpanishSafetyTable.conditionRules,
        emergencyReply: """
            Por favor, deja de hacer ejercicio ahora. {signs}: puede ser una emergencia médica. Llama ahora al {number} o pide \
            a alguien que te lleve a urgencias; no conduzcas. Si le ocurre a alguien que está contigo, llama al {number} por \
            esa persona y quédate a su lado. Soy un entrenador de fitness y no puedo valorar esto: busca ayuda ahora y no \
            vuelvas a entrenar hasta que te vea un médico.
            """,
        redFlagAdvice: [
            .chestPain: "Mientras esperas, siéntate y descansa; no sigas para ver si se pasa.",
            .fainting: "Túmbate con las piernas en alto hasta que llegue ayuda; no te levantes de golpe.",
            .heatIllness: "Ve a la sombra o a un lugar fresco, afloja la ropa y enfría el cuerpo con agua fresca mientras esperas.",
            .seizure: "Si alguien está convulsionando: no le sujetes ni le pongas nada en la boca; aparta los objetos duros.",
            .pregnancyWarningSign: "Llama también a tu matrona o a tu unidad de maternidad.",
            .rhabdomyolysis: "Bebe agua y no vuelvas a entrenar hasta que un médico revise tus riñones y tus músculos.",
            .lowBloodSugar:
                "Si puedes tragar bien, toma ahora 15–20 g de azúcar de absorción rápida (tabletas de glucosa, zumo o un "
                + "refresco normal) y vuelve a medir la glucosa a los 15 minutos; no des nada por boca a quien esté somnoliento.",
            .headInjury: "No entrenes ni juegues más hoy; que alguien se quede contigo las próximas 24 horas y no conduzcas.",
            .cardiacArrest:
                "Si no respira con normalidad, empieza la RCP ahora: empuja fuerte y rápido en el centro del pecho, 100–120 veces "
                + "por minuto, y usa un desfibrilador (DEA) si hay uno; quien atienda la llamada te guiará.",
            .anaphylaxis:
                "Si tienes un autoinyector de adrenalina (como EpiPen), úsalo ahora aunque no estés seguro; a los 5 minutos "
                + "puedes usar un segundo si no mejoras. Túmbate con las piernas en alto, o siéntate si te cuesta respirar.",
        ],
        redFlagNames: [
            .chestPain: "dolor u opresión en el pecho", .fainting: "un desmayo o casi desmayo",
            .oneSidedWeakness: "debilidad o falta de sensibilidad en un lado del cuerpo",
            .strokeSigns: "señales de un ictus (cara caída, habla arrastrada)",
            .suddenSevereHeadache: "un dolor de cabeza súbito y muy fuerte",
            .palpitations: "un latido irregular o muy rápido con mareo", .breathlessnessAtRest: "falta de aire en reposo",
            .heatIllness: "un golpe de calor con confusión", .rhabdomyolysis: "orina oscura tras el ejercicio (posible rabdomiólisis)",
            .seizure: "una convulsión", .visionLoss: "una pérdida o cambio brusco de la vista",
            .pregnancyWarningSign: "una señal de alarma en el embarazo", .selfHarm: "pensamientos de suicidio o de hacerse daño",
            .lowBloodSugar: "confusión o somnolencia con diabetes (posible hipoglucemia grave)",
            .headInjury: "un golpe en la cabeza con señales de alarma", .anaphylaxis: "una reacción alérgica grave",
            .bloodClot: "una pierna hinchada con falta de aire o dolor en el pecho (posible trombo)",
            .severeInjury: "una lesión grave", .cardiacArrest: "no respirar tras un desmayo (posible parada cardiaca)",
        ],
        crisisReply: """
            Siento mucho que estés pasando por esto, y me alegra que me lo hayas contado. Mereces hablar ahora con una \
            persona, no con una aplicación de entrenamiento. Si podrías actuar según estos pensamientos, te has hecho daño o \
            no estás a salvo, llama ahora al {number}. También puedes contactar con una línea de crisis, gratuita y a \
            cualquier hora: {crisis_lines}. Si puedes, cuéntale a alguien de confianza cómo te sientes y quédate cerca de esa \
            persona. Si se trata de alguien que está contigo, quédate a su lado y llama al {number} si corre peligro. Si te he \
            entendido mal, dímelo y seguimos con tu entrenamiento.
            """,
        crisisLines:
            "llama al 024 en España o a la Línea de la Vida (800 911 2000) en México, o busca la línea de tu país en findahelpline.com",
        listAnd: "y", unsetNumberPhrase: "número de emergencias de tu país (112 / 911)")
}
