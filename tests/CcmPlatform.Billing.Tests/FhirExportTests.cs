// Firely model properties are all nullable; a null here fails the test just as an assertion would.
#pragma warning disable CS8600, CS8602, CS8625
using System.Net;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Exports;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

public sealed class FhirExportTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private const string ClaimProfile = "http://hl7.org/fhir/StructureDefinition/Claim";
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    // Loading the R4 core package is slow; one validator serves every test.
    private static readonly Lazy<Validator> R4 = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, new LocalTerminologyService(source));
    });

    private static List<string> Errors(Claim claim)
    {
        var outcome = R4.Value.Validate(claim, ClaimProfile);
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{i.Severity} {string.Join(",", i.Expression ?? [])}: {i.Details?.Text ?? i.Diagnostics}").ToList();
    }

    private static ClaimRecord SampleClaim(string diagnoses, params (string Code, int Units, long UnitCents)[] lines)
    {
        var id = Guid.NewGuid();
        return new ClaimRecord
        {
            ClaimId = id, PracticeId = Guid.NewGuid(), PatientId = Guid.NewGuid(), Year = 2025, Month = 3,
            Program = "Ccm", Track = "CcmNonComplex", DateOfService = new DateOnly(2025, 3, 31), BillingPractitionerId = "p",
            BillingNpi = BillingSeed.NpiB, PatientName = "Ada Lovelace", Mbi = "1EG4TE5MK73", Diagnoses = diagnoses,
            TotalCents = lines.Sum(l => l.Units * l.UnitCents), CreatedAt = new DateTime(2025, 4, 1, 12, 0, 0, DateTimeKind.Utc),
            Lines = lines.Select((l, i) => new ClaimLineRecord { ClaimId = id, Seq = i + 1, Code = l.Code, Units = l.Units, UnitPriceCents = l.UnitCents, AmountCents = l.Units * l.UnitCents }).ToList(),
        };
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenA99490Plus99439x2Claim_WhenBuiltAsFhir_ThenItCarriesEveryClaimFactAndValidatesAgainstR4Claim()
    {
        var record = SampleClaim("E11.9;I50.9;I10;N18.3;J44.9", ("99490", 1, 6049), ("99439", 2, 4593));
        var patient = new PatientFact { PatientId = record.PatientId, GivenName = "Ada", FamilyName = "Lovelace", BirthDate = new DateOnly(1945, 5, 1) };
        var coverage = new CoverageFact { PatientId = record.PatientId, Payer = "Medicare", Mbi = "1EG4TE5MK73", PartBStart = new DateOnly(2010, 5, 1) };

        var claim = FhirClaimExport.ToFhir(new FhirClaimSource(record, patient, coverage));

        Assert.Empty(Errors(claim));
        Assert.Equal(FinancialResourceStatusCodes.Active, claim.Status);
        Assert.Equal(ClaimUseCode.Claim, claim.Use);
        Assert.Equal("professional", claim.Type.Coding.Single().Code);
        Assert.Equal("normal", claim.Priority.Coding.Single().Code);
        Assert.Equal("Medicare Part B", claim.Insurer.Display);
        Assert.Equal("2025-03-31", claim.BillablePeriod.End);
        var practitioner = claim.Contained.OfType<Practitioner>().Single();
        Assert.Equal("#" + practitioner.Id, claim.Provider.Reference);
        Assert.Equal((FhirClaimExport.NpiSystem, BillingSeed.NpiB), (practitioner.Identifier.Single().System, practitioner.Identifier.Single().Value));
        var cov = claim.Contained.OfType<Coverage>().Single();
        Assert.Equal("#" + cov.Id, claim.Insurance.Single().Coverage.Reference);
        Assert.Equal("1EG4TE5MK73", cov.Identifier.Single().Value);
        Assert.Equal("#" + claim.Contained.OfType<Patient>().Single().Id, claim.Patient.Reference);
        Assert.Equal(["E11.9", "I50.9", "I10", "N18.3", "J44.9"], claim.Diagnosis.Select(d => ((CodeableConcept)d.Diagnosis).Coding.Single().Code));
        Assert.All(claim.Diagnosis, d => Assert.Equal(FhirClaimExport.Icd10CmSystem, ((CodeableConcept)d.Diagnosis).Coding.Single().System));
        Assert.Equal(2, claim.Item.Count);
        var addOn = claim.Item[1];
        Assert.Equal("99439", addOn.ProductOrService.Coding.Single().Code);
        Assert.Equal(2m, addOn.Quantity.Value);
        Assert.Equal(45.93m, addOn.UnitPrice.Value);
        Assert.Equal(91.86m, addOn.Net.Value);
        Assert.Equal(Money.Currencies.USD, addOn.Net.Currency);
        Assert.Equal("2025-03-31", ((Date)addOn.Serviced).Value);
        Assert.Equal([1, 2, 3, 4], addOn.DiagnosisSequence.Select(n => n!.Value));
        Assert.Equal(152.35m, claim.Total.Value);
    }

    [Fact]
    public void GivenAClaimStrippedOfItsPatientAndInsurance_WhenValidated_ThenTheValidatorReportsErrors()
    {
        // Guards the other tests: an empty error list must mean "valid", not "validator did nothing".
        var claim = FhirClaimExport.ToFhir(new FhirClaimSource(SampleClaim("E11.9", ("99490", 1, 6049)), null, null));
        claim.Patient = null;
        claim.Insurance.Clear();

        Assert.NotEmpty(Errors(claim));
    }

    [Fact]
    [Trait("Rule", "R-APCM-1")]
    public void GivenAnApcmClaimWithAnHcpcsCodeAndNoPatientRow_WhenBuiltAsFhir_ThenItStillValidates()
    {
        var record = SampleClaim("E11.9", ("G0558", 1, 10707));
        record.ReplacesClaimId = Guid.NewGuid();

        var claim = FhirClaimExport.ToFhir(new FhirClaimSource(record, null, null));

        Assert.Empty(Errors(claim));
        Assert.Equal(FhirClaimExport.HcpcsSystem, claim.Item.Single().ProductOrService.Coding.Single().System);
        Assert.Equal("Lovelace", claim.Contained.OfType<Patient>().Single().Name.Single().Family);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CLOSE-1")]
    public async System.Threading.Tasks.Task GivenAClosedMonthFromEvents_WhenClaimsFhirIsRequested_ThenACollectionBundleOfValidClaims()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 25));
        await seed.Bus.Publish(seed.Entry(March10.AddDays(1), 20));
        await seed.WaitForEntriesAsync(2);
        var billing = seed.Billing();
        await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close");

        var response = await billing.GetAsync(seed.MonthPath("2025-03") + "/claims.fhir");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirClaimExport.MediaType, response.Content.Headers.ContentType?.MediaType);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var claim = Assert.IsType<Claim>(Assert.Single(bundle.Entry).Resource);
        Assert.Empty(Errors(claim));
        var live = await factory.WithDb(db => db.Claims.SingleAsync(c => c.PatientId == seed.PatientId && c.VoidedAt == null));
        Assert.Equal(live.ClaimId.ToString(), claim.Id);
        Assert.Equal(["99490", "99439"], claim.Item.Select(i => i.ProductOrService.Coding.Single().Code));
        Assert.Equal(106.42m, claim.Total.Value);
        Assert.Equal("1EG4TE5MK73", claim.Contained.OfType<Coverage>().Single().Identifier.Single().Value);
        Assert.Equal("Ada", claim.Contained.OfType<Patient>().Single().Name.Single().Given.Single());
        Assert.Equal("1945-05-01", claim.Contained.OfType<Patient>().Single().BirthDate);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenABadMonth_WhenClaimsFhirIsRequested_Then400()
    {
        var practiceId = Guid.NewGuid();
        var response = await factory.ClientAs(Roles.Billing, practiceId: practiceId).GetAsync($"/api/billing/practices/{practiceId}/months/2025-3/claims.fhir");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
