using System.Globalization;
using CcmPlatform.Billing.Data;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CcmPlatform.Billing.Exports;

/// <summary>What one exported claim needs beyond the claim row: the patient and the coverage in force on the date of service.</summary>
public sealed record FhirClaimSource(ClaimRecord Claim, PatientFact? Patient, CoverageFact? Coverage);

/// <summary>
/// Live claims as FHIR R4 Claim resources (professional, Medicare Part B). Patient, Coverage and the billing
/// Practitioner are contained so each Claim stands alone and validates without resolving anything.
/// </summary>
public static class FhirClaimExport
{
    public const string MediaType = "application/fhir+json";
    public const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";
    public const string MbiSystem = "http://hl7.org/fhir/sid/us-mbi";
    public const string Icd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string CptSystem = "http://www.ama-assn.org/go/cpt";
    public const string HcpcsSystem = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public const string UriSystem = "urn:ietf:rfc:3986";
    public const string Insurer = "Medicare Part B";
    private const string Usd = "USD";

    // CMS-1500 lets a line point at no more than four diagnoses.
    private const int MaxPointersPerLine = 4;

    public static Claim ToFhir(FhirClaimSource source)
    {
        var c = source.Claim;
        var patient = new Patient { Id = "patient" };
        patient.Identifier.Add(new Identifier(UriSystem, $"urn:uuid:{c.PatientId}"));
        var (given, family) = Names(source, c.PatientName);
        if (given.Length + family.Length > 0)
            patient.Name.Add(new HumanName { Family = family.Length > 0 ? family : null, Given = given.Length > 0 ? [given] : [] });
        if (source.Patient is { } p && p.BirthDate != default) patient.BirthDate = Date(p.BirthDate);

        var coverage = new Coverage
        {
            Id = "coverage",
            Status = FinancialResourceStatusCodes.Active,
            SubscriberId = c.Mbi.Length > 0 ? c.Mbi : null,
            Beneficiary = new ResourceReference("#patient"),
            Payor = [new ResourceReference { Display = Insurer }],
        };
        if (c.Mbi.Length > 0) coverage.Identifier.Add(new Identifier(MbiSystem, c.Mbi));
        if (source.Coverage is { } cov)
            coverage.Period = new Period { Start = Date(cov.PartBStart), End = cov.PartBEnd is { } e ? Date(e) : null };

        var practitioner = new Practitioner { Id = "billing-practitioner" };
        practitioner.Identifier.Add(new Identifier(NpiSystem, c.BillingNpi));

        var dos = Date(c.DateOfService);
        var claim = new Claim
        {
            Id = c.ClaimId.ToString(),
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional", "Professional"),
            Use = ClaimUseCode.Claim,
            Patient = new ResourceReference("#patient"),
            // The service month up to the date of service (month end, death, or early release: R-CODE-5).
            BillablePeriod = new Period { Start = Date(new DateOnly(c.Year, c.Month, 1)), End = dos },
            Created = new FhirDateTime(new DateTimeOffset(DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc))).ToString(),
            Insurer = new ResourceReference { Display = Insurer },
            Provider = new ResourceReference("#billing-practitioner"),
            Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", "normal", "Normal"),
            Total = Money(c.TotalCents),
        };
        claim.Contained.Add(patient);
        claim.Contained.Add(coverage);
        claim.Contained.Add(practitioner);
        claim.Identifier.Add(new Identifier(UriSystem, $"urn:uuid:{c.ClaimId}"));
        if (c.ReplacesClaimId is { } replaced)
            claim.Related.Add(new Claim.RelatedClaimComponent
            {
                Claim = new ResourceReference { Identifier = new Identifier(UriSystem, $"urn:uuid:{replaced}") },
                Relationship = new CodeableConcept("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "prior"),
            });
        claim.Insurance.Add(new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference("#coverage") });

        var diagnoses = c.Diagnoses.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < diagnoses.Length; i++)
            claim.Diagnosis.Add(new Claim.DiagnosisComponent
            {
                Sequence = i + 1,
                Diagnosis = new CodeableConcept(Icd10CmSystem, diagnoses[i]),
            });
        var pointers = Enumerable.Range(1, Math.Min(diagnoses.Length, MaxPointersPerLine)).Select(n => (int?)n).ToList();

        foreach (var line in c.Lines.OrderBy(l => l.Seq))
        {
            claim.Item.Add(new Claim.ItemComponent
            {
                Sequence = line.Seq,
                DiagnosisSequenceElement = pointers.Select(n => new PositiveInt(n)).ToList(),
                ProductOrService = new CodeableConcept(IsHcpcs(line.Code) ? HcpcsSystem : CptSystem, line.Code),
                Serviced = new Hl7.Fhir.Model.Date(Date(c.DateOfService)),
                Quantity = new Quantity { Value = line.Units },
                UnitPrice = Money(line.UnitPriceCents),
                Net = Money(line.AmountCents),
            });
        }
        return claim;
    }

    public static Bundle ToBundle(IEnumerable<FhirClaimSource> claims, DateTime nowUtc)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Collection,
            Timestamp = new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)),
        };
        foreach (var s in claims)
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{s.Claim.ClaimId}", Resource = ToFhir(s) });
        return bundle;
    }

    public static string Serialize(Resource resource) => new FhirJsonSerializer().SerializeToString(resource);

    private static bool IsHcpcs(string code) => code.Length > 0 && char.IsAsciiLetter(code[0]);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Money Money(long cents) => new() { Value = cents / 100m, Currency = Hl7.Fhir.Model.Money.Currencies.USD };

    private static (string Given, string Family) Names(FhirClaimSource s, string fallback)
    {
        if (s.Patient is { } p) return (p.GivenName.Trim(), p.FamilyName.Trim());
        var parts = fallback.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch { 0 => ("", ""), 1 => ("", parts[0]), _ => (parts[0], parts[1]) };
    }
}
