// The Spanish synonym groups and rules: the emergencies of the English table that matter most,
// in the words people write them (accents optional: both spellings are listed, or a prefix
// covers them). Sources as for English: docs/coaching.md ("Where each rule comes from").
//
// Both tables read every message, so a term here must not also be an English word: no prefix
// that English shares ("suicid*" reads "suicide sprints", "convulsi*" "convulsions",
// "diabet*" "diabetes"); Spanish forms are listed instead. The English evaluation set guards it.

enum SpanishSafetyTable {
    static let otherPersonWords: Set<String> = [
        "amigo", "amiga", "amigos", "amigas", "padre", "madre", "papá", "papa", "mamá", "mama", "esposo", "esposa", "marido",
        "mujer", "pareja", "novio", "novia", "hermano", "hermana", "hijo", "hija", "abuelo", "abuela", "tío", "tio", "tía",
        "tia", "compañero", "compañera", "companero", "companera", "cliente", "clienta", "alguien", "él", "ella", "ellos",
        "ellas", "le", "su", "sus", "persona", "señor", "señora", "vecino", "vecina", "primo", "prima", "alumno", "alumna",
        "chico", "chica", "hombre", "niño", "niña",
    ]

    static let concepts: [String: [String]] = [
        "pecho": ["pecho", "esternón", "esternon", "tórax", "torax"],
        "pecho_fuerte": [
            "presión", "presion", "opresión", "opresion", "oprime", "aprieta", "apretado", "apretada", "aplast*", "pesadez",
            "estruj*", "punzada*", "como un elefante",
        ],
        "pecho_leve": ["dolor", "duele", "dolía", "dolia", "molestia", "molesta", "ardor", "quema", "pincha"],
        "musculo": [
            "press", "banca", "flexiones", "lagartijas", "pectoral*", "agujetas", "estir*", "tos", "toser", "aperturas",
            "fondos", "músculo", "musculo", "muscular",
        ],
        "ataque": [
            "me está dando", "me esta dando", "le está dando", "le esta dando", "estoy teniendo", "está teniendo",
            "esta teniendo", "creo que tengo", "creo que es", "creo que me está dando", "creo que me esta dando",
            "creo que le está dando", "creo que le esta dando", "ahora mismo",
        ],
        "infarto": ["infarto", "ataque al corazón", "ataque al corazon", "ataque cardiaco", "ataque cardíaco"],
        "ictus": ["ictus", "derrame cerebral", "embolia", "accidente cerebrovascular"],
        "contexto_parada": [
            "desmay*", "inconsciente", "colaps*", "en el suelo", "se cayó", "se cayo", "ayuda", "rcp", "112",
            "911", "ambulancia", "morado", "azul",
        ],
        "grito": ["ayuda", "auxilio", "socorro", "emergencia", "ambulancia", "112", "911"],
        "desmayo": [
            "desmay*", "perdí el conocimiento", "perdi el conocimiento", "perdió el conocimiento", "perdio el conocimiento",
            "perdí la conciencia", "perdi la conciencia", "perdió la conciencia", "perdio la conciencia", "inconsciente",
            "colaps*", "se me fue todo a negro", "me caí redondo", "me cai redondo", "me caí redonda", "me cai redonda",
        ],
        "lado": ["izquierdo", "izquierda", "derecho", "derecha", "un lado", "medio cuerpo", "la mitad"],
        "extremidad": ["brazo", "mano", "pierna", "lado", "cara", "cuerpo"],
        "sin_fuerza": [
            "no siento", "no lo siento", "no la siento", "no puedo mover", "no puedo levantar", "débil", "debil", "sin fuerza",
            "paraliz*", "no tengo fuerza", "no responde",
        ],
        "cara": ["cara", "boca", "sonrisa", "labio", "párpado", "parpado"],
        "caida": ["torcid*", "caíd*", "caid*", "se me cae", "se le cae", "paraliz*", "colgando", "dormida", "chueca"],
        "habla": ["hablar", "hablo", "habla", "palabras", "voz"],
        "arrastra": [
            "arrastr*", "trabo", "traba", "trabada", "trabado", "raro", "rara", "no me salen", "no le salen", "no puedo hablar",
            "no puede hablar",
            "no se le entiende", "no se me entiende", "sin sentido",
        ],
        "corazon": ["corazón", "corazon", "pulso", "latidos", "pulsaciones"],
        "irregular": ["irregular*", "se salta", "salta latidos", "saltos", "arritmi*", "arrítmi*", "descontrolad*"],
        "rapido": ["a mil", "muy rápido", "muy rapido", "acelerad*", "desbocad*", "no baja", "no se calma", "palpitaciones"],
        "mareo": ["mare*", "me voy a desmayar", "vértigo", "vertigo", "todo da vueltas", "veo estrellas"],
        "reposo": [
            "en reposo", "sentado", "sentada", "acostado", "acostada", "tumbado", "tumbada", "sin hacer nada", "descansando",
            "en la cama", "parado", "parada", "quieto", "quieta",
        ],
        "falta_aire": [
            "me falta el aire", "falta de aire", "me cuesta respirar", "no puedo respirar", "me ahogo", "ahogándome",
            "ahogandome", "sin aliento", "no me entra el aire", "no entra aire",
        ],
        "inhalador": ["inhalador", "ventolin", "ventolín", "salbutamol", "puff"],
        "no_funciona": ["no funciona", "no me hace efecto", "no hace efecto", "no hace nada", "no me ayuda", "no sirve"],
        "garganta": ["garganta", "lengua", "labios"],
        "hinchar": ["hinch*", "se cierra", "se me cierra", "cerrando", "cerrándose", "cerrandose"],
        "calor": ["calor", "sol", "caluroso", "bochorno", "sauna", "temperatura", "grados", "verano", "golpe de calor"],
        "confusion": [
            "confundido", "confundida", "confuso", "confusa", "confusión", "desorientado", "desorientada", "no sé dónde estoy",
            "no se donde estoy", "delirando", "delira", "delirio", "dejé de sudar",
            "deje de sudar", "no sudo", "ya no sudo", "dice cosas sin sentido",
        ],
        "orina": ["orina", "pis", "pipí", "pipi", "meo", "orino"],
        "oscura": ["marrón", "marron", "oscura", "coca cola", "cocacola", "negra", "café", "cafe", "té", "rojiza", "sangre"],
        "convulsion": [
            "convulsión", "convulsiones", "convulsionando", "convulsionó", "convulsiono", "convulsionar", "ataque epiléptico",
            "ataque epileptico", "crisis epiléptica", "crisis epileptica",
        ],
        "golpe_cabeza": [
            "golpe en la cabeza", "golpeé la cabeza", "golpee la cabeza", "golpeó la cabeza", "golpeo la cabeza",
            "di en la cabeza", "pegué en la cabeza", "pegue en la cabeza", "pegó en la cabeza", "pego en la cabeza",
            "conmoción", "conmocion", "me caí de cabeza", "me cai de cabeza",
        ],
        "signo_cabeza": [
            "vómito", "vómitos", "vomito", "vomitos", "vomitado", "vomitando", "vomité", "vomite", "devolv*", "confundido",
            "confundida", "somnolient*", "mucho sueño", "visión doble", "vision doble",
            "veo doble", "borros*", "no recuerdo", "no me acuerdo", "pregunta lo mismo", "desmay*", "inconsciente",
            "cada vez peor", "líquido", "liquido",
        ],
        "diabetes": [
            "diabético", "diabética", "diabetico", "diabetica", "tengo diabetes", "tiene diabetes", "insulina", "hipoglucemia",
            "glucosa", "azúcar", "azucar",
        ],
        "matarse": [
            "suicidarme", "me quiero suicidar", "me voy a suicidar", "matarme", "me quiero matar", "me voy a matar",
            "quitarme la vida", "acabar con mi vida", "no quiero vivir", "no quiero seguir viviendo", "no tengo ganas de vivir",
            "sin ganas de vivir",
            "mejor muerto", "mejor muerta", "hacerme daño", "hacerme dano",
            "autolesi*", "pensamientos suicidas", "ideas suicidas", "desaparecer para siempre", "quitarse la vida",
            "se quiere suicidar", "se quiere matar", "no quiero despertar", "ojalá no despertar", "ojala no despertar",
        ],
        "morir": ["quiero morir*", "me quiero morir", "quisiera morir*", "quiero estar muerto", "quiero estar muerta"],
        "embarazo_signo": [
            "sangr*", "rompí aguas", "rompi aguas", "roto aguas", "rompió la fuente", "rompio la fuente", "líquido", "liquido",
            "contracciones", "el bebé no se mueve", "el bebe no se mueve", "no noto al bebé", "no noto al bebe",
        ],
    ]

