import FHIRCore

/// Builds a US Drug Formulary 2.0.1 drug benefit beside the network: formularies, the payer
/// plans that cover them with cost sharing per tier, drugs, and formulary items with tiers and
/// prior authorization, step therapy and quantity limit flags.
///
/// Drug names are real generic names and strengths; their RxCUIs are synthetic (the 99xxxxxx
/// range, which RxNorm does not use) because no RxNorm release ships with this repository.
struct FormularyFactory {
    typealias O = ResourceFactory

    static let usdf = "http://hl7.org/fhir/us/davinci-drug-formulary"
    static let rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

    struct Drug {
        var id: String
        var rxcui: String
        var display: String
        var form: String
        var tier: String
        var specialty: Bool

        /// The tier on one formulary: the basic one pushes brands down, the premium one lifts
        /// non-preferred drugs up.
        func tier(onLevel level: Int) -> String {
            switch (level, tier) {
            case (0, "preferred-brand"), (0, "brand"): return "non-preferred-brand"
            case (0, "preferred-generic"): return "generic"
            case (2, "non-preferred-generic"): return "generic"
            case (2, "non-preferred-brand"): return "preferred-brand"
            default: return tier
            }
        }
    }

    /// (name, strengths in MG, dose form, tier for the lowest plan, specialty).
    static let ingredients: [(String, [String], String, String, Bool)] = [
        ("atorvastatin", ["10", "20", "40", "80"], "Oral Tablet", "generic", false),
        ("lisinopril", ["5", "10", "20", "40"], "Oral Tablet", "generic", false),
        ("metformin hydrochloride", ["500", "850", "1000"], "Oral Tablet", "generic", false),
        ("amlodipine", ["2.5", "5", "10"], "Oral Tablet", "generic", false),
        ("simvastatin", ["10", "20", "40"], "Oral Tablet", "generic", false),
        ("omeprazole", ["10", "20", "40"], "Delayed Release Oral Capsule", "generic", false),
        ("losartan potassium", ["25", "50", "100"], "Oral Tablet", "generic", false),
        ("levothyroxine sodium", ["0.025", "0.05", "0.1"], "Oral Tablet", "preferred-generic", false),
        ("sertraline", ["25", "50", "100"], "Oral Tablet", "generic", false),
        ("gabapentin", ["100", "300", "400"], "Oral Capsule", "generic", false),
        ("hydrochlorothiazide", ["12.5", "25"], "Oral Tablet", "generic", false),
        ("amoxicillin", ["250", "500"], "Oral Capsule", "generic", false),
        (
            "amoxicillin / clavulanate potassium", ["250 / 125", "500 / 125", "875 / 125"], "Oral Tablet", "generic",
            false
        ),
        ("azithromycin", ["250", "500"], "Oral Tablet", "generic", false),
        ("montelukast", ["4", "5", "10"], "Oral Tablet", "preferred-generic", false),
        ("escitalopram", ["5", "10", "20"], "Oral Tablet", "generic", false),
        ("rosuvastatin", ["5", "10", "20", "40"], "Oral Tablet", "preferred-generic", false),
        ("pantoprazole", ["20", "40"], "Delayed Release Oral Tablet", "generic", false),
        ("furosemide", ["20", "40", "80"], "Oral Tablet", "generic", false),
        ("metoprolol succinate", ["25", "50", "100", "200"], "Extended Release Oral Tablet", "generic", false),
        ("carvedilol", ["3.125", "6.25", "12.5", "25"], "Oral Tablet", "generic", false),
        ("clopidogrel", ["75"], "Oral Tablet", "generic", false),
        ("doxepin", ["10", "25", "50", "75", "100", "150"], "Oral Capsule", "non-preferred-generic", false),
        ("duloxetine", ["20", "30", "60"], "Delayed Release Oral Capsule", "preferred-generic", false),
        ("tramadol hydrochloride", ["50"], "Oral Tablet", "non-preferred-generic", false),
        (
            "acetaminophen / oxycodone hydrochloride", ["325 / 5", "325 / 7.5", "325 / 10"], "Oral Tablet",
            "non-preferred-generic", false
        ),
        ("prednisone", ["5", "10", "20"], "Oral Tablet", "generic", false),
        ("warfarin sodium", ["1", "2", "5"], "Oral Tablet", "generic", false),
        ("apixaban", ["2.5", "5"], "Oral Tablet", "preferred-brand", false),
        ("rivaroxaban", ["10", "15", "20"], "Oral Tablet", "preferred-brand", false),
        ("sitagliptin", ["25", "50", "100"], "Oral Tablet", "preferred-brand", false),
        ("empagliflozin", ["10", "25"], "Oral Tablet", "preferred-brand", false),
        ("dapagliflozin", ["5", "10"], "Oral Tablet", "non-preferred-brand", false),
        ("insulin glargine", ["100"], "Injectable Solution", "preferred-brand", false),
        ("semaglutide", ["3", "7", "14"], "Oral Tablet", "non-preferred-brand", false),
        (
            "fluticasone / salmeterol", ["100 / 50", "250 / 50", "500 / 50"], "Dry Powder Inhaler", "preferred-brand",
            false
        ),
        ("albuterol", ["0.09"], "Metered Dose Inhaler", "generic", false),
        ("tiotropium", ["0.018"], "Inhalation Powder", "non-preferred-brand", false),
        ("adalimumab", ["20", "40", "80"], "Prefilled Syringe", "specialty", true),
        ("etanercept", ["25", "50"], "Prefilled Syringe", "specialty", true),
        ("ustekinumab", ["45", "90"], "Prefilled Syringe", "specialty", true),
        ("imatinib", ["100", "400"], "Oral Tablet", "specialty", true),
        ("abiraterone acetate", ["250", "500"], "Oral Tablet", "specialty", true),
        ("lenalidomide", ["5", "10", "15", "25"], "Oral Capsule", "specialty", true),
        ("sofosbuvir / velpatasvir", ["400 / 100"], "Oral Tablet", "specialty", true),
        ("emtricitabine / tenofovir alafenamide", ["200 / 25"], "Oral Tablet", "specialty", true),
        ("fingolimod", ["0.5"], "Oral Capsule", "specialty", true),
        ("buprenorphine / naloxone", ["2 / 0.5", "8 / 2"], "Sublingual Film", "preferred-generic", false),
        ("estradiol", ["0.5", "1", "2"], "Oral Tablet", "generic", false),
        ("norethindrone", ["0.35"], "Oral Tablet", "zero-cost-share-preventative", false),
        ("fluoride sodium", ["0.25", "0.5", "1"], "Chewable Tablet", "zero-cost-share-preventative", false),
    ]

