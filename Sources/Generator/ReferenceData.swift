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

    /// Two or more cities in every state and DC, for the national profile: locations cluster
    /// in them, as a national network's do.
    static let nationalCities: [City] = [
        City(name: "Birmingham", state: "AL", zip: "352", areaCode: "205", latitude: 33.5186, longitude: -86.8104),
        City(name: "Montgomery", state: "AL", zip: "361", areaCode: "334", latitude: 32.3668, longitude: -86.3000),
        City(name: "Anchorage", state: "AK", zip: "995", areaCode: "907", latitude: 61.2181, longitude: -149.9003),
        City(name: "Fairbanks", state: "AK", zip: "997", areaCode: "907", latitude: 64.8378, longitude: -147.7164),
        City(name: "Phoenix", state: "AZ", zip: "850", areaCode: "602", latitude: 33.4484, longitude: -112.0740),
        City(name: "Tucson", state: "AZ", zip: "857", areaCode: "520", latitude: 32.2226, longitude: -110.9747),
        City(name: "Little Rock", state: "AR", zip: "722", areaCode: "501", latitude: 34.7465, longitude: -92.2896),
        City(name: "Fayetteville", state: "AR", zip: "727", areaCode: "479", latitude: 36.0626, longitude: -94.1574),
        City(name: "Los Angeles", state: "CA", zip: "900", areaCode: "213", latitude: 34.0522, longitude: -118.2437),
        City(name: "San Francisco", state: "CA", zip: "941", areaCode: "415", latitude: 37.7749, longitude: -122.4194),
        City(name: "San Diego", state: "CA", zip: "921", areaCode: "619", latitude: 32.7157, longitude: -117.1611),
        City(name: "Sacramento", state: "CA", zip: "958", areaCode: "916", latitude: 38.5816, longitude: -121.4944),
        City(name: "Fresno", state: "CA", zip: "937", areaCode: "559", latitude: 36.7378, longitude: -119.7871),
        City(name: "Denver", state: "CO", zip: "802", areaCode: "303", latitude: 39.7392, longitude: -104.9903),
        City(
            name: "Colorado Springs", state: "CO", zip: "809", areaCode: "719", latitude: 38.8339, longitude: -104.8214),
        City(name: "Hartford", state: "CT", zip: "061", areaCode: "860", latitude: 41.7658, longitude: -72.6734),
        City(name: "New Haven", state: "CT", zip: "065", areaCode: "203", latitude: 41.3083, longitude: -72.9279),
        City(name: "Wilmington", state: "DE", zip: "198", areaCode: "302", latitude: 39.7391, longitude: -75.5398),
        City(name: "Dover", state: "DE", zip: "199", areaCode: "302", latitude: 39.1582, longitude: -75.5244),
        City(name: "Washington", state: "DC", zip: "200", areaCode: "202", latitude: 38.9072, longitude: -77.0369),
        City(name: "Miami", state: "FL", zip: "331", areaCode: "305", latitude: 25.7617, longitude: -80.1918),
        City(name: "Orlando", state: "FL", zip: "328", areaCode: "407", latitude: 28.5383, longitude: -81.3792),
        City(name: "Tampa", state: "FL", zip: "336", areaCode: "813", latitude: 27.9506, longitude: -82.4572),
        City(name: "Jacksonville", state: "FL", zip: "322", areaCode: "904", latitude: 30.3322, longitude: -81.6557),
        City(name: "Atlanta", state: "GA", zip: "303", areaCode: "404", latitude: 33.7490, longitude: -84.3880),
        City(name: "Savannah", state: "GA", zip: "314", areaCode: "912", latitude: 32.0809, longitude: -81.0912),
        City(name: "Honolulu", state: "HI", zip: "968", areaCode: "808", latitude: 21.3069, longitude: -157.8583),
        City(name: "Hilo", state: "HI", zip: "967", areaCode: "808", latitude: 19.7071, longitude: -155.0885),
        City(name: "Boise", state: "ID", zip: "837", areaCode: "208", latitude: 43.6150, longitude: -116.2023),
        City(name: "Idaho Falls", state: "ID", zip: "834", areaCode: "208", latitude: 43.4917, longitude: -112.0339),
        City(name: "Chicago", state: "IL", zip: "606", areaCode: "312", latitude: 41.8781, longitude: -87.6298),
        City(name: "Springfield", state: "IL", zip: "627", areaCode: "217", latitude: 39.7817, longitude: -89.6501),
        City(name: "Indianapolis", state: "IN", zip: "462", areaCode: "317", latitude: 39.7684, longitude: -86.1581),
        City(name: "Fort Wayne", state: "IN", zip: "468", areaCode: "260", latitude: 41.0793, longitude: -85.1394),
        City(name: "Des Moines", state: "IA", zip: "503", areaCode: "515", latitude: 41.5868, longitude: -93.6250),
        City(name: "Cedar Rapids", state: "IA", zip: "524", areaCode: "319", latitude: 41.9779, longitude: -91.6656),
        City(name: "Wichita", state: "KS", zip: "672", areaCode: "316", latitude: 37.6872, longitude: -97.3301),
        City(name: "Kansas City", state: "KS", zip: "661", areaCode: "913", latitude: 39.1142, longitude: -94.6275),
        City(name: "Louisville", state: "KY", zip: "402", areaCode: "502", latitude: 38.2527, longitude: -85.7585),
        City(name: "Lexington", state: "KY", zip: "405", areaCode: "859", latitude: 38.0406, longitude: -84.5037),
        City(name: "New Orleans", state: "LA", zip: "701", areaCode: "504", latitude: 29.9511, longitude: -90.0715),
        City(name: "Baton Rouge", state: "LA", zip: "708", areaCode: "225", latitude: 30.4515, longitude: -91.1871),
        City(name: "Portland", state: "ME", zip: "041", areaCode: "207", latitude: 43.6591, longitude: -70.2568),
        City(name: "Bangor", state: "ME", zip: "044", areaCode: "207", latitude: 44.8012, longitude: -68.7778),
        City(name: "Baltimore", state: "MD", zip: "212", areaCode: "410", latitude: 39.2904, longitude: -76.6122),
        City(name: "Bethesda", state: "MD", zip: "208", areaCode: "301", latitude: 38.9847, longitude: -77.0947),
        City(name: "Boston", state: "MA", zip: "021", areaCode: "617", latitude: 42.3601, longitude: -71.0589),
        City(name: "Worcester", state: "MA", zip: "016", areaCode: "508", latitude: 42.2626, longitude: -71.8023),
        City(name: "Springfield", state: "MA", zip: "011", areaCode: "413", latitude: 42.1015, longitude: -72.5898),
        City(name: "Detroit", state: "MI", zip: "482", areaCode: "313", latitude: 42.3314, longitude: -83.0458),
        City(name: "Grand Rapids", state: "MI", zip: "495", areaCode: "616", latitude: 42.9634, longitude: -85.6681),
        City(name: "Minneapolis", state: "MN", zip: "554", areaCode: "612", latitude: 44.9778, longitude: -93.2650),
        City(name: "Rochester", state: "MN", zip: "559", areaCode: "507", latitude: 44.0121, longitude: -92.4802),
        City(name: "Jackson", state: "MS", zip: "392", areaCode: "601", latitude: 32.2988, longitude: -90.1848),
        City(name: "Gulfport", state: "MS", zip: "395", areaCode: "228", latitude: 30.3674, longitude: -89.0928),
        City(name: "St. Louis", state: "MO", zip: "631", areaCode: "314", latitude: 38.6270, longitude: -90.1994),
        City(name: "Kansas City", state: "MO", zip: "641", areaCode: "816", latitude: 39.0997, longitude: -94.5786),
        City(name: "Billings", state: "MT", zip: "591", areaCode: "406", latitude: 45.7833, longitude: -108.5007),
        City(name: "Missoula", state: "MT", zip: "598", areaCode: "406", latitude: 46.8721, longitude: -113.9940),
        City(name: "Omaha", state: "NE", zip: "681", areaCode: "402", latitude: 41.2565, longitude: -95.9345),
        City(name: "Lincoln", state: "NE", zip: "685", areaCode: "402", latitude: 40.8136, longitude: -96.7026),
        City(name: "Las Vegas", state: "NV", zip: "891", areaCode: "702", latitude: 36.1699, longitude: -115.1398),
        City(name: "Reno", state: "NV", zip: "895", areaCode: "775", latitude: 39.5296, longitude: -119.8138),
        City(name: "Manchester", state: "NH", zip: "031", areaCode: "603", latitude: 42.9956, longitude: -71.4548),
        City(name: "Concord", state: "NH", zip: "033", areaCode: "603", latitude: 43.2081, longitude: -71.5376),
        City(name: "Newark", state: "NJ", zip: "071", areaCode: "973", latitude: 40.7357, longitude: -74.1724),
        City(name: "Trenton", state: "NJ", zip: "086", areaCode: "609", latitude: 40.2206, longitude: -74.7597),
        City(name: "Albuquerque", state: "NM", zip: "871", areaCode: "505", latitude: 35.0844, longitude: -106.6504),
        City(name: "Santa Fe", state: "NM", zip: "875", areaCode: "505", latitude: 35.6870, longitude: -105.9378),
        City(name: "New York", state: "NY", zip: "100", areaCode: "212", latitude: 40.7128, longitude: -74.0060),
        City(name: "Buffalo", state: "NY", zip: "142", areaCode: "716", latitude: 42.8864, longitude: -78.8784),
        City(name: "Albany", state: "NY", zip: "122", areaCode: "518", latitude: 42.6526, longitude: -73.7562),
        City(name: "Charlotte", state: "NC", zip: "282", areaCode: "704", latitude: 35.2271, longitude: -80.8431),
        City(name: "Raleigh", state: "NC", zip: "276", areaCode: "919", latitude: 35.7796, longitude: -78.6382),
        City(name: "Fargo", state: "ND", zip: "581", areaCode: "701", latitude: 46.8772, longitude: -96.7898),
        City(name: "Bismarck", state: "ND", zip: "585", areaCode: "701", latitude: 46.8083, longitude: -100.7837),
        City(name: "Columbus", state: "OH", zip: "432", areaCode: "614", latitude: 39.9612, longitude: -82.9988),
        City(name: "Cleveland", state: "OH", zip: "441", areaCode: "216", latitude: 41.4993, longitude: -81.6944),
        City(name: "Cincinnati", state: "OH", zip: "452", areaCode: "513", latitude: 39.1031, longitude: -84.5120),
        City(name: "Oklahoma City", state: "OK", zip: "731", areaCode: "405", latitude: 35.4676, longitude: -97.5164),
        City(name: "Tulsa", state: "OK", zip: "741", areaCode: "918", latitude: 36.1540, longitude: -95.9928),
        City(name: "Portland", state: "OR", zip: "972", areaCode: "503", latitude: 45.5152, longitude: -122.6784),
        City(name: "Eugene", state: "OR", zip: "974", areaCode: "541", latitude: 44.0521, longitude: -123.0868),
        City(name: "Philadelphia", state: "PA", zip: "191", areaCode: "215", latitude: 39.9526, longitude: -75.1652),
        City(name: "Pittsburgh", state: "PA", zip: "152", areaCode: "412", latitude: 40.4406, longitude: -79.9959),
        City(name: "Allentown", state: "PA", zip: "181", areaCode: "610", latitude: 40.6084, longitude: -75.4902),
        City(name: "Providence", state: "RI", zip: "029", areaCode: "401", latitude: 41.8240, longitude: -71.4128),
        City(name: "Warwick", state: "RI", zip: "028", areaCode: "401", latitude: 41.7001, longitude: -71.4162),
        City(name: "Charleston", state: "SC", zip: "294", areaCode: "843", latitude: 32.7765, longitude: -79.9311),
        City(name: "Columbia", state: "SC", zip: "292", areaCode: "803", latitude: 34.0007, longitude: -81.0348),
        City(name: "Sioux Falls", state: "SD", zip: "571", areaCode: "605", latitude: 43.5446, longitude: -96.7311),
        City(name: "Rapid City", state: "SD", zip: "577", areaCode: "605", latitude: 44.0805, longitude: -103.2310),
        City(name: "Nashville", state: "TN", zip: "372", areaCode: "615", latitude: 36.1627, longitude: -86.7816),
        City(name: "Memphis", state: "TN", zip: "381", areaCode: "901", latitude: 35.1495, longitude: -90.0490),
        City(name: "Houston", state: "TX", zip: "770", areaCode: "713", latitude: 29.7604, longitude: -95.3698),
        City(name: "Dallas", state: "TX", zip: "752", areaCode: "214", latitude: 32.7767, longitude: -96.7970),
        City(name: "San Antonio", state: "TX", zip: "782", areaCode: "210", latitude: 29.4241, longitude: -98.4936),
        City(name: "Austin", state: "TX", zip: "787", areaCode: "512", latitude: 30.2672, longitude: -97.7431),
        City(name: "El Paso", state: "TX", zip: "799", areaCode: "915", latitude: 31.7619, longitude: -106.4850),
        City(name: "Salt Lake City", state: "UT", zip: "841", areaCode: "801", latitude: 40.7608, longitude: -111.8910),
        City(name: "Provo", state: "UT", zip: "846", areaCode: "801", latitude: 40.2338, longitude: -111.6585),
        City(name: "Burlington", state: "VT", zip: "054", areaCode: "802", latitude: 44.4759, longitude: -73.2121),
        City(name: "Montpelier", state: "VT", zip: "056", areaCode: "802", latitude: 44.2601, longitude: -72.5754),
        City(name: "Richmond", state: "VA", zip: "232", areaCode: "804", latitude: 37.5407, longitude: -77.4360),
        City(name: "Norfolk", state: "VA", zip: "235", areaCode: "757", latitude: 36.8508, longitude: -76.2859),
        City(name: "Seattle", state: "WA", zip: "981", areaCode: "206", latitude: 47.6062, longitude: -122.3321),
        City(name: "Spokane", state: "WA", zip: "992", areaCode: "509", latitude: 47.6588, longitude: -117.4260),
        City(name: "Charleston", state: "WV", zip: "253", areaCode: "304", latitude: 38.3498, longitude: -81.6326),
        City(name: "Morgantown", state: "WV", zip: "265", areaCode: "304", latitude: 39.6295, longitude: -79.9559),
        City(name: "Milwaukee", state: "WI", zip: "532", areaCode: "414", latitude: 43.0389, longitude: -87.9065),
        City(name: "Madison", state: "WI", zip: "537", areaCode: "608", latitude: 43.0731, longitude: -89.4012),
        City(name: "Cheyenne", state: "WY", zip: "820", areaCode: "307", latitude: 41.1400, longitude: -104.8202),
        City(name: "Casper", state: "WY", zip: "826", areaCode: "307", latitude: 42.8501, longitude: -106.3252),
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