    static let redFlagRules: [RedFlagRule] = [
        RedFlagRule("es.chest", .chestPain, triggers: [["@pecho", "@pecho_fuerte"], ["peso en el pecho"]], window: 6),
        RedFlagRule("es.chest.mild", .chestPain, triggers: [["@pecho", "@pecho_leve"]], window: 5, unless: ["@musculo"]),
        RedFlagRule(
            "es.chest.heart_attack", .chestPain, triggers: [["@ataque", "@infarto"], ["@infarto", "@grito"]], window: 4,
            unless: ["prevenir", "evitar", "después de", "despues de", "recuper*", "rehabilita*"]),
        RedFlagRule("es.faint", .fainting, triggers: [["@desmayo"]], unless: ["rodilla*", "tobillo*", "muscular", "fallo"]),
        RedFlagRule(
            "es.one_sided", .oneSidedWeakness, triggers: [["@lado", "@extremidad", "@sin_fuerza"]], window: 8,
            unless: ["agujetas", "cansad*"]),
        RedFlagRule(
            "es.stroke", .strokeSigns,
            triggers: [["@cara", "@caida"], ["@habla", "@arrastra"], ["@ataque", "@ictus"], ["@ictus", "@grito"]], window: 8,
            unless: ["prevenir", "evitar", "después de", "despues de", "recuper*", "rehabilita*"]),
        RedFlagRule(
            "es.headache", .suddenSevereHeadache,
            triggers: [
                ["peor dolor de cabeza"], ["dolor de cabeza", "repentino"], ["dolor de cabeza", "de repente"],
                ["dolor de cabeza", "explosivo"], ["dolor de cabeza", "insoportable"], ["dolor de cabeza", "como nunca"],
            ], window: 6),
        RedFlagRule(
            "es.palpitations", .palpitations,
            triggers: [["@corazon", "@irregular"], ["@corazon", "@rapido", "@mareo"], ["@corazon", "@rapido", "@reposo"]],
            window: 12, unless: ["comba", "cuerda"]),
        RedFlagRule(
            "es.breath", .breathlessnessAtRest,
            triggers: [
                ["@falta_aire", "@reposo"], ["labios azules"], ["labios morados"], ["@inhalador", "@no_funciona"],
            ], window: 10),
        RedFlagRule(
            "es.breath.cannot", .breathlessnessAtRest, triggers: [["no puedo respirar"], ["no puede respirar"], ["me ahogo"]],
            unless: ["nariz", "congest*", "resfriado", "mascarilla", "burpees", "sprint*", "correr", "corriendo", "entrenando"]),
        RedFlagRule(
            "es.anaphylaxis", .anaphylaxis,
            triggers: [
                ["@garganta", "@hinchar"], ["anafila*"], ["reacción alérgica", "@falta_aire"], ["reaccion alergica", "@falta_aire"],
            ],
            window: 10, unless: ["dolor de garganta", "resfriado", "gripe", "anginas", "amigdal*"]),
        RedFlagRule(
            "es.heat", .heatIllness, triggers: [["@calor", "@confusion"], ["golpe de calor"], ["insolación"], ["insolacion"]],
            window: 14,
            unless: ["evitar", "prevenir", "confundido sobre", "confundida sobre", "confundido con", "confundida con", "dudas", "rutina"]),
        RedFlagRule(
            "es.rhabdo", .rhabdomyolysis, triggers: [["@orina", "@oscura"], ["rabdomi*"]], window: 8,
            unless: ["remolacha", "vitamina*", "suplemento*", "amarill*", "regla", "menstrua*"]),
        RedFlagRule(
            "es.seizure", .seizure, triggers: [["@convulsion"]],
            unless: ["medicación", "medicacion", "medicamento*", "pastillas", "sin crisis", "controlad*"]),
        RedFlagRule(
            "es.vision", .visionLoss, triggers: [["veo doble"], ["visión doble"], ["vision doble"], ["perdí la vista"], ["perdi la vista"]]),
        RedFlagRule(
            "es.cardiac_arrest", .cardiacArrest,
            triggers: [["no respira", "@contexto_parada"], ["dejó de respirar"], ["dejo de respirar"], ["no tiene pulso"]], window: 12,
            unless: ["bien", "nariz", "boca", "durante", "técnica", "tecnica", "sentadilla*", "correr"]),
        RedFlagRule("es.head_injury", .headInjury, triggers: [["@golpe_cabeza", "@signo_cabeza"]], window: 16, unless: ["jaja*"]),
        RedFlagRule(
            "es.low_blood_sugar", .lowBloodSugar, triggers: [["@diabetes", "@confusion"]], window: 14,
            unless: ["confundido con", "confundida con", "dudas"]),
        RedFlagRule(
            "es.pregnancy.warning", .pregnancyWarningSign, triggers: [["@embarazo_signo"]], window: 8,
            unless: ["nariz", "encías", "encias", "ampolla"], requires: .pregnancy),
        RedFlagRule("es.self_harm", .selfHarm, triggers: [["@matarse"]], window: 6),
        // Spanish forms only: a prefix would also read English "suicide sprints".
        RedFlagRule(
            "es.self_harm.suicide", .selfHarm,
            triggers: [["suicida"], ["suicidas"], ["suicidio"], ["suicidarme"], ["suicidarse"], ["suicidar"], ["suicidó"]],
            unless: ["prevención", "prevencion", "carrera", "campaña", "campana", "documental", "serie", "libro", "película", "pelicula"]),
        // "Me corto" is also a haircut or a kitchen accident.
        RedFlagRule(
            "es.self_harm.cut", .selfHarm, triggers: [["me corto"], ["cortarme"], ["me he cortado"]],
            unless: [
                "pelo", "uñas", "unas", "barba", "flequillo", "sin querer", "accidente", "cocinando", "afeit*", "papel", "dedo",
                "cuchillo de cocina",
            ]),
        // "Quiero morir" is said of burpees too: not with a workout or a laugh in the clause.
        RedFlagRule(
            "es.self_harm.die", .selfHarm, triggers: [["@morir"]],
            unless: [
                "jaja*", "jeje*", "burpees", "agujetas", "pierna*", "entreno", "entrenamiento", "clase", "sentadillas", "cardio",
                "gimnasio", "gym", "spinning",
            ]),
    ]

    static let conditionRules: [ConditionRule] = [
        ConditionRule(
            "es.pregnancy", .pregnancy, triggers: [["embarazada"], ["embarazo"], ["semanas de gestación"], ["semanas de gestacion"]],
            unless: [
                "después del embarazo", "despues del embarazo", "antes del embarazo", "quedarme embarazada", "quedar embarazada",
                "di a luz",
            ], timing: .current),
        ConditionRule(
            "es.diabetes", .diabetes,
            triggers: [["diabético"], ["diabética"], ["diabetico"], ["diabetica"], ["tengo diabetes"], ["insulina"]]),
        ConditionRule(
            "es.heart", .heartDisease,
            triggers: [
                ["problema del corazón"], ["problemas del corazón"], ["problema de corazón"], ["cardiopat*"], ["marcapasos"], ["arritmi*"],
            ]),
        ConditionRule("es.lung", .lungDisease, triggers: [["asma"], ["asmátic*"], ["asmatic*"], ["epoc"], ["inhalador"]]),
    ]
}