    /// Brand names: a brand-only drug shows it in brackets; a generic with a brand also comes
    /// as the branded product, a tier higher.
    static let brands: [String: String] = [
        "atorvastatin": "Lipitor", "lisinopril": "Zestril", "metformin hydrochloride": "Glucophage",
        "amlodipine": "Norvasc",
        "simvastatin": "Zocor", "omeprazole": "Prilosec", "losartan potassium": "Cozaar",
        "levothyroxine sodium": "Synthroid",
        "sertraline": "Zoloft", "gabapentin": "Neurontin", "amoxicillin / clavulanate potassium": "Augmentin",
        "azithromycin": "Zithromax", "montelukast": "Singulair", "escitalopram": "Lexapro", "rosuvastatin": "Crestor",
        "pantoprazole": "Protonix", "furosemide": "Lasix", "metoprolol succinate": "Toprol", "carvedilol": "Coreg",
        "clopidogrel": "Plavix", "duloxetine": "Cymbalta", "acetaminophen / oxycodone hydrochloride": "Percocet",
        "warfarin sodium": "Coumadin", "apixaban": "Eliquis", "rivaroxaban": "Xarelto", "sitagliptin": "Januvia",
        "empagliflozin": "Jardiance", "dapagliflozin": "Farxiga", "insulin glargine": "Lantus",
        "semaglutide": "Rybelsus",
        "fluticasone / salmeterol": "Advair", "tiotropium": "Spiriva", "adalimumab": "Humira", "etanercept": "Enbrel",
        "ustekinumab": "Stelara", "imatinib": "Gleevec", "abiraterone acetate": "Zytiga", "lenalidomide": "Revlimid",
        "sofosbuvir / velpatasvir": "Epclusa", "emtricitabine / tenofovir alafenamide": "Descovy",
        "fingolimod": "Gilenya",
        "buprenorphine / naloxone": "Suboxone",
    ]

