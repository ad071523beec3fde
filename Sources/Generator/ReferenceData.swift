/// Names, places and codes the generator draws from. Codes and displays are copied from the
/// Plan-Net 1.1.0 ValueSets and CodeSystems (NUCC taxonomy, OrgTypeCS, …).
enum ReferenceData {
    struct City {
        var name: String
        var state: String
        var zip: String
        var areaCode: String
        var latitude: Double
        var longitude: Double
    }

    static let cities: [City] = [
        City(name: "Hartford", state: "CT", zip: "061", areaCode: "860", latitude: 41.7658, longitude: -72.6734),
        City(name: "New Haven", state: "CT", zip: "065", areaCode: "203", latitude: 41.3083, longitude: -72.9279),
        City(name: "Stamford", state: "CT", zip: "069", areaCode: "203", latitude: 41.0534, longitude: -73.5387),
        City(name: "Springfield", state: "MA", zip: "011", areaCode: "413", latitude: 42.1015, longitude: -72.5898),
        City(name: "Worcester", state: "MA", zip: "016", areaCode: "508", latitude: 42.2626, longitude: -71.8023),
        City(name: "Boston", state: "MA", zip: "021", areaCode: "617", latitude: 42.3601, longitude: -71.0589),
        City(name: "Providence", state: "RI", zip: "029", areaCode: "401", latitude: 41.8240, longitude: -71.4128),
        City(name: "Albany", state: "NY", zip: "122", areaCode: "518", latitude: 42.6526, longitude: -73.7562),
        City(name: "White Plains", state: "NY", zip: "106", areaCode: "914", latitude: 41.0340, longitude: -73.7629),
        City(name: "Newark", state: "NJ", zip: "071", areaCode: "973", latitude: 40.7357, longitude: -74.1724),
        City(name: "Trenton", state: "NJ", zip: "086", areaCode: "609", latitude: 40.2206, longitude: -74.7597),
        City(name: "Allentown", state: "PA", zip: "181", areaCode: "610", latitude: 40.6084, longitude: -75.4902),
    ]

    static let familyNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
        "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
        "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller", "O'Brien",
        "Kowalski", "Patel", "Shah", "Kim", "Chen", "Wang", "Cohen", "Rossi", "Dubois", "Novak", "Nakamura",
    ]

    static let givenNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
        "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "José", "Ashley", "Steven",
        "Emily", "Andrew", "Donna", "Kenneth", "Michelle", "Joshua", "Carol", "Kevin", "Amanda", "Brian", "Zoë",
        "Chloé", "Renée", "André", "Priya", "Wei", "Fatima", "Omar", "Ana", "Luis", "Sofia", "Hiroshi", "Ingrid",
    ]

    static let streets = [
        "Main Street", "Oak Avenue", "Maple Street", "Washington Boulevard", "Park Avenue", "Elm Street",
        "Church Street", "Asylum Avenue", "Prospect Street", "Franklin Avenue", "Farmington Avenue", "State Street",
    ]

    /// NUCC taxonomy codes and displays from IndividualAndGroupSpecialtiesVS, with the share
    /// of practitioners drawn for each (primary care dominates real networks).
    static let specialties: [(code: String, display: String, weight: Int)] = [
        ("207Q00000X", "Family Medicine Physician", 14),
        ("207R00000X", "Internal Medicine Physician", 12),
        ("208000000X", "Pediatrics Physician", 8),
        ("363LF0000X", "Family Nurse Practitioner", 7),
        ("363A00000X", "Physician Assistant", 6),
        ("207V00000X", "Obstetrics & Gynecology Physician", 5),
        ("207RC0000X", "Cardiovascular Disease Physician", 4),
        ("2084P0800X", "Psychiatry Physician", 4),
        ("103T00000X", "Psychologist", 4),
        ("1041C0700X", "Clinical Social Worker", 3),
        ("207X00000X", "Orthopaedic Surgery Physician", 3),
        ("207P00000X", "Emergency Medicine Physician", 3),
        ("207L00000X", "Anesthesiology Physician", 3),
        ("2085R0202X", "Diagnostic Radiology Physician", 3),
        ("207N00000X", "Dermatology Physician", 2),
        ("207W00000X", "Ophthalmology Physician", 2),
        ("207Y00000X", "Otolaryngology Physician", 2),
        ("208600000X", "Surgery Physician", 2),
        ("207RE0101X", "Endocrinology, Diabetes & Metabolism Physician", 2),
        ("207RG0100X", "Gastroenterology Physician", 2),
        ("207RP1001X", "Pulmonary Disease Physician", 1),
        ("207K00000X", "Allergy & Immunology Physician", 1),
        ("208100000X", "Physical Medicine & Rehabilitation Physician", 1),
        ("111N00000X", "Chiropractor", 2),
        ("152W00000X", "Optometrist", 2),
        ("225100000X", "Physical Therapist", 3),
        ("363LP0808X", "Psychiatric/Mental Health Nurse Practitioner", 1),
    ]

    /// BCP-47 languages spoken besides English, with the share of practitioners speaking each.
    static let languages: [(code: String, display: String)] = [
        ("es", "Spanish"), ("zh", "Chinese"), ("vi", "Vietnamese"), ("pt", "Portuguese"), ("fr", "French"),
        ("pl", "Polish"), ("hi", "Hindi"), ("ko", "Korean"), ("ru", "Russian"), ("ar", "Arabic"),
    ]

    static let planNet = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
    static let nucc = "http://nucc.org/provider-taxonomy"
    static let npiSystem = "http://hl7.org/fhir/sid/us-npi"
}
