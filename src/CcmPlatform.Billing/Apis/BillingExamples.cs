using CcmPlatform.Infrastructure.Hosting;

namespace CcmPlatform.Billing.Apis;

/// <summary>
/// OpenAPI examples for Billing's bodies and main reads. Values pass the handlers' checks: 1234567893
/// has a valid NPI check digit, 99495 (TCM) is a code that sits beside CCM, and the CSV has the
/// columns FeeSchedule.Parse requires.
/// </summary>
public sealed class BillingExamples : OpenApiExampleSet
{
    private static readonly Guid PatientId = Guid.Parse("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b");

    public BillingExamples()
    {
        Add(new BilledElsewhereRequest("99495", "1234567893", new DateOnly(2025, 3, 12)));
        Add(new MueRequest(new Dictionary<string, int?> { ["99439"] = 2, ["99437"] = null }));
        AddText("text/csv", """
            hcpcs,nonfac_total_rvu,conv_factor
            99490,1.87,32.3465
            99439,1.42,32.3465
            99491,2.54,32.3465
            99437,1.78,32.3465
            """);
        Add(new List<ClaimView>
        {
            new(
                Guid.Parse("0b9e7c1d-5a2f-4c3e-9d8b-7a6f5e4d3c2b"), PatientId, "Rivera, Ana", "1EG4TE5MK73", "1234567893", new DateOnly(2025, 3, 31), "Ccm", "CcmNonComplex",
                [new("99490", 1, 6049, 6049), new("99439", 1, 4593, 4593)], ["E11.9", "I10"], 10642, 2128,
                "50 countable clinical-staff minutes in 2025-03: 99490 x1 and 99439 x1.", ["R-CODE-4"], null, new DateTime(2025, 4, 1, 6, 0, 0, DateTimeKind.Utc)),
        });
        Add(new List<BilledElsewhereView>
        {
            new(Guid.Parse("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"), PatientId, "99495", "1234567893", new DateOnly(2025, 3, 12), new DateTime(2025, 3, 14, 15, 30, 0, DateTimeKind.Utc)),
        });
    }
}