    static let tierDisplay: [String: String] = [
        "generic": "Generic", "preferred-generic": "Preferred Generic",
        "non-preferred-generic": "Non-preferred Generic",
        "specialty": "Specialty", "brand": "Brand", "preferred-brand": "Preferred Brand",
        "non-preferred-brand": "Non-preferred Brand", "zero-cost-share-preventative": "Zero cost-share preventative",
    ]

    /// SNOMED CT dose form groups for the forms above.
    static func doseForm(_ form: String) -> (String, String) {
        if form.contains("Capsule") { return ("385049006", "Capsule") }
        if form.contains("Tablet") { return ("385055001", "Tablet") }
        if form.contains("Inhal") || form.contains("Inhaler") { return ("420641004", "Solution for inhalation") }
        if form.contains("Film") { return ("447079001", "Sublingual film") }
        return ("385219001", "Solution for injection")
    }

    /// The formularies, lowest to highest: (id, name, share of drugs covered).
    static let formularies: [(id: String, name: String, coverage: Double, plan: String, product: String)] = [
        ("formulary-basic", "Acme Basic Drug Formulary", 0.6, "payer-plan-bronze", "Acme Bronze Rx"),
        ("formulary-standard", "Acme Standard Drug Formulary", 0.8, "payer-plan-silver", "Acme Silver Rx"),
        ("formulary-premium", "Acme Premium Drug Formulary", 1.0, "payer-plan-gold", "Acme Gold Rx"),
    ]

    let meta: (String) -> JSONValue

    init(lastUpdated: String) {
        self.meta = { profile in
            O.o(
                ("lastUpdated", O.s(lastUpdated)),
                ("profile", O.a([O.s("\(Self.usdf)/StructureDefinition/\(profile)")])))
        }
    }

    /// `count` formularies: the three of the sample, then more of the same three kinds.
    static func formularies(_ count: Int) -> [(
        id: String, name: String, coverage: Double, plan: String, product: String
    )] {
        (0..<count).map { n in
            if n < formularies.count { return formularies[n] }
            let base = formularies[n % 3]
            return (
                "\(base.id)-\(n)", "\(base.name) \(n)", base.coverage, "\(base.plan)-\(n)", "\(base.product) \(n)"
            )
        }
    }

    /// The drugs; with `variants` above one, each also comes from `variants - 1` more labelers,
    /// with RxCUIs of their own (still in the unused 99xxxxxx range), as a national formulary
    /// lists thousands of products.
    static func drugs(variants: Int = 1) -> [Drug] {
        let base = drugs()
        guard variants > 1 else { return base }
        var all = base
        for v in 1..<variants {
            for drug in base {
                let rxcui = String(Int(drug.rxcui)! + v * 100_000)
                var variant = drug
                variant.id = "drug-\(rxcui)"
                variant.rxcui = rxcui
                variant.display = "\(drug.display) (labeler \(v))"
                all.append(variant)
            }
        }
        return all
    }

    static func drugs() -> [Drug] {
        var drugs: [Drug] = []
        for (n, (name, strengths, form, tier, specialty)) in ingredients.enumerated() {
            for (k, strength) in strengths.enumerated() {
                let rxcui = String(99_000_000 + n * 100 + k)
                let parts = zip(name.components(separatedBy: " / "), strength.components(separatedBy: " / "))
                let strengthText = parts.map { "\($0) \($1) MG" }.joined(separator: " / ")
                let generic = tier.hasSuffix("generic") || tier == "zero-cost-share-preventative"
                let brand = brands[name]
                let display = "\(strengthText) \(form)" + (generic ? "" : brand.map { " [\($0)]" } ?? "")
                drugs.append(
                    Drug(
                        id: "drug-\(rxcui)", rxcui: rxcui, display: display, form: form, tier: tier,
                        specialty: specialty))
                if generic, let brand {
                    let branded = String(99_000_000 + n * 100 + 50 + k)
                    drugs.append(
                        Drug(
                            id: "drug-\(branded)", rxcui: branded, display: "\(strengthText) \(form) [\(brand)]",
                            form: form,
                            tier: "brand", specialty: false))
                }
            }
        }
        return drugs
    }

    func medication(_ drug: Drug) -> JSONValue {
        let (code, display) = Self.doseForm(drug.form)
        return O.o(
            ("resourceType", O.s("MedicationKnowledge")), ("id", O.s(drug.id)), ("meta", meta("usdf-FormularyDrug")),
            ("code", O.o(("coding", O.a([O.coding(Self.rxnorm, drug.rxcui, drug.display)])))),
            ("status", O.s("active")),
            ("doseForm", O.concept("http://snomed.info/sct", code, display)))
    }

    func formulary(_ id: String, _ name: String) -> JSONValue {
        O.o(
            ("resourceType", O.s("InsurancePlan")), ("id", O.s(id)), ("meta", meta("usdf-Formulary")),
            ("identifier", O.a([O.o(("system", O.s("https://acme.example.org/formulary")), ("value", O.s(id)))])),
            ("status", O.s("active")),
            ("type", O.a([O.concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL", "drug policy")])),
            ("name", O.s(name)), ("period", O.o(("start", O.s("2026-01-01")), ("end", O.s("2026-12-31")))))
    }

    func payerPlan(id: String, name: String, formulary: String, level: Int, states: [String]) -> JSONValue {
        let cost = "\(Self.usdf)/CodeSystem/usdf-BenefitCostTypeCS"
        let option = "\(Self.usdf)/CodeSystem/usdf-CostShareOptionCS"
        let tiers = ["generic", "preferred-generic", "preferred-brand", "non-preferred-brand", "specialty"]
        var specificCosts: [JSONValue] = []
        for (pharmacy, display, months) in [
            ("1-month-in-retail", "1 month in network retail", 1),
            ("3-month-in-mail", "3 month in network mail order", 3),
        ] {
            let benefits = tiers.enumerated().map { (t, tier) -> JSONValue in
                let copay = (5 + t * t * 15 - level * 5) * months
                let costs: [JSONValue] =
                    tier == "specialty"
                    ? [
                        O.o(
                            ("type", O.concept(cost, "coinsurance", "Coinsurance")),
                            ("qualifiers", O.a([O.concept(option, "after-deductible", "After Deductible")])),
                            (
                                "value",
                                O.o(
                                    ("value", .number(String(30 - level * 5))),
                                    ("system", O.s("http://unitsofmeasure.org")), ("code", O.s("%")))
                            )
                        )
                    ]
                    : [
                        O.o(
                            ("type", O.concept(cost, "copay", "Copay")),
                            ("qualifiers", O.a([O.concept(option, t == 0 ? "before-deductible" : "after-deductible")])),
                            (
                                "value",
                                O.o(
                                    ("value", .number(String(max(0, copay)))), ("unit", O.s("$")),
                                    ("system", O.s("urn:iso:std:iso:4217")), ("code", O.s("USD")))
                            )
                        )
                    ]
                return O.o(
                    ("type", O.concept("\(Self.usdf)/CodeSystem/usdf-DrugTierCS", tier, Self.tierDisplay[tier])),
                    ("cost", O.a(costs)))
            }
            specificCosts.append(
                O.o(
                    ("category", O.concept("\(Self.usdf)/CodeSystem/usdf-PharmacyBenefitTypeCS", pharmacy, display)),
                    ("benefit", O.a(benefits))))
        }
        let drugPlanType = O.concept("http://terminology.hl7.org/CodeSystem/insurance-plan-type", "drug", "Drug")
        return O.o(
            ("resourceType", O.s("InsurancePlan")), ("id", O.s(id)), ("meta", meta("usdf-PayerInsurancePlan")),
            ("identifier", O.a([O.o(("system", O.s("https://acme.example.org/plan")), ("value", O.s(id)))])),
            ("status", O.s("active")),
            (
                "type",
                O.a([
                    O.concept(
                        "http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/InsuranceProductTypeCS", "commppo")
                ])
            ),
            ("name", O.s(name)), ("period", O.o(("start", O.s("2026-01-01")), ("end", O.s("2026-12-31")))),
            ("coverageArea", O.a(states.map { O.ref("Location/state-\($0.lowercased())") })),
            (
                "contact",
                O.a([
                    O.o(
                        ("purpose", O.concept("http://terminology.hl7.org/CodeSystem/contactentity-type", "PATINF")),
                        ("telecom", O.a([O.o(("system", O.s("phone")), ("value", O.s("(800) 555-0102")))])))
                ])
            ),
            (
                "coverage",
                O.a([
                    O.o(
                        (
                            "extension",
                            O.a([
                                O.o(
                                    ("url", O.s("\(Self.usdf)/StructureDefinition/usdf-FormularyReference-extension")),
                                    ("valueReference", O.ref("InsurancePlan/\(formulary)")))
                            ])
                        ),
                        ("type", O.concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL")),
                        ("benefit", O.a([O.o(("type", drugPlanType))])))
                ])
            ),
            ("plan", O.a([O.o(("type", drugPlanType), ("specificCost", O.a(specificCosts)))])))
    }

    func item(_ drug: Drug, formulary: String, tier: String, rng: inout SplitMix64) -> JSONValue {
        func ext(_ name: String, _ value: (String, JSONValue)) -> JSONValue {
            O.o(("url", O.s("\(Self.usdf)/StructureDefinition/usdf-\(name)-extension")), value)
        }
        let pa = drug.specialty || rng.chance(0.1)
        let st = !drug.specialty && rng.chance(0.08)
        let ql = drug.specialty || rng.chance(0.15)
        var extensions: [JSONValue] = [
            ext("FormularyReference", ("valueReference", O.ref("InsurancePlan/\(formulary)"))),
            ext("AvailabilityStatus", ("valueCode", O.s("active"))),
            ext("AvailabilityPeriod", ("valuePeriod", O.o(("start", O.s("2026-01-01")), ("end", O.s("2026-12-31"))))),
            ext(
                "DrugTierID",
                (
                    "valueCodeableConcept",
                    O.concept("\(Self.usdf)/CodeSystem/usdf-DrugTierCS", tier, Self.tierDisplay[tier])
                )),
        ]
        for (code, display) in [
            ("1-month-in-retail", "1 month in network retail"), ("3-month-in-mail", "3 month in network mail order"),
        ]
        where !(drug.specialty && code.hasPrefix("3")) {
            extensions.append(
                ext(
                    "PharmacyBenefitType",
                    (
                        "valueCodeableConcept",
                        O.concept("\(Self.usdf)/CodeSystem/usdf-PharmacyBenefitTypeCS", code, display)
                    )))
        }
        extensions.append(ext("PriorAuthorization", ("valueBoolean", .bool(pa))))
        extensions.append(ext("StepTherapyLimit", ("valueBoolean", .bool(st))))
        extensions.append(ext("QuantityLimit", ("valueBoolean", .bool(ql))))
        if ql {
            extensions.append(
                O.o(
                    ("url", O.s("\(Self.usdf)/StructureDefinition/usdf-QuantityLimitDetail-extension")),
                    (
                        "extension",
                        O.a([
                            O.o(
                                ("url", O.s("Rolling")),
                                (
                                    "valueTiming",
                                    O.o(
                                        (
                                            "repeat",
                                            O.o(
                                                ("count", .number(drug.specialty ? "4" : "30")),
                                                ("period", .number("30")),
                                                ("periodUnit", O.s("d")))
                                        ))
                                ))
                        ])
                    )))
        }
        return O.o(
            ("resourceType", O.s("Basic")), ("id", O.s("item-\(formulary.dropFirst(10))-\(drug.rxcui)")),
            ("meta", meta("usdf-FormularyItem")), ("extension", O.a(extensions)),
            ("code", O.concept("\(Self.usdf)/CodeSystem/usdf-InsuranceItemTypeCS", "formulary-item", "Formulary Item")),
            ("subject", O.ref("MedicationKnowledge/\(drug.id)")))
    }
}
